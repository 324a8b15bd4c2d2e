/**
 * Everything that depends on the installed drizzle-orm version lives here, so
 * supporting drizzle-orm 1.0 (renamed classes, new builder generics) is this
 * one file's work. Other modules import Drizzle types and internals only from
 * here. Targets drizzle-orm 0.45.
 */
import { is, SQL, Table, getTableName, getTableColumns } from 'drizzle-orm';
import {
  PgDialect,
  PgTable,
  PgDatabase,
  PgTransaction,
  getTableConfig,
  pgSchema,
  pgTable,
  type PgColumnBuilderBase,
  type PgColumn,
  type PgQueryResultHKT,
  type PgInsertBuilder,
  type PgUpdateBuilder,
  type PgDeleteBase,
  type TableConfig,
} from 'drizzle-orm/pg-core';

export { is, SQL, Table, getTableName, getTableColumns, PgTable, PgDatabase, PgTransaction, getTableConfig, pgSchema, pgTable };
export type { PgColumn, PgQueryResultHKT, PgInsertBuilder, PgUpdateBuilder, PgDeleteBase, TableConfig };
export type { PgTransactionConfig } from 'drizzle-orm/pg-core';
export type { TablesRelationalConfig } from 'drizzle-orm';

/** Any pg column builder (0.45: `PgColumnBuilderBase`; 1.0: `AnyPgColumnBuilder`). */
export type AnyPgColumnBuilder = PgColumnBuilderBase;

/** Any pg database or transaction, whatever the driver (1.0 renames it `PgAsyncDatabase`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPgDatabase = PgDatabase<any, any, any>;

const TABLE_SCHEMA = Symbol.for('drizzle:Schema');

/** The schema a table lives in: the one Drizzle recorded, or `public` for `pgTable`. */
export function tableSchemaOf(table: PgTable): string {
  return (table as unknown as Record<symbol, string | undefined>)[TABLE_SCHEMA] ?? 'public';
}

/** Whether a value is a Drizzle pg table, across duplicate drizzle-orm copies. */
export function isPgTable(value: unknown): value is PgTable {
  return typeof value === 'object' && value !== null && is(value, PgTable);
}

/** Whether a value is a Drizzle `SQL` object, across duplicate drizzle-orm copies. */
export function isSql(value: unknown): value is SQL {
  return typeof value === 'object' && value !== null && is(value, SQL);
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

/**
 * A column's value as Drizzle's own mapper reads it from what a driver
 * returns (a timestamp's text becomes a `Date`, and so on).
 */
export function decodeColumnValue(column: PgColumn, driverValue: unknown): unknown {
  return column.mapFromDriverValue(driverValue);
}
