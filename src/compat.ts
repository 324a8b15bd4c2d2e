/**
 * Everything that depends on the installed drizzle-orm version lives here (and
 * in `./compat/`), so that one package serves drizzle-orm 0.45 and 1.0 (rc.5
 * and later). Other modules import Drizzle types and internals only from here.
 *
 * The version is told apart by feature, never by a version string: 1.0's
 * `drizzle-orm/pg-core` exports `PgAsyncDatabase` (0.45's `PgDatabase`,
 * renamed), at runtime and in its declarations alike.
 */
import { is, SQL, Table, getTableName, getTableColumns, type InferSelectModel } from 'drizzle-orm';
import * as pgCore from 'drizzle-orm/pg-core';
import {
  PgDialect,
  PgTable,
  getTableConfig,
  pgSchema,
  pgTable,
  type PgColumn,
  type PgQueryResultHKT,
  type PgTransactionConfig,
} from 'drizzle-orm/pg-core';
import type * as PgCoreModule from 'drizzle-orm/pg-core';
import type * as Drizzle045 from './compat/drizzle-045.ts';
import type * as Drizzle1 from './compat/drizzle-1.ts';

export { is, SQL, Table, getTableName, getTableColumns, PgTable, getTableConfig, pgSchema, pgTable };
export type { PgColumn, PgQueryResultHKT, PgTransactionConfig };

/** `true` when the installed drizzle-orm is 1.0 (its pg-core exports `PgAsyncDatabase`), else `false`. */
export type IsDrizzle1 = typeof PgCoreModule extends { PgAsyncDatabase: unknown } ? true : false;

type ByVersion<V045, V1> = IsDrizzle1 extends true ? V1 : V045;

/** Which drizzle-orm API is installed: `'1'` for 1.0 (rc.5 and later), `'0.45'` otherwise. */
export const drizzleApi: '0.45' | '1' = 'PgAsyncDatabase' in pgCore ? '1' : '0.45';

/**
 * Drizzle's pg database class: `PgAsyncDatabase` in 1.0, `PgDatabase` in
 * 0.45 (for `is(db, ...)`; transactions are instances too).
 */
export const PgDatabaseClass: abstract new (...args: never[]) => object = ((pgCore as Record<string, unknown>)['PgAsyncDatabase'] ??
  (pgCore as Record<string, unknown>)['PgDatabase']) as abstract new (...args: never[]) => object;

/** Whether a value is a Drizzle pg database or transaction, whatever the version and driver. */
export function isPgDatabase(value: unknown): value is AnyPgDatabase {
  return typeof value === 'object' && value !== null && is(value, PgDatabaseClass as never);
}

/**
 * `pgSchema(name).existing()` where the installed drizzle-orm has it (1.0:
 * drizzle-kit then neither creates the schema nor lets `push` touch it),
 * else `undefined`: on 0.45 an exported `pgSchema` would make `generate`
 * write `CREATE SCHEMA`, so there is nothing to give drizzle-kit.
 */
export function existingPgSchema(name: string): ReturnType<typeof pgSchema> | undefined {
  const schema = pgSchema(name) as ReturnType<typeof pgSchema> & { existing?: () => ReturnType<typeof pgSchema> };
  return typeof schema.existing === 'function' ? schema.existing() : undefined;
}

/** Any pg column builder (0.45: `PgColumnBuilderBase`; 1.0: `AnyPgColumnBuilder`). */
export type AnyPgColumnBuilder = ByVersion<Drizzle045.ColumnBuilder, Drizzle1.ColumnBuilder>;

/** Any pg database or transaction, whatever the driver (`PgDatabase` in 0.45, `PgAsyncDatabase` in 1.0). */
export type AnyPgDatabase = ByVersion<Drizzle045.Database, Drizzle1.Database>;

/** The table `pgSchema(...).table(name, columns)` returns for these columns. */
export type PgTableOf<TTableName extends string, TColumns extends Record<string, AnyPgColumnBuilder>> = ByVersion<
  Drizzle045.TableWithColumns<TTableName, TColumns>,
  Drizzle1.TableWithColumns<TTableName, TColumns>
>;

/** What a table's extra-config callback (indexes, uniques) receives for these columns. */
export type PgExtraConfigColumnsOf<TTableName extends string, TColumns extends Record<string, AnyPgColumnBuilder>> = ByVersion<
  Drizzle045.ExtraConfigColumns<TTableName, TColumns>,
  Drizzle1.ExtraConfigColumns<TTableName, TColumns>
>;

/** The `one` relation of `relations()` (0.45's `drizzle-orm`, 1.0's `drizzle-orm/_relations`) to the table `TTableName`. */
export type OneRelationTo<TTableName extends string> = ByVersion<Drizzle045.OneRelation<TTableName>, Drizzle1.OneRelation<TTableName>>;

/** A table's row as selected (`$inferSelect`, which 1.0 keeps on the built table only, not on `PgTable`). */
export type SelectModelOf<T extends PgTable> = InferSelectModel<T>;

/** The type `guardReadOnly(db)` returns for the driver's database `DB`, on the installed version. */
export type GuardedDatabaseOf<DB> = ByVersion<Drizzle045.GuardedDatabase<DB>, Drizzle1.GuardedDatabase<DB>>;

