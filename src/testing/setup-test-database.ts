/**
 * A test database with the Heroku Connect development schema in one call, as
 * django-heroku-connect's test runner gives Django tests (heroku-connect.md §6:
 * the schema is created once per test database, before any test runs).
 */
import { getTableName, tableSchemaOf } from '../compat.ts';
import { createDevelopmentSchema, type DevelopmentSchemaResult } from '../dev/create-development-schema.ts';
import { qualified } from '../dev/sql-text.ts';
import { collectHcTables } from '../mapping/collect-tables.ts';
import type { OpenDatabase } from '../node/database.ts';
import { createTestDatabase, type TestDatabaseOptions } from './test-database.ts';

/** A test database holding the development schema. */
export interface HcTestDatabase extends OpenDatabase {
  /** What the schema setup created. */
  readonly schema: DevelopmentSchemaResult;
  /**
   * Empty every hcTable and both trigger log tables and restart their ids,
   * keeping the schema: call it between tests. TRUNCATE is not logged (§3.3).
   */
  reset(): Promise<void>;
}

/**
 * Create an isolated test database (PGlite, or a fresh database on the
 * `DATABASE_URL` server) with the Heroku Connect schema for `schema`
 * (tables, or a module namespace). `close()` drops it.
 *
 * @example
 * import * as salesforce from '../src/salesforce.ts';
 * const database = await setupTestDatabase(salesforce);
 * after(() => database.close());
 * beforeEach(() => database.reset());
 */
export async function setupTestDatabase(schema: unknown, options: TestDatabaseOptions = {}): Promise<HcTestDatabase> {
  const database = await createTestDatabase(options);
  let result: DevelopmentSchemaResult;
  try {
    result = await createDevelopmentSchema(database, schema, { ifNotExists: true });
  } catch (error) {
    await database.close();
    throw error;
  }
  const tables = [
    ...collectHcTables(schema).map((table) => qualified(tableSchemaOf(table), getTableName(table))),
    ...result.schemas.flatMap((name) => [qualified(name, '_trigger_log'), qualified(name, '_trigger_log_archive')]),
  ];
  const reset = () => database.exec(`truncate ${tables.join(', ')} restart identity`);
  return { ...database, schema: result, reset };
}
