// @ts-nocheck -- drizzle-orm 0.45's names; ./drizzle-version.ts reads this file only when 0.45 is installed
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** What drizzle()'s TSchema generic is for the tables `S`: the tables themselves. */
export type QueryParam<S extends Record<string, unknown>> = S;
/** drizzle()'s option for `db.query` over `S`. */
export type QueryOption<S extends Record<string, unknown>> = { schema: S };
/** A database of any driver with `db.query` over `S`. */
export type DatabaseWithQuery<S extends Record<string, unknown>> = PgDatabase<PgQueryResultHKT, S>;
/** `relations()`: drizzle-orm's in 0.45. */
export type LegacyRelations = typeof import('drizzle-orm')['relations'];
