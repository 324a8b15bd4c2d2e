/**
 * Opening a database for the CLI and for tests: PostgreSQL through
 * node-postgres when a URL is given, embedded PGlite (with hstore) otherwise.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ClientBase } from 'pg';
import type { AnyPgDatabase } from '../compat.ts';
import { InputError } from '../errors.ts';

/** Where embedded PGlite keeps its data when no database URL is given. */
export const DEFAULT_PGLITE_DIR = '.hc-drizzle/pglite';

/** An open database and what the CLI needs besides the Drizzle instance. */
export interface OpenDatabase {
  readonly db: AnyPgDatabase;
  readonly kind: 'postgres' | 'pglite';
  /** Where it is, for messages: host/database, never a password. */
  readonly description: string;
  /** The host (or socket folder) node-postgres connects to, for the "is it on this machine?" checks; undefined for PGlite. */
  readonly host: string | undefined;
  /** The node-postgres config it was opened with (PostgreSQL only), for the same checks. */
  readonly connectionConfig?: Readonly<Record<string, unknown>>;
  /** Run SQL text that may hold several statements (DDL, fixtures). */
  exec(sqlText: string): Promise<void>;
  /** Run one statement and return its rows. */
  query<R = Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** A postgres:// URL. Without it, embedded PGlite is opened. */
  readonly url?: string | undefined;
  /** PGlite data folder (default {@link DEFAULT_PGLITE_DIR}); `memory://` keeps nothing. */
  readonly pgliteDir?: string | undefined;
}

/** Open PostgreSQL at `url`, or embedded PGlite when there is none. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  return options.url === undefined ? openPglite(options.pgliteDir ?? DEFAULT_PGLITE_DIR) : openPostgres(options.url);
}

/** Open PostgreSQL through node-postgres. */
export async function openPostgres(url: string): Promise<OpenDatabase> {
  if (!/^postgres(?:ql)?:\/\//i.test(url)) {
    throw new InputError('The database URL is not a valid URL (expected postgres://user:password@host:port/database).');
  }
  // Where node-postgres really connects: the URL read by its own parser, PGHOST and the other PG* settings included.
  const { describeEndpoint, postgresEndpoint } = await import('../dev/local-host.ts');
  const endpoint = await postgresEndpoint(url);
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // pool.end() resolves before the sockets close: close() waits for them, so the database can be dropped right after.
  const connected = new Set<ClientBase>();
  pool.on('connect', (client) => {
    connected.add(client);
    client.once('end', () => connected.delete(client));
  });
  const close = async () => {
    const ended = [...connected].map((client) => new Promise((resolve) => client.once('end', resolve)));
    await pool.end();
    await Promise.all(ended);
  };
  const description = describeEndpoint(endpoint);
  try {
    await pool.query('select 1');
  } catch (error) {
    await close();
    throw new InputError(`Could not connect to PostgreSQL at ${description}: ${(error as Error).message}.`, { cause: error });
  }
  return {
    db: drizzle({ client: pool }),
    kind: 'postgres',
    description,
    host: endpoint.host,
    connectionConfig: { connectionString: url },
    exec: async (sqlText) => void (await pool.query(sqlText)),
    query: async <R>(sqlText: string, params: unknown[] = []) => (await pool.query(sqlText, params)).rows as R[],
    close,
  };
}

/** PGlite is an optional peer: the one line that says how to get it. */
async function importPglite() {
  try {
    return await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/hstore')]);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new InputError(
      'Embedded PGlite needs the @electric-sql/pglite package: run `npm i -D @electric-sql/pglite`, or give a postgres:// URL (--url or DATABASE_URL).',
      { cause: error },
    );
  }
}

/**
 * A PGlite folder is new, empty, or a database already: never a folder of
 * other files (`pglite:.` would scatter a PostgreSQL data directory among
 * the project's files), never a file.
 */
async function refuseForeignFolder(location: string, given: string): Promise<void> {
  const found = await stat(location).catch(() => undefined);
  if (found === undefined) return;
  if (!found.isDirectory()) throw new InputError(`The PGlite folder ${given} is a file: name a new or empty folder, for example .hc-drizzle/pglite.`);
  const entries = await readdir(location);
  if (entries.length === 0 || entries.includes('PG_VERSION')) return;
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', ...' : '');
  throw new InputError(`The PGlite folder ${given} holds other files (${shown}) and no database: name a new or empty folder, for example .hc-drizzle/pglite.`);
}

/** Open embedded PGlite with the hstore extension available. */
export async function openPglite(dataDir: string): Promise<OpenDatabase> {
  const [{ PGlite }, { hstore }] = await importPglite();
  const { drizzle } = await import('drizzle-orm/pglite');
  const inMemory = dataDir.startsWith('memory://');
  const location = inMemory ? dataDir : resolve(dataDir);
  if (!inMemory) {
    await refuseForeignFolder(location, dataDir);
    await mkdir(location, { recursive: true });
  }
  // PGlite ignores the options argument when the first one is not a string.
  const client = new PGlite({ ...(inMemory ? {} : { dataDir: location }), extensions: { hstore } });
  await client.waitReady;
  return {
    db: drizzle({ client }),
    kind: 'pglite',
    description: inMemory ? 'embedded PGlite (in memory)' : `embedded PGlite in ${location}`,
    host: undefined,
    exec: async (sqlText) => void (await client.exec(sqlText)),
    query: async <R>(sqlText: string, params: unknown[] = []) => (await client.query<R>(sqlText, params)).rows,
    close: () => client.close(),
  };
}
