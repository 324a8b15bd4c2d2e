/**
 * `guardReadOnly(db)`: a Proxy over a Drizzle pg database (or transaction)
 * that refuses, before any SQL is sent, every write to a read-only hcTable
 * (django-heroku-connect's router raising `WriteNotSupportedError`).
 *
 * Two layers (drizzle-notes.md §3):
 * - the write builders (`insert`/`update`/`delete`, also after `with()`)
 *   check their target table when they are created, so the refusal is
 *   synchronous and names the table;
 * - the database's session, as seen through the Proxy, checks the SQL text of
 *   every statement it prepares. Drizzle's query methods read `this.session`,
 *   so everything built from the guarded db (selects with raw fragments, CTEs,
 *   `execute`, `$count`, relational queries, prepared statements, neon-http
 *   `batch` and `$withAuth`) passes that check; parsed texts are cached.
 * Transactions hand the callback a guarded transaction, at every nesting level.
 */
import { cteBodyOf, sqlTextOn, type AnyPgDatabase, type PgTable, type SQL } from '../compat.ts';
import { isReadOnlyTable } from '../metadata.ts';
import { embeddedReadOnlyTables, refuseWrite, refuseWritingSql } from './read-only-tables.ts';
import type { GuardedDatabase } from './types.ts';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type Members = Record<PropertyKey, unknown>;

// Everything below is allocated once per wrapped function, session or database,
// never per query or per transaction: the guard sits on every statement's path.
const guardedDatabases = new WeakMap<object, object>();
const guards = new WeakSet<object>();
const guardedSessions = new WeakMap<object, object>();
const guardedInternals = new WeakMap<object, object>();
const guardedQueries = new WeakMap<object, object>();

function isObject(value: unknown): value is Members {
  return typeof value === 'object' && value !== null;
}

/** `wrap(original)`, made once per original function (Drizzle's methods live on prototypes, shared by every db and transaction). */
function memoized(wrap: (original: AnyFunction) => AnyFunction): (original: AnyFunction) => AnyFunction {
  const made = new WeakMap<AnyFunction, AnyFunction>();
  return (original) => {
    let wrapper = made.get(original);
    if (wrapper === undefined) made.set(original, (wrapper = wrap(original)));
    return wrapper;
  };
}

/** A write-builder factory that refuses a read-only target table. */
function refusingReadOnlyTarget(create: AnyFunction, operation: 'insert' | 'update' | 'delete'): AnyFunction {
  return function (this: unknown, table: unknown) {
    if (isReadOnlyTable(table)) refuseWrite(table as PgTable, operation);
    // `arguments`, not a rest array: this is on every write's path.
    // eslint-disable-next-line prefer-rest-params
    return Reflect.apply(create, this, arguments);
  };
}

/** Refuse an SQL object that writes to a read-only hcTable, rendered with the dialect of `db` (a guarded db). */
function refuseWritingSqlObject(db: unknown, query: SQL): void {
  refuseWritingSql(sqlTextOn(db, query), embeddedReadOnlyTables(query));
}

/** Refuse a query object (`SQL`, a query builder) that writes to a read-only hcTable. */
function refuseWritingQuery(db: unknown, query: unknown): void {
  if (typeof query === 'string') refuseWritingSql(query);
  else if (isObject(query) && typeof query['getSQL'] === 'function') {
    refuseWritingSqlObject(db, (query['getSQL'] as () => SQL)());
  }
}

const checkingPrepareQuery = memoized(
  (prepareQuery) =>
    function (this: unknown, query: unknown) {
      refuseWritingSql((query as { sql: string }).sql);
      // eslint-disable-next-line prefer-rest-params
      return Reflect.apply(prepareQuery, this, arguments);
    },
);

const sessionHandler: ProxyHandler<Members> = {
  get(target, property, receiver) {
    const value = Reflect.get(target, property, receiver);
    return property === 'prepareQuery' && typeof value === 'function' ? checkingPrepareQuery(value as AnyFunction) : value;
  },
};

/** The session as the guarded db shows it: every statement it prepares has its text checked. */
function guardSession(session: Members): object {
  let guarded = guardedSessions.get(session);
  if (guarded === undefined) guardedSessions.set(session, (guarded = new Proxy(session, sessionHandler)));
  return guarded;
}

/** An object whose `session` member is shown guarded: `db._` and each relational query builder captured the raw session. */
const sessionHolderHandler: ProxyHandler<Members> = {
  get(target, property, receiver) {
    const value = Reflect.get(target, property, receiver);
    return property === 'session' && isObject(value) ? guardSession(value) : value;
  },
};

function guardSessionHolder(holder: Members): object {
  let guarded = guardedInternals.get(holder);
  if (guarded === undefined) guardedInternals.set(holder, (guarded = new Proxy(holder, sessionHolderHandler)));
  return guarded;
}

/** `db.query.<table>`: each relational query builder shown with a guarded session. */
const relationalQueriesHandler: ProxyHandler<Members> = {
  get(target, property, receiver) {
    const builder = Reflect.get(target, property, receiver);
    return isObject(builder) ? guardSessionHolder(builder) : builder;
  },
};

function guardRelationalQueries(queries: Members): object {
  let guarded = guardedQueries.get(queries);
  if (guarded === undefined) guardedQueries.set(queries, (guarded = new Proxy(queries, relationalQueriesHandler)));
  return guarded;
}

