/**
 * `guardReadOnly(db)`: a view of a Drizzle pg database (or transaction) that
 * refuses, before any SQL is sent, every write to a read-only hcTable
 * (django-heroku-connect's router raising `WriteNotSupportedError`).
 *
 * Two layers (drizzle-notes.md §3):
 * - the write builders (`insert`/`update`/`delete`, also after `with()`)
 *   check their target table when they are created, so the refusal is
 *   synchronous and names the table;
 * - the database's session, as the guarded db shows it, checks the SQL text
 *   of every statement it prepares or sends, and guards the transactions it
 *   starts (drizzle's own `migrate()` runs on the session). Drizzle's query methods read
 *   `this.session`, so everything built from the guarded db (selects with raw
 *   fragments, CTEs, `execute`, `$count`, relational queries, prepared
 *   statements, neon-http `batch` and `$withAuth`) passes that check; parsed
 *   texts are cached.
 * Transactions hand the callback a guarded transaction, at every nesting level.
 *
 * The guard sits on every statement's path, so it is built for speed: the
 * guarded db is an object whose prototype is the db, with the guarded members
 * as its own properties (every other member is an ordinary prototype load, no
 * Proxy trap), its session is guarded the same way, and a transaction, which
 * Drizzle makes for one callback only, gets those members installed on itself. The wrappers of Drizzle's
 * prototype methods are made once per method, not per db or transaction.
 */
import { cteBodyOf, sqlTextOn, type AnyPgDatabase, type PgTable, type SQL } from '../compat.ts';
import { isReadOnlyTable } from '../metadata.ts';
import { SessionSearchPath, embeddedReadOnlyTables, readOnlyWriteIn, refuseWrite, refuseWritingSql, type ReadOnlyWrite } from './read-only-tables.ts';
import type { GuardedDatabase } from './types.ts';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type Members = Record<PropertyKey, unknown>;

/** Marks a guarded db or transaction (`Symbol.for`: shared by every copy of hc-drizzle). */
const GUARDED = Symbol.for('hc-drizzle:guarded');

const guardedDatabases = new WeakMap<object, object>();

/** Where a guarded db, its sessions and transactions keep their {@link SessionSearchPath}. */
const SEARCH_PATH = Symbol('hc-drizzle:search-path');

/** The search_path of whatever a wrapper runs on (`this`); undefined: unknown, any schema. */
function pathOf(holder: unknown): SessionSearchPath | undefined {
  return (holder as Members)[SEARCH_PATH] as SessionSearchPath | undefined;
}

// One search_path per client (pool): every guarded db over it sees what the others set.
const pathsByClient = new WeakMap<object, SessionSearchPath>();

