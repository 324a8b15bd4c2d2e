/**
 * `installChangeFeed()`: the feed's schema and the capture triggers on the
 * chosen hcTables. Idempotent: run it at deploy time, as often as you like;
 * every subscriber runs it too when it starts.
 */
import type { AnyPgDatabase } from '../compat.ts';
import { InputError } from '../errors.ts';
import { databaseConnection, type FeedConnection } from './connection.ts';
import { feedMachineryDdl } from './ddl.ts';
import { ensureCapture, registerGroup, type CaptureStatus } from './queries.ts';
import { feedTablesOf, tableRefOf, type FeedTables } from './tables.ts';
import { validGroupName } from './options.ts';

/** Options of {@link installChangeFeed}. */
export interface InstallChangeFeedOptions {
  /**
   * Groups to keep changes for from now on, before any of their subscribers
   * has started (a subscriber registers its group itself when it starts).
   */
  readonly groups?: readonly string[];
}

/** What {@link installChangeFeed} found and did, per table. */
export interface InstallChangeFeedResult {
  /**
   * `installed` (new), `reinstalled` (the triggers had gone: a resync change
   * went to the table's groups), or `ok` (already in place).
   */
  readonly tables: readonly CaptureStatus[];
}

/**
 * Install the change feed for `tables` (hcTables, or a module namespace):
 * the `hc_drizzle_feed` schema, and on each table a trigger that records the
 * inserts, updates and deletes Heroku Connect's session makes (not the
 * application's) with a NOTIFY. Idempotent.
 *
 * @throws {InputError} when `tables` holds no hcTable or a group name is not valid.
 * @example
 * import * as salesforce from './salesforce.ts';
 * await installChangeFeed(db, salesforce);                         // at deploy time
 * await installChangeFeed(db, [account], { groups: ['billing'] }); // keep changes for billing from now on
 */
export async function installChangeFeed(
  db: AnyPgDatabase,
  tables: FeedTables,
  options: InstallChangeFeedOptions = {},
): Promise<InstallChangeFeedResult> {
  const refs = feedTablesOf(tables, 'installChangeFeed').map(tableRefOf);
  const groups = (options.groups ?? []).map(validGroupName);
  try {
    return { tables: await installOn(databaseConnection(db), refs, groups, false) };
  } catch (error) {
    const missing = undefinedTableError(error);
    if (missing !== undefined) throw new InputError(missing.message, { cause: error });
    throw error;
  }
}

/** The PostgreSQL "undefined table" error (42P01) behind a driver's or Drizzle's wrapper, if that is what `error` is. */
function undefinedTableError(error: unknown): Error | undefined {
  for (let at: unknown = error; at instanceof Error; at = at.cause) {
    if ((at as { code?: unknown }).code === '42P01') return at;
  }
  return undefined;
}

/** The install on any feed connection; `missingOk` reports a missing table instead of failing. */
export async function installOn(
  connection: FeedConnection,
  tables: Parameters<typeof ensureCapture>[1],
  groups: readonly string[],
  missingOk: boolean,
): Promise<CaptureStatus[]> {
  await connection.query(feedMachineryDdl());
  for (const group of groups) await registerGroup(connection, group, tables);
  return ensureCapture(connection, tables, missingOk);
}
