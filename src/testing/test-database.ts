/**
 * A throw-away database for tests: a fresh PostgreSQL database on the server
 * of `DATABASE_URL` (dropped on close), or in-memory PGlite.
 */
import { openDatabase, openPostgres, type OpenDatabase } from '../node/database.ts';

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /** A server URL; a new database is created on it. Default `DATABASE_URL`; none means PGlite. */
  readonly url?: string | undefined;
}

let created = 0;

/**
 * Create an isolated, empty database. On PostgreSQL each call makes a new
 * database (`hc_test_<pid>_<n>`) so test files never see each other's data;
 * `close()` drops it.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<OpenDatabase> {
  const url = 'url' in options ? options.url : process.env['DATABASE_URL'] || undefined;
  if (url === undefined) return openDatabase({ pgliteDir: 'memory://' });
  const name = `hc_test_${process.pid}_${Date.now().toString(36)}_${++created}`;
  const admin = await openPostgres(url);
  try {
    await admin.exec(`create database "${name}"`);
  } finally {
    await admin.close();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openPostgres(target.toString());
  return {
    ...database,
    close: async () => {
      await database.close();
      const cleanup = await openPostgres(url);
      try {
        await cleanup.exec(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleanup.close();
      }
    },
  };
}
