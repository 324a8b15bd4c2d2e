/**
 * The feed talks to the database through one small interface, whatever the
 * driver: run a statement, and LISTEN where the driver can. node-postgres
 * and neon-serverless pools LISTEN on a connection of their own, PGlite
 * through its `listen()`, and neon-http cannot (the subscriber polls).
 */
import { sql, type SQL } from 'drizzle-orm';
import { executeRows, type AnyPgDatabase } from '../compat.ts';
import { InputError } from '../errors.ts';

/** What the feed needs of a database. */
export interface FeedConnection {
  /** Which driver, for messages. */
  readonly driver: 'pool' | 'pglite' | 'neon-http' | 'drizzle';
  /** Run one statement with `$1`-style parameters; resolve its rows. */
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * LISTEN on `channel` until the returned function is called; `onLost` is
   * called once if the listening connection breaks. Undefined when the
   * driver cannot listen.
   */
  readonly listen:
    | ((channel: string, onNotify: (payload: string) => void, onLost: (error: Error) => void) => Promise<() => Promise<void>>)
    | undefined;
  /** End what the feed opened itself (a pool made from a URL); a no-op otherwise. */
  close(): Promise<void>;
}

/**
 * A database the feed can subscribe through: a node-postgres or
 * neon-serverless `Pool`, a `PGlite` instance, a neon-http `neon()` query
 * function, or a Drizzle database over one of those.
 */
export type FeedPool = object;

interface PoolClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  release(error?: Error | boolean): void;
}
interface PoolLike {
  connect(): Promise<PoolClientLike>;
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  totalCount: number;
}
interface PgliteLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  waitReady: Promise<void>;
}
interface NeonHttpLike {
  (strings: TemplateStringsArray, ...values: unknown[]): Promise<unknown>;
  query(text: string, params?: unknown[]): Promise<unknown[]>;
}

const isPglite = (value: object): value is PgliteLike =>
  'waitReady' in value && typeof (value as PgliteLike).listen === 'function' && typeof (value as PgliteLike).query === 'function';
const isPool = (value: object): value is PoolLike =>
  typeof (value as PoolLike).connect === 'function' && typeof (value as PoolLike).query === 'function' && 'totalCount' in value;
const isNeonHttp = (value: object): value is NeonHttpLike =>
  typeof value === 'function' && typeof (value as NeonHttpLike).query === 'function';
const isDrizzleDatabase = (value: object): value is AnyPgDatabase & { $client?: unknown } =>
  typeof (value as AnyPgDatabase).execute === 'function' && typeof (value as AnyPgDatabase).select === 'function';

/** The feed's view of a pool, PGlite, neon() function or Drizzle database. */
export function connectionOf(pool: FeedPool): FeedConnection {
  if (isDrizzleDatabase(pool)) {
    const client = pool.$client;
    if (typeof client === 'object' || typeof client === 'function') {
      if (client !== null && (isPool(client) || isPglite(client) || isNeonHttp(client))) return connectionOf(client);
    }
    throw new InputError(
      'This Drizzle database is not over a pool: give subscribeChanges a pg or Neon Pool, a PGlite instance, a neon() function, or a URL.',
    );
  }
  if (isPglite(pool)) {
    return {
      driver: 'pglite',
      query: async <R>(text: string, params: readonly unknown[] = []) => (await pool.query(text, [...params])).rows as R[],
      listen: async (channel, onNotify) => pool.listen(channel, onNotify),
      close: async () => {},
    };
  }
  if (isNeonHttp(pool)) {
    return {
      driver: 'neon-http',
      query: async <R>(text: string, params: readonly unknown[] = []) => (await pool.query(text, [...params])) as R[],
      listen: undefined,
      close: async () => {},
    };
  }
  if (isPool(pool)) {
    // One connection stays checked out for LISTEN: a pool of one would leave none for the claims.
    const max = (pool as { options?: { max?: unknown } }).options?.max;
    if (typeof max === 'number' && max < 2) {
      throw new InputError(`The pool allows ${max} connection: the change feed keeps one for LISTEN and needs at least one more (max: 2 or more).`);
    }
    return poolConnection(pool, async () => {});
  }
  throw new InputError(
    'subscribeChanges needs `url` or `pool`: a pg or Neon Pool, a PGlite instance, a neon() function, or a Drizzle database over one.',
  );
}

/** A node-postgres pool of its own for `url`, ended by `close()`. */
export async function urlConnection(url: string): Promise<FeedConnection> {
  if (!/^postgres(?:ql)?:\/\//.test(url)) {
    throw new InputError('The change feed needs a postgres:// URL (or pass `pool`: a PGlite instance, a Neon pool or function).');
  }
  const { default: pg } = await import('pg');
  // One connection listens; the others claim and acknowledge.
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle connection the server dropped must not crash the process.
  pool.on('error', () => {});
  return poolConnection(pool as unknown as PoolLike, () => pool.end());
}

function poolConnection(pool: PoolLike, close: () => Promise<void>): FeedConnection {
  return {
    driver: 'pool',
    query: async <R>(text: string, params: readonly unknown[] = []) => (await pool.query(text, [...params])).rows as R[],
    listen: async (channel, onNotify, onLost) => {
      const client = await pool.connect();
      let done = false;
      // Only our own listeners come off: the pool (and whoever opened it) listen to the client too.
      const notification = (message: { channel: string; payload?: string }) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      };
      const failed = (error: Error) => loseOnce(error);
      const ended = () => loseOnce(new Error('The listening connection ended.'));
      const detach = () => {
        done = true;
        client.off('notification', notification as never);
        client.off('error', failed as never);
        client.off('end', ended as never);
      };
      const loseOnce = (error: Error) => {
        if (done) return;
        detach();
        client.release(error);
        onLost(error);
      };
      client.on('notification', notification as never);
      client.on('error', failed as never);
      client.on('end', ended as never);
      try {
        await client.query(`listen ${channel}`);
      } catch (error) {
        loseOnce(error as Error);
        throw error;
      }
      return async () => {
        if (done) return;
        detach();
        try {
          await client.query(`unlisten ${channel}`);
          client.release();
        } catch (error) {
          client.release(error as Error);
        }
      };
    },
    close,
  };
}

/** Statements with `$n` parameters run through a Drizzle database or transaction. */
export function databaseConnection(db: AnyPgDatabase): FeedConnection {
  return {
    driver: 'drizzle',
    query: <R>(text: string, params: readonly unknown[] = []) => executeRows<R>(db, withParams(text, params)),
    listen: undefined,
    close: async () => {},
  };
}

/** `text` with each `$n` bound to `params[n - 1]`, as Drizzle SQL. */
function withParams(text: string, params: readonly unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)\b/g)) {
    chunks.push(sql.raw(text.slice(last, match.index)));
    chunks.push(sql`${sql.param(params[Number(match[1]) - 1])}`);
    last = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}
