// @ts-nocheck -- drizzle-orm 0.45's types, read only when 0.45 is installed (see ../compat.ts); on 1.0 these names do not exist
/**
 * The types hc-drizzle builds on, as drizzle-orm 0.45 declares them.
 * `../compat.ts` picks this file or `drizzle-1.ts` by what the installed
 * `drizzle-orm/pg-core` exports; nothing else imports it. The build keeps the
 * `@ts-nocheck` in the declarations, and test/compat checks this file with
 * the pragma removed against 0.45.
 */
import type { BuildColumns, BuildExtraConfigColumns, One, TablesRelationalConfig } from 'drizzle-orm';
import type {
  PgColumnBuilderBase,
  PgDatabase,
  PgDeleteBase,
  PgInsertBuilder,
  PgQueryResultHKT,
  PgTable,
  PgTableWithColumns,
  PgTransaction,
  PgTransactionConfig,
  PgUpdateBuilder,
} from 'drizzle-orm/pg-core';
import type { GuardedWithAuth, ReadOnlyWithWrites, WritableTarget } from '../guard/types.ts';

export type ColumnBuilder = PgColumnBuilderBase;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Database = PgDatabase<any, any, any>;

export type TableWithColumns<TTableName extends string, TColumns extends Record<string, PgColumnBuilderBase>> = PgTableWithColumns<{
  name: TTableName;
  schema: string;
  columns: BuildColumns<TTableName, TColumns, 'pg'>;
  dialect: 'pg';
}>;

export type ExtraConfigColumns<TTableName extends string, TColumns extends Record<string, PgColumnBuilderBase>> = BuildExtraConfigColumns<
  TTableName,
  TColumns,
  'pg'
>;

export type OneRelation<TTableName extends string> = One<TTableName, false>;

type WithBuilders<Q extends PgQueryResultHKT, S extends Record<string, unknown>, R extends TablesRelationalConfig> = ReturnType<
  PgDatabase<Q, S, R>['with']
>;

/** A guarded `PgDatabase` (0.45): see `guardReadOnly`. */
export interface GuardedPgDatabase<Q extends PgQueryResultHKT, S extends Record<string, unknown>, R extends TablesRelationalConfig>
  extends PgDatabase<Q, S, R> {
  insert<T extends PgTable>(table: T & WritableTarget<T>): PgInsertBuilder<T, Q>;
  update<T extends PgTable>(table: T & WritableTarget<T>): PgUpdateBuilder<T, Q>;
  delete<T extends PgTable>(table: T & WritableTarget<T>): PgDeleteBase<T, Q>;
  with(...queries: Parameters<PgDatabase<Q, S, R>['with']>): ReadOnlyWithWrites & WithBuilders<Q, S, R>;
  transaction<T>(transaction: (tx: GuardedPgTransaction<Q, S, R>) => Promise<T>, config?: PgTransactionConfig): Promise<T>;
}

/** The transaction a guarded database's `transaction()` hands its callback (0.45). */
export interface GuardedPgTransaction<Q extends PgQueryResultHKT, S extends Record<string, unknown>, R extends TablesRelationalConfig>
  extends PgTransaction<Q, S, R> {
  insert<T extends PgTable>(table: T & WritableTarget<T>): PgInsertBuilder<T, Q>;
  update<T extends PgTable>(table: T & WritableTarget<T>): PgUpdateBuilder<T, Q>;
  delete<T extends PgTable>(table: T & WritableTarget<T>): PgDeleteBase<T, Q>;
  with(...queries: Parameters<PgDatabase<Q, S, R>['with']>): ReadOnlyWithWrites & WithBuilders<Q, S, R>;
  transaction<T>(transaction: (tx: GuardedPgTransaction<Q, S, R>) => Promise<T>): Promise<T>;
}

export type GuardedDatabase<DB> =
  DB extends PgDatabase<infer Q, infer S, infer R>
    ? Omit<DB, keyof PgDatabase<any, any, any> | '$withAuth'> & GuardedPgDatabase<Q, S, R> & GuardedWithAuth<DB, GuardedPgDatabase<Q, S, R>>
    : never;
