/** The databases a bench runs on: PostgreSQL (DATABASE_URL, else the local server), then PGlite. */
import type { OpenDatabase } from '../../src/node/database.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';

/** The PostgreSQL server the benches use: DATABASE_URL, else the local one. */
export const BENCH_POSTGRES_URL = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Run `bench` on a fresh database of each kind (`--on postgresql` or
 * `--on pglite` for one), closing it after; a server that cannot be reached
 * is skipped with a line. Resolves to whether every run met its target.
 */
export async function onBenchDatabases(bench: (name: string, database: OpenDatabase) => Promise<boolean>): Promise<boolean> {
  const on = process.argv.indexOf('--on');
  const only = on > 0 ? process.argv[on + 1]?.toLowerCase() : undefined;
  const kinds = (
    [
      ['PostgreSQL', () => createTestDatabase({ url: BENCH_POSTGRES_URL })],
      ['PGlite', () => createTestDatabase({ url: undefined })],
    ] as [string, () => Promise<OpenDatabase>][]
  ).filter(([name]) => only === undefined || name.toLowerCase() === only);
  let met = true;
  for (const [name, open] of kinds) {
    let database: OpenDatabase;
    try {
      database = await open();
    } catch (error) {
      process.stdout.write(`${name}: skipped (${(error as Error).message})\n`);
      continue;
    }
    try {
      met = (await bench(name, database)) && met;
    } finally {
      await database.close();
    }
  }
  return met;
}