/** A URL part percent-decoded, or as it is when it does not decode. */
function decodedOrSame(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The search_path of sessions on `client`, as its configuration tells:
 * the role (for `"$user"`) from `user` or the connection string, and any
 * schema when the connection options (or PGOPTIONS) set a search_path.
 */
function searchPathOf(client: unknown): SessionSearchPath {
  if (!isObject(client) && typeof client !== 'function') return new SessionSearchPath({ any: true });
  let path = pathsByClient.get(client as object);
  if (path !== undefined) return path;
  const holder = client as Members;
  const config = isObject(holder['options']) ? (holder['options'] as Members) : holder;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const roles: string[] = [];
  let any = /search_path/i.test(String(env?.['PGOPTIONS'] ?? '')) || /search_path/i.test(String(config['options'] ?? ''));
  for (const user of [config['user'], holder['user'], env?.['PGUSER']]) if (typeof user === 'string') roles.push(user);
  const connectionString = config['connectionString'];
  if (typeof connectionString === 'string') {
    if (/search_path/i.test(decodedOrSame(connectionString))) any = true;
    const user = /^[a-z]+:\/\/([^:@/]+)(?::[^@/]*)?@/i.exec(connectionString)?.[1];
    if (user !== undefined) roles.push(decodedOrSame(user));
  }
  path = new SessionSearchPath({ roles, any });
  pathsByClient.set(client as object, path);
  return path;
}

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

/** Refuse an SQL object that writes to a read-only hcTable, rendered with the dialect of `db`. */
function refuseWritingSqlObject(db: unknown, query: SQL): void {
  refuseWritingSql(sqlTextOn(db, query), embeddedReadOnlyTables(query), pathOf(db));
}

/** Refuse a query (SQL text, an `SQL` object, a query builder) that writes to a read-only hcTable. */
function refuseWritingQuery(db: unknown, query: unknown): void {
  if (typeof query === 'string') refuseWritingSql(query, undefined, pathOf(db));
  else if (isObject(query) && typeof query['getSQL'] === 'function') {
    refuseWritingSqlObject(db, (query['getSQL'] as () => SQL)());
  }
}

// The methods of a prepared query that send it (drivers differ: `values` is Neon's).
const RUNNING_METHODS = ['execute', 'all', 'values'] as const;

/**
 * A prepared query that writes to a read-only hcTable, made while restrictions
 * were lifted (`withoutWriteRestrictions`): the permission belongs to that
 * call, so every run asks again and is refused outside it.
 */
function checkedAtEachRun(prepared: unknown, write: ReadOnlyWrite): unknown {
  if (!isObject(prepared)) return prepared;
  for (const method of RUNNING_METHODS) {
    const run = prepared[method];
    if (typeof run !== 'function') continue;
    prepared[method] = function (this: unknown) {
      refuseWrite(write.table, write.operation);
      // eslint-disable-next-line prefer-rest-params
      return Reflect.apply(run as AnyFunction, this, arguments);
    };
  }
  return prepared;
}

/** A session's `prepareQuery`, checking the text of every statement first; runs on the session it is called on. */
const checkingPrepareQuery = memoized(
  (prepareQuery) =>
    function (this: unknown, query: unknown) {
      const write = readOnlyWriteIn((query as { sql: string }).sql, undefined, pathOf(this));
      // eslint-disable-next-line prefer-rest-params
      if (write === undefined) return Reflect.apply(prepareQuery, this, arguments);
      refuseWrite(write.table, write.operation);
      // eslint-disable-next-line prefer-rest-params
      return checkedAtEachRun(Reflect.apply(prepareQuery, this, arguments), write);
    },
);

/** A `transaction(callback, ...)` of a db or a session: the callback gets the transaction guarded. */
const guardingTransaction = memoized(
  (transaction) =>
    function (this: unknown, callback: unknown, ...rest: unknown[]) {
      const run = callback as (tx: unknown) => unknown;
      const path = pathOf(this);
      return transaction.call(this, (tx: unknown) => run(isObject(tx) ? guardTransaction(tx, path) : tx), ...rest);
    },
);

/** A session method that runs SQL text directly (`query(text, params)` on Neon's sessions). */
const checkingTextQuery = memoized(
  (query) =>
    function (this: unknown, text: unknown) {
      if (typeof text === 'string') refuseWritingSql(text, undefined, pathOf(this));
      // eslint-disable-next-line prefer-rest-params
      return Reflect.apply(query, this, arguments);
    },
);

/** neon-http's `batch(queries)`: refuse synchronously, even for queries built on an unguarded db. */
const checkingBatch = memoized(
  (batch) =>
    function (this: unknown, queries: unknown) {
      for (const query of queries as Iterable<unknown>) refuseWritingQuery(this, query);
      return batch.call(this, queries);
    },
);

type Wrappers = Readonly<Record<string, (original: AnyFunction) => AnyFunction>>;

/** How objects of one class get their wrappers: the methods their prototype has, each wrapped once, and the rest. */
interface ClassGuarding {
  readonly inherited: readonly (readonly [string, AnyFunction])[];
  /** The wrapped members the prototype does not have: an object may have them of its own. */
  readonly others: readonly string[];
}

/**
 * The wrappers of the methods objects of `object`'s class inherit, made once
 * per prototype. Drizzle makes a transaction and its session for one
 * callback, and looking every method and its wrapper up again for each was
 * most of what guarding them cost (profiled on PGlite). What an object has
 * of its own (`$with`, an arrow function its constructor sets, or a method an
 * app put on that one db) is read from each object.
 */
function classGuardingOf(object: Members, wrappers: Wrappers, found: WeakMap<object, ClassGuarding>): ClassGuarding {
  const prototype = Object.getPrototypeOf(object) as Members | null;
  let guarding = prototype === null ? undefined : found.get(prototype);
  if (guarding === undefined) {
    const inherited: [string, AnyFunction][] = [];
    const others: string[] = [];
    for (const property of Object.keys(wrappers)) {
      const original = prototype?.[property];
      if (typeof original === 'function') inherited.push([property, wrappers[property]!(original as AnyFunction)]);
      else others.push(property);
    }
    guarding = { inherited, others };
    if (prototype !== null) found.set(prototype, guarding);
  }
  return guarding;
}

/**
 * Give `holder` the wrappers of `source`'s methods (`holder` is `source`, or
 * derived from it): the class's, except for what `source` has of its own,
 * which is wrapped for it alone.
 */
function installClassWrappers(holder: Members, source: Members, guarding: ClassGuarding, wrappers: Wrappers): void {
  for (const [property, wrapper] of guarding.inherited) {
    if (Object.hasOwn(source, property)) installOwnWrapper(holder, source, property, wrappers);
    else holder[property] = wrapper;
  }
  for (const property of guarding.others) if (Object.hasOwn(source, property)) installOwnWrapper(holder, source, property, wrappers);
}

function installOwnWrapper(holder: Members, source: Members, property: string, wrappers: Wrappers): void {
  const original = source[property];
  if (typeof original === 'function') holder[property] = wrappers[property]!(original as AnyFunction);
}

/** Drizzle's db and transaction classes, and its session classes, as guarded so far. */
const databaseClasses = new WeakMap<object, ClassGuarding>();
const sessionClasses = new WeakMap<object, ClassGuarding>();

/**
 * The wrappers of a session's methods. Every way a session sends SQL or makes
 * another session is here: `prepareQuery` (which `execute`, `all` and every
 * builder go through), Neon's `query`/`queryObjects` (raw text), neon-http's
 * `batch`, and `transaction`, whose callback would otherwise get a
 * transaction on a fresh, unguarded session (drizzle's own `migrate()` runs
 * its migrations that way).
 */
const sessionWrappers: Wrappers = {
  prepareQuery: checkingPrepareQuery,
  transaction: guardingTransaction,
  query: checkingTextQuery,
  queryObjects: checkingTextQuery,
  batch: checkingBatch,
};

/** Store on `holder` the wrappers of `session`'s methods (its own or inherited), and mark it guarded. */
function installSessionWrappers(holder: Members, session: Members, path: SessionSearchPath | undefined): void {
  holder[SEARCH_PATH] = path;
  installClassWrappers(holder, session, classGuardingOf(session, sessionWrappers, sessionClasses), sessionWrappers);
  holder[GUARDED] = true;
}

// A guarded db's session is shared with the unguarded db, so it is never
// changed: the guarded db sees an object derived from it, made once.
const derivedSessions = new WeakMap<object, Members>();

/** The session as a guarded db shows it: every statement it sends has its text checked. */
function guardSharedSession(session: Members, path?: SessionSearchPath): Members {
  if (session[GUARDED] === true) return session;
  let derived = derivedSessions.get(session);
  if (derived === undefined) {
    derived = Object.create(session) as Members;
    installSessionWrappers(derived, session, path);
    derivedSessions.set(session, derived);
  }
  return derived;
}

/** An object whose `session` is shown guarded: `db._`, and each relational query builder, captured the raw session. */
const sessionHolderHandler: ProxyHandler<Members> = {
  get(target, property, receiver) {
    const value = Reflect.get(target, property, receiver);
    return property === 'session' && isObject(value) ? guardSharedSession(value) : value;
  },
};

/** `db.query.<table>`: each relational query builder shown with a guarded session. */
const relationalQueriesHandler: ProxyHandler<Members> = {
  get(target, property, receiver) {
    const builder = Reflect.get(target, property, receiver);
    return isObject(builder) ? new Proxy(builder, sessionHolderHandler) : builder;
  },
};

/** The wrappers of a db's methods; `this` is the guarded db (or transaction) they are called on. */
const methodWrappers: Wrappers = {
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

  // `$with` is an arrow-function member of each db, so its wrapper is made per db (not memoized).
  $with: (defineCte) =>
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

  transaction: guardingTransaction,
  // neon-http: refuse synchronously, even for queries built on an unguarded db.
  batch: checkingBatch,
  // neon-http: 0.45 answers a proxy of the (guarded) db it is called on; 1.0 a new db on a new session, guarded here.
  $withAuth: memoized(
    (withAuth) =>
      function (this: unknown, ...args: unknown[]) {
        const authed = withAuth.apply(this, args) as unknown;
        return isObject(authed) && authed[GUARDED] !== true ? guardDatabase(authed) : authed;
      },
  ),
};

/** Whether `object` has an own enumerable key (without listing them all). */
function hasKeys(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** Give `holder` the guarded members of `source` other than the wrapped methods. */
function installGuardedMembers(holder: Members, source: Members, path: SessionSearchPath | undefined): void {
  // Every query built on the guarded db reads `session` from it.
  const { session, _: internals, query } = source;
  holder[SEARCH_PATH] = path;
  if (isObject(session)) holder['session'] = guardSharedSession(session, path);
  if (isObject(internals)) holder['_'] = new Proxy(internals, sessionHolderHandler);
  // `query` is `{}` without a relational schema: nothing to guard.
  if (isObject(query) && hasKeys(query)) holder['query'] = new Proxy(query, relationalQueriesHandler);
  holder[GUARDED] = true;
}

/** Drizzle makes a transaction for one callback only: guard it in place. */
function guardTransaction(tx: Members, path: SessionSearchPath | undefined): object {
  if (tx[GUARDED] === true) return tx;
  installClassWrappers(tx, tx, classGuardingOf(tx, methodWrappers, databaseClasses), methodWrappers);
  const session = tx['session'];
  if (isObject(session) && session[GUARDED] !== true && !derivedSessions.has(session)) {
    // A session made for this transaction alone (Drizzle's drivers make one per
    // transaction, or reuse a guarded one): check it in place, and `tx._` and
    // `tx.query`, which hold the same session, are guarded with it.
    installSessionWrappers(session, session, path);
    tx[SEARCH_PATH] = path;
    tx[GUARDED] = true;
  } else {
    installGuardedMembers(tx, tx, path);
  }
  return tx;
}

function guardDatabase(db: Members): object {
  if (db[GUARDED] === true) return db;
  let guarded = guardedDatabases.get(db);
  if (guarded === undefined) {
    const derived = Object.create(db) as Members;
    installClassWrappers(derived, db, classGuardingOf(db, methodWrappers, databaseClasses), methodWrappers);
    installGuardedMembers(derived, db, searchPathOf(db['$client'] ?? (isObject(db['session']) ? db['session']['client'] : undefined)));
    guardedDatabases.set(db, (guarded = derived));
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
// @__NO_SIDE_EFFECTS__
export function guardReadOnly<DB extends AnyPgDatabase>(db: DB): GuardedDatabase<DB> {
  return guardDatabase(db as unknown as Members) as GuardedDatabase<DB>;
}

/** Whether a value is a database or transaction wrapped by {@link guardReadOnly}. */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function isGuarded(value: unknown): boolean {
  return isObject(value) && value[GUARDED] === true;
}
