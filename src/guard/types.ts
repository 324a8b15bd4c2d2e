/**
 * The guarded database at the type level (kysely's `ReadonlyKysely` and
 * `KyselyTypeError`): writing a read-only hcTable does not compile, and the
 * error names the table and the rule. A guarded database is an interface that
 * extends Drizzle's database class (`PgDatabase` in 0.45, `PgAsyncDatabase` in
 * 1.0: see `../compat/`), so it keeps Drizzle's protected members and stays
 * assignable to the driver's db type; reads keep their exact types.
 */
import type { AnyPgDatabase, GuardedDatabaseOf, PgTable } from '../compat.ts';
import type { READ_WRITE, SF_OBJECT } from '../metadata.ts';

/** A type that only shows up in an error message (kysely's `KyselyTypeError`). */
export interface HcDrizzleTypeError<TMessage extends string> {
  readonly __hcDrizzleTypeError__: TMessage;
}

/** Whether `T` is an hcTable whose access is anything but `read_write` (as the runtime decides). */
export type IsReadOnlyHcTable<T> = T extends { readonly [SF_OBJECT]: { readonly access: infer A } }
  ? [A] extends [typeof READ_WRITE]
    ? false
    : true
  : false;

type TableNameOf<T> = T extends { readonly _: { readonly name: infer N extends string } } ? N : string;

/** The error a write to the read-only hcTable `T` meets. */
export type ReadOnlyTableError<T> = HcDrizzleTypeError<`"${TableNameOf<T>}" is a read-only Heroku Connect table: insert, update and delete are refused (map it read_write to write)`>;

/**
 * Intersected with a write target's type: `unknown` for a writable table,
 * {@link ReadOnlyTableError} for a read-only one, so the argument no longer fits.
 * An intersection (not a constraint) keeps the method assignable to Drizzle's.
 */
export type WritableTarget<T> = IsReadOnlyHcTable<T> extends true ? ReadOnlyTableError<T> : unknown;

// `with()` builders are function-typed properties, compared strictly: their
// signatures cannot change, so read-only targets meet a first overload that
// returns the error instead of a builder (`.values`, `.set`, `.where` then fail).
export interface ReadOnlyWithWrites {
  insert: <T extends PgTable & OnlyReadOnly<T>>(table: T) => ReadOnlyTableError<T>;
  update: <T extends PgTable & OnlyReadOnly<T>>(table: T) => ReadOnlyTableError<T>;
  delete: <T extends PgTable & OnlyReadOnly<T>>(table: T) => ReadOnlyTableError<T>;
}
type OnlyReadOnly<T> = IsReadOnlyHcTable<T> extends true ? unknown : never;

/** The members neon-http's `$withAuth(token)` keeps (drizzle-orm/neon-http). */
type WithAuthMembers =
  | '$count'
  | 'delete'
  | 'select'
  | 'selectDistinct'
  | 'selectDistinctOn'
  | 'update'
  | 'insert'
  | 'with'
  | 'query'
  | 'execute'
  | 'refreshMaterializedView';

export type GuardedWithAuth<DB, G> = DB extends { $withAuth(token: infer Token): unknown }
  ? { $withAuth(token: Token): Pick<G, Extract<WithAuthMembers, keyof G>> }
  : unknown;

/**
 * The type `guardReadOnly(db)` returns: the driver's database with
 * `insert`/`update`/`delete` refusing read-only hcTables (also in `with()`,
 * transactions and neon-http `$withAuth`); the driver's own members
 * (`$client`, `batch`) kept.
 */
export type GuardedDatabase<DB extends AnyPgDatabase> = GuardedDatabaseOf<DB>;

// Named here so that an app's declarations can name a guarded db's type.
export type { GuardedPgDatabase, GuardedPgTransaction } from '../compat/drizzle-045.ts';
export type { GuardedPgAsyncDatabase, GuardedPgAsyncTransaction } from '../compat/drizzle-1.ts';
