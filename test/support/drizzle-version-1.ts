// @ts-nocheck -- drizzle-orm 1.0's names; ./drizzle-version.ts reads this file only when 1.0 is installed
import type { ExtractTablesFromSchema, ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgAsyncDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** What drizzle()'s TRelations generic is for the tables `S`: `defineRelations(S)` (no relations). */
export type QueryParam<S extends Record<string, unknown>> = ExtractTablesWithRelations<{}, ExtractTablesFromSchema<S>>;
/** drizzle()'s option for `db.query` over `S`. */
export type QueryOption<S extends Record<string, unknown>> = { relations: QueryParam<S> };
/** A database of any driver with `db.query` over `S`. */
export type DatabaseWithQuery<S extends Record<string, unknown>> = PgAsyncDatabase<PgQueryResultHKT, QueryParam<S>>;
/** `relations()`: drizzle-orm/_relations' in 1.0. */
export type LegacyRelations = typeof import('drizzle-orm/_relations')['relations'];