/** The wrappers of a guarded db's methods; `this` is the guarded db (or transaction) they are called on. */
const wrapperFactories: Readonly<Record<string, (original: AnyFunction) => AnyFunction>> = {
  insert: memoized((create) => refusingReadOnlyTarget(create, 'insert')),
  update: memoized((create) => refusingReadOnlyTarget(create, 'update')),
  delete: memoized((create) => refusingReadOnlyTarget(create, 'delete')),

  // Checked here as well as in the session: an SQL object shows its embedded tables.
  execute: memoized(
    (execute) =>
      function (this: unknown, query: unknown) {
        refuseWritingQuery(this, query);
        // eslint-disable-next-line prefer-rest-params
        return Reflect.apply(execute, this, arguments);
      },
  ),

  with: memoized(
    (withCtes) =>
      function (this: unknown, ...ctes: unknown[]) {
        for (const cte of ctes) {
          const body = cteBodyOf(cte);
          if (body !== undefined) refuseWritingSqlObject(this, body);
        }
        const builders = withCtes.apply(this, ctes) as Members;
        return {
          ...builders,
          insert: refusingReadOnlyTarget(builders['insert'] as AnyFunction, 'insert'),
          update: refusingReadOnlyTarget(builders['update'] as AnyFunction, 'update'),
          delete: refusingReadOnlyTarget(builders['delete'] as AnyFunction, 'delete'),
        };
      },
  ),

  // `$with` is an arrow-function member of each db: its wrapper is made per db, when first used.
  $with: memoized(
    (defineCte) =>
      function (this: unknown, ...args: unknown[]) {
        const db = this;
        const builder = defineCte.apply(this, args) as { as: AnyFunction };
        return {
          as(query: unknown) {
            // `.as(sql\`delete ...\`)` is a data-modifying CTE: check the body whatever its form.
            const cte = builder.as(query);
            const body = cteBodyOf(cte);
            if (body !== undefined) refuseWritingSqlObject(db, body);
            return cte;
          },
        };
      },
  ),

  transaction: memoized(
    (transaction) =>
      function (this: unknown, callback: unknown, ...rest: unknown[]) {
        const run = callback as (tx: unknown) => unknown;
        return transaction.call(this, (tx: unknown) => run(isObject(tx) ? guardTransaction(tx) : tx), ...rest);
      },
  ),

  // neon-http: refuse synchronously, even for queries built on an unguarded db.
  batch: memoized(
    (batch) =>
      function (this: unknown, queries: unknown) {
        for (const query of queries as Iterable<unknown>) {
          if (isObject(query)) refuseWritingQuery(this, query);
        }
        return batch.call(this, queries);
      },
  ),
};

const databaseHandler: ProxyHandler<Members> = {
  get(target, property, receiver) {
    const value = Reflect.get(target, property, receiver);
    if (typeof property !== 'string') return value;
    if (typeof value === 'function') {
      const wrapper = Object.hasOwn(wrapperFactories, property) ? wrapperFactories[property] : undefined;
      return wrapper === undefined ? value : wrapper(value as AnyFunction);
    }
    if (!isObject(value)) return value;
    // Every query built on the guarded db reads `session` through here.
    if (property === 'session') return guardSession(value);
    if (property === '_') return guardSessionHolder(value);
    if (property === 'query') return guardRelationalQueries(value);
    return value;
  },
};

function guardTransaction(tx: Members): object {
  if (guards.has(tx)) return tx;
  const guarded = new Proxy(tx, databaseHandler);
  guards.add(guarded);
  return guarded;
}

function guardDatabase(db: Members): object {
  if (guards.has(db)) return db;
  let guarded = guardedDatabases.get(db);
  if (guarded === undefined) {
    guarded = guardTransaction(db);
    guardedDatabases.set(db, guarded);
  }
  return guarded;
}

/**
 * Wrap a Drizzle pg database so that no write to a read-only hcTable leaves
 * the process: `insert`/`update`/`delete` on one, the same in transactions
 * (nested too), `with()`/`$with()` CTEs, neon-http `batch`, and raw SQL
 * (`execute`, `sql` fragments) that writes to one throw
 * {@link WriteNotSupportedError} before any SQL is sent. Everything else
 * behaves as unwrapped, with the same results and types, and a guarded db is
 * accepted wherever the driver's db type is. The types refuse too: writing a
 * read-only table through the guarded db does not compile.
 *
 * A safety net, not access control: `db.$client` reaches the driver directly.
 * Give the application a database role without write privileges on the
 * Heroku Connect schema for real enforcement.
 *
 * @example
 * const db = guardReadOnly(drizzle({ client: pool }));
 * await db.insert(account).values({ name: 'Acme' }); // read_write: allowed
 * db.delete(user); // read-only: throws WriteNotSupportedError (and does not compile)
 */
export function guardReadOnly<DB extends AnyPgDatabase>(db: DB): GuardedDatabase<DB> {
  return guardDatabase(db as unknown as Members) as GuardedDatabase<DB>;
}

/** Whether a value is a database or transaction wrapped by {@link guardReadOnly}. */
export function isGuarded(value: unknown): boolean {
  return isObject(value) && guards.has(value);
}