const TABLE_SCHEMA = Symbol.for('drizzle:Schema');

/** The schema a table lives in: the one Drizzle recorded, or `public` for `pgTable`. */
export function tableSchemaOf(table: PgTable): string {
  return (table as unknown as Record<symbol, string | undefined>)[TABLE_SCHEMA] ?? 'public';
}

/** Whether a value is a Drizzle pg table, across duplicate drizzle-orm copies. */
export function isPgTable(value: unknown): value is PgTable {
  return typeof value === 'object' && value !== null && is(value, PgTable);
}

/** The table a column belongs to (a public member in 0.45's types, internal in 1.0's; there at run time in both). */
export function tableOfColumn(column: PgColumn): PgTable {
  return (column as unknown as { readonly table: PgTable }).table;
}

/** Whether a value is a Drizzle `SQL` object, across duplicate drizzle-orm copies. */
export function isSql(value: unknown): value is SQL {
  return typeof value === 'object' && value !== null && is(value, SQL);
}

/**
 * The config object a column builder hands to every column it builds
 * (`column.config === builder.config` on 0.45 and 1.0, for `alias()`
 * columns too; drizzle-notes.md §1), or undefined for anything else. Drizzle
 * marks the field internal, so it is read here only.
 */
export function sharedColumnConfigOf(builderOrColumn: unknown): Record<PropertyKey, unknown> | undefined {
  if (typeof builderOrColumn !== 'object' || builderOrColumn === null) return undefined;
  const config = (builderOrColumn as { config?: unknown }).config;
  return typeof config === 'object' && config !== null ? (config as Record<PropertyKey, unknown>) : undefined;
}

/**
 * The SQL type a column would get in DDL (`varchar(255)`, `double precision`).
 * A method on 0.45 columns; kept here because 1.0 moves type rendering around.
 */
export function columnSqlType(column: PgColumn): string {
  return column.getSQLType();
}

/**
 * Run raw SQL on any pg database and return its rows: node-postgres, PGlite
 * and Neon all answer `execute()` with an object holding `rows`.
 */
export async function executeRows<R>(db: AnyPgDatabase, query: SQL): Promise<R[]> {
  const result = (await db.execute(query)) as unknown as { rows: R[] };
  return result.rows;
}

/**
 * SQL text of an index expression or `where` clause, parameters inlined and
 * columns unqualified, as drizzle-kit writes them into index DDL.
 */
export function indexSqlText(query: SQL): string {
  return new PgDialect().sqlToQuery(query.inlineParams(), 'indexes').sql;
}

/** A table's own name, also for an `alias()` of it (whose `getTableName` is the alias). */
export function originalTableNameOf(table: PgTable): string {
  return (table as unknown as Record<symbol, string>)[Symbol.for('drizzle:OriginalName')] ?? getTableName(table);
}

let defaultDialect: PgDialect | undefined;

/**
 * The SQL text Drizzle sends for `query` on this database (placeholders `$1`,
 * `$2`, ...); a default pg dialect's text when `db` has none (a detached call).
 */
export function sqlTextOn(db: unknown, query: SQL): string {
  // `dialect` is an internal member of PgDatabase (stripped from its types).
  const dialect = (db as { dialect?: PgDialect } | undefined)?.dialect ?? (defaultDialect ??= new PgDialect());
  return dialect.sqlToQuery(query).sql;
}

/** The body of a `$with(...).as(...)` CTE (a `WithSubquery`; its `_` field is internal). */
export function cteBodyOf(cte: unknown): SQL | undefined {
  const body = (cte as { _?: { sql?: unknown } } | null)?._?.sql;
  return isSql(body) ? body : undefined;
}

let codecDialect: PgDialect | undefined;

/**
 * A column's value as Drizzle reads it from a row in JSON (a timestamp's text
 * becomes a `Date`, and so on). 0.45: the column's own mapper does it all.
 * 1.0 moved type decoding into the dialect's codecs: as its relational
 * queries do with JSON rows, the column's `mapFromJsonValue` if it has one,
 * else the type's `normalizeInJson` codec, then the column's mapper.
 */
export function decodeColumnValue(column: PgColumn, value: unknown): unknown {
  const v1 = column as unknown as { codec?: unknown; dimensions?: number; mapFromJsonValue?: (value: unknown) => unknown };
  if (v1.codec === undefined) return column.mapFromDriverValue(value);
  if (typeof v1.mapFromJsonValue === 'function') return v1.mapFromJsonValue(value);
  // JSON is the same whatever the driver: 1.0's generic pg codecs (a bare PgDialect has none).
  const genericPgCodecs = (pgCore as Record<string, unknown>)['genericPgCodecs'];
  const { codecs } = (codecDialect ??= new PgDialect({ codecs: genericPgCodecs } as never)) as unknown as {
    codecs: { apply(column: unknown, type: 'normalizeInJson', value: unknown): unknown };
  };
  return column.mapFromDriverValue(codecs.apply(column, 'normalizeInJson', value));
}
export { relationJoinsOf, type RelationJoin } from './compat/relations.ts';
