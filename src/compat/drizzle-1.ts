// @ts-nocheck -- drizzle-orm 1.0's types, read only when 1.0 is installed (see ../compat.ts); on 0.45 these names do not exist
/**
 * The types hc-drizzle builds on, as drizzle-orm 1.0 (rc.5 and later)
 * declares them. `../compat.ts` picks this file or `drizzle-045.ts` by what
 * the installed `drizzle-orm/pg-core` exports; nothing else imports it. The
 * build keeps the `@ts-nocheck` in the declarations, and test/compat checks
 * this file with the pragma removed against 1.0.
 */
import type { AnyRelations, DrizzleTypeError, InferInsertModel, IsNever, JoinUnion, RequiredInsertKeys } from 'drizzle-orm';
import type { One } from 'drizzle-orm/_relations';
import type {
  AnyPgColumnBuilder,
  PgAsyncDatabase,
  PgAsyncDeleteBase,
  PgAsyncInsertHKT,
  PgAsyncTransaction,
  PgAsyncUpdateHKT,
  PgBuildColumns,
  PgBuildExtraConfigColumns,
  NoDuplicateColumns,
  PgInsertBuilder,
  PgQueryResultHKT,
  PgTable,
  PgTableWithColumns,
  PgTransactionConfig,
  PgUpdateBuilder,
} from 'drizzle-orm/pg-core';
import type { ReadOnlyWithWrites, WritableTarget } from '../guard/types.ts';

export type ColumnBuilder = AnyPgColumnBuilder;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Database = PgAsyncDatabase<any, any>;

export type TableWithColumns<TTableName extends string, TColumns extends Record<string, AnyPgColumnBuilder>> = PgTableWithColumns<{
  name: TTableName;
  schema: string;
  columns: PgBuildColumns<TTableName, TColumns>;
  dialect: 'pg';
  isAlias: false;
}>;

export type ExtraConfigColumns<_TTableName extends string, TColumns extends Record<string, AnyPgColumnBuilder>> = PgBuildExtraConfigColumns<TColumns>;

/** The `one` relation of `relations()` from `drizzle-orm/_relations`. */
export type OneRelation<TTableName extends string> = One<TTableName, false>;

type WithBuilders<Q extends PgQueryResultHKT, R extends AnyRelations> = ReturnType<PgAsyncDatabase<Q, R>['with']>;

/** `insert(table, ...columns)`'s column list, as 1.0's `PgAsyncDatabase.insert` declares it. */
type InsertColumns<TTable extends PgTable, TColumnList extends (keyof InferInsertModel<TTable, { override: true }>)[], TRequiredKeys extends string> =
  TColumnList extends []
    ? []
    : IsNever<TRequiredKeys> extends true
      ? TColumnList & NoDuplicateColumns<TColumnList>
      : [TRequiredKeys] extends [TColumnList[number]]
        ? TColumnList & NoDuplicateColumns<TColumnList>
        : DrizzleTypeError<`Column selection is missing following required columns: ${JoinUnion<`"${Exclude<TRequiredKeys, TColumnList[number]>}"`, ', '>}`>[];

/** A guarded `PgAsyncDatabase` (1.0): see `guardReadOnly`. */
export interface GuardedPgAsyncDatabase<Q extends PgQueryResultHKT, R extends AnyRelations> extends PgAsyncDatabase<Q, R> {
  insert<
    TTable extends PgTable,
    TColumnList extends (keyof InferInsertModel<TTable, { override: true }>)[] = [],
    TRequiredKeys extends string = RequiredInsertKeys<TTable>,
  >(
    table: TTable & WritableTarget<TTable>,
    ...columns: InsertColumns<TTable, TColumnList, TRequiredKeys>
  ): PgInsertBuilder<TTable, Q, TColumnList extends [] ? 'all' : TColumnList, false, PgAsyncInsertHKT>;
  update<T extends PgTable>(table: T & WritableTarget<T>): PgUpdateBuilder<T, Q, PgAsyncUpdateHKT>;
  delete<T extends PgTable>(table: T & WritableTarget<T>): PgAsyncDeleteBase<T, Q>;
  with(...queries: Parameters<PgAsyncDatabase<Q, R>['with']>): ReadOnlyWithWrites & WithBuilders<Q, R>;
  transaction<T>(transaction: (tx: GuardedPgAsyncTransaction<Q, R>) => Promise<T>, config?: PgTransactionConfig): Promise<T>;
}

/** The transaction a guarded database's `transaction()` hands its callback (1.0). */
export interface GuardedPgAsyncTransaction<Q extends PgQueryResultHKT, R extends AnyRelations> extends PgAsyncTransaction<Q, R> {
  insert<
    TTable extends PgTable,
    TColumnList extends (keyof InferInsertModel<TTable, { override: true }>)[] = [],
    TRequiredKeys extends string = RequiredInsertKeys<TTable>,
  >(
    table: TTable & WritableTarget<TTable>,
    ...columns: InsertColumns<TTable, TColumnList, TRequiredKeys>
  ): PgInsertBuilder<TTable, Q, TColumnList extends [] ? 'all' : TColumnList, false, PgAsyncInsertHKT>;
  update<T extends PgTable>(table: T & WritableTarget<T>): PgUpdateBuilder<T, Q, PgAsyncUpdateHKT>;
  delete<T extends PgTable>(table: T & WritableTarget<T>): PgAsyncDeleteBase<T, Q>;
  with(...queries: Parameters<PgAsyncDatabase<Q, R>['with']>): ReadOnlyWithWrites & WithBuilders<Q, R>;
  transaction<T>(transaction: (tx: GuardedPgAsyncTransaction<Q, R>) => Promise<T>): Promise<T>;
}

type GuardedCore<DB, Q extends PgQueryResultHKT, R extends AnyRelations> = Omit<DB, keyof PgAsyncDatabase<any, any> | '$withAuth'> &
  GuardedPgAsyncDatabase<Q, R>;

/** neon-http's `$withAuth(token)`: in 1.0 the same db without `$withAuth`, so still guarded. */
type GuardedWithAuth1<DB, G> = DB extends { $withAuth(token: infer Token): unknown } ? { $withAuth(token: Token): Omit<G, '$withAuth'> } : unknown;

export type GuardedDatabase<DB> =
  DB extends PgAsyncDatabase<infer Q, infer R> ? GuardedCore<DB, Q, R> & GuardedWithAuth1<DB, GuardedCore<DB, Q, R>> : never;
