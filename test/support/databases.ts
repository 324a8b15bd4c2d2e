/**
 * The databases every database test runs on: PGlite always, and the
 * PostgreSQL server of DATABASE_URL when it is set.
 */
import { createTestDatabase } from '../../src/testing/test-database.ts';
import type { OpenDatabase } from '../../src/node/database.ts';

export interface DatabaseTarget {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<OpenDatabase>;
}

export function databaseTargets(): DatabaseTarget[] {
  const url = process.env['DATABASE_URL'] || undefined;
  const targets: DatabaseTarget[] = [{ name: 'pglite', open: () => createTestDatabase({ url: undefined }) }];
  if (url !== undefined) targets.push({ name: 'postgres', open: () => createTestDatabase({ url }) });
  return targets;
}

/** The URL of a test database made on the PostgreSQL server at `serverUrl`, for another process to open. */
export async function urlOf(database: OpenDatabase, serverUrl: string): Promise<string> {
  const [row] = await database.query<{ name: string }>('select current_database() as name');
  const url = new URL(serverUrl);
  url.pathname = `/${row!.name}`;
  return url.toString();
}
