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
