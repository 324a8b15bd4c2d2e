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

const guardedDatabases = new WeakMap<object, object>();
const guards = new WeakSet<object>();
const guardedSessions = new WeakMap<object, object>();
const guardedQueries = new WeakMap<object, object>();

function isObject(value: unknown): value is Members {
  return typeof value === 'object' && value !== null;
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

/** Refuse an SQL object that writes to a read-only hcTable. */
function refuseWritingSqlObject(db: AnyPgDatabase, query: SQL): void {
  refuseWritingSql(sqlTextOn(db, query), embeddedReadOnlyTables(query));
}

function guardSession(session: Members): object {
  let guarded = guardedSessions.get(session);
  if (guarded === undefined) {
    const prepareQuery = session['prepareQuery'] as AnyFunction;
    const checkedPrepareQuery = function (this: unknown, query: { sql: string }) {
      refuseWritingSql(query.sql);
      // eslint-disable-next-line prefer-rest-params
      return Reflect.apply(prepareQuery, this, arguments);
    };
    guarded = new Proxy(session, {
      get: (target, property, receiver) =>
        property === 'prepareQuery' ? checkedPrepareQuery : Reflect.get(target, property, receiver),
    });
    guardedSessions.set(session, guarded);
  }
  return guarded;
}

/** `db.query.<table>`: relational query builders captured the raw session when the db was made. */
function guardRelationalQueries(queries: Members): object {
  let guarded = guardedQueries.get(queries);
  if (guarded === undefined) {
    const builders = new Map<PropertyKey, unknown>();
    guarded = new Proxy(queries, {
      get(target, property, receiver) {
        const builder = Reflect.get(target, property, receiver);
        if (!isObject(builder)) return builder;
        let guardedBuilder = builders.get(property);
        if (guardedBuilder === undefined) {
          guardedBuilder = new Proxy(builder, {
            get: (inner, key, innerReceiver) => {
              const value = Reflect.get(inner, key, innerReceiver);
              return key === 'session' && isObject(value) ? guardSession(value) : value;
            },
          });
          builders.set(property, guardedBuilder);
        }
        return guardedBuilder;
      },
    });
    guardedQueries.set(queries, guarded);
  }
  return guarded;
}

function guardDatabase(db: Members): object {
  if (guards.has(db)) return db;
  const existing = guardedDatabases.get(db);
  if (existing !== undefined) return existing;
  const target = db as unknown as AnyPgDatabase;
  const method = (name: string) => (typeof db[name] === 'function' ? (db[name] as AnyFunction) : undefined);
  const wrappers = new Map<PropertyKey, unknown>();

  for (const operation of ['insert', 'update', 'delete'] as const) {
    const create = method(operation);
    if (create !== undefined) wrappers.set(operation, refusingReadOnlyTarget(create, operation));
  }

  const execute = method('execute');
  if (execute !== undefined) {
    wrappers.set('execute', function (this: unknown, query: unknown) {
      // Checked here as well as in the session: an SQL object shows its embedded tables.
      if (typeof query === 'string') refuseWritingSql(query);
      else if (isObject(query) && typeof query['getSQL'] === 'function') {
        refuseWritingSqlObject(target, (query['getSQL'] as () => SQL)());
      }
      return execute.call(this, query);
    });
  }

  const withCtes = method('with');
  if (withCtes !== undefined) {
    wrappers.set('with', function (this: unknown, ...ctes: unknown[]) {
      for (const cte of ctes) {
        const body = cteBodyOf(cte);
        if (body !== undefined) refuseWritingSqlObject(target, body);
      }
      const builders = withCtes.apply(this, ctes) as Members;
      return {
        ...builders,
        insert: refusingReadOnlyTarget(builders['insert'] as AnyFunction, 'insert'),
        update: refusingReadOnlyTarget(builders['update'] as AnyFunction, 'update'),
        delete: refusingReadOnlyTarget(builders['delete'] as AnyFunction, 'delete'),
      };
    });
  }

  const defineCte = method('$with');
  if (defineCte !== undefined) {
    wrappers.set('$with', function (this: unknown, ...args: unknown[]) {
      const builder = defineCte.apply(this, args) as { as: AnyFunction };
      return {
        as(query: unknown) {
          // `.as(sql\`delete ...\`)` is a data-modifying CTE: check the body whatever its form.
          const cte = builder.as(query);
          const body = cteBodyOf(cte);
          if (body !== undefined) refuseWritingSqlObject(target, body);
          return cte;
        },
      };
    });
  }

  const transaction = method('transaction');
  if (transaction !== undefined) {
    wrappers.set('transaction', function (this: unknown, callback: (tx: unknown) => unknown, ...rest: unknown[]) {
      return transaction.call(this, (tx: unknown) => callback(isObject(tx) ? guardDatabase(tx) : tx), ...rest);
    });
  }

  const batch = method('batch');
  if (batch !== undefined) {
    // neon-http: refuse synchronously, even for queries built on an unguarded db.
    wrappers.set('batch', function (this: unknown, queries: unknown) {
      for (const query of queries as Iterable<unknown>) {
        if (isObject(query) && typeof query['getSQL'] === 'function') {
          refuseWritingSqlObject(target, (query['getSQL'] as () => SQL)());
        }
      }
      return batch.call(this, queries);
    });
  }

  // Every query built on the guarded db reads `session` through here: keep its guarded twin at hand.
  let session: unknown;
  let guardedSession: unknown;
  const guarded = new Proxy(db, {
    get(object, property, receiver) {
      if (property === 'session') {
        const value = object[property];
        if (value !== session) (session = value), (guardedSession = isObject(value) ? guardSession(value) : value);
        return guardedSession;
      }
      const wrapper = wrappers.get(property);
      if (wrapper !== undefined) return wrapper;
      const value = Reflect.get(object, property, receiver);
      return property === 'query' && isObject(value) ? guardRelationalQueries(value) : value;
    },
  });
  guards.add(guarded);
  guardedDatabases.set(db, guarded);
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
