/**
 * Tests that run on both drizzle-orm versions (0.45, and 1.0 in CI's second
 * pass) make their databases through here: `db.query` needs `{ schema }` in
 * 0.45 and `{ relations: defineRelations(schema) }` in 1.0, and the types
 * that name a database differ the same way.
 */
import * as orm from 'drizzle-orm';
import { drizzleApi, type IsDrizzle1 } from '../../src/compat.ts';
import type * as V045 from './drizzle-version-045.ts';
import type * as V1 from './drizzle-version-1.ts';

export { drizzleApi };

type ByVersion<A, B> = IsDrizzle1 extends true ? B : A;

/** drizzle()'s schema/relations type parameter for the tables `S` (`NodePgDatabase<QueryParam<typeof schema>>`). */
export type QueryParam<S extends Record<string, unknown>> = ByVersion<V045.QueryParam<S>, V1.QueryParam<S>>;
/** A database of any driver with `db.query` over the tables `S`. */
export type DatabaseWithQuery<S extends Record<string, unknown>> = ByVersion<V045.DatabaseWithQuery<S>, V1.DatabaseWithQuery<S>>;

/** The option to spread into `drizzle({ client, ...queryOption(schema) })` for a `db.query` over `schema`. */
export function queryOption<S extends Record<string, unknown>>(schema: S): ByVersion<V045.QueryOption<S>, V1.QueryOption<S>> {
  const defineRelations = (orm as Record<string, unknown>)['defineRelations'] as ((tables: S) => unknown) | undefined;
  return (defineRelations === undefined ? { schema } : { relations: defineRelations(schema) }) as never;
}

/**
 * `relations()` (the first relation API): exported by `drizzle-orm` in 0.45,
 * by `drizzle-orm/_relations` in 1.0.
 */
export const relations: ByVersion<V045.LegacyRelations, V1.LegacyRelations> = (
  (await import(drizzleApi === '1' ? 'drizzle-orm/_relations' : 'drizzle-orm')) as { relations: never }
).relations;

/** `skip` for a test that only makes sense on the other version, saying why. */
export function onlyOnDrizzle(api: '0.45' | '1', why: string): { skip: string | false } {
  return { skip: drizzleApi === api ? false : `drizzle-orm ${api} only: ${why}` };
}
