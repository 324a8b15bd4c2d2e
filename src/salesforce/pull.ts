/**
 * Reading Salesforce now, past Heroku Connect's polling (django-sforce's
 * `api.pull` and its `updated` / `deleted` feeds): one record, the ids
 * changed in a window, or everything changed since a time, written into the
 * hcTable as Heroku Connect writes it (src/salesforce/local-rows.ts).
 * Edge-safe.
 */
import { desc, eq, isNotNull, type InferSelectModel } from 'drizzle-orm';
import { getTableColumns, type AnyPgDatabase, type PgColumn, type PgTable } from '../compat.ts';
import { InputError } from '../errors.ts';
import type { HcTableLike } from '../metadata.ts';
import type { SalesforceCallOptions, SalesforceClient } from './client.ts';
import { deleteRecords, mappedTable, selectedFields, writeRecords, type MappedTable } from './local-rows.ts';
import { RECORD_ID_PATTERN } from './replies.ts';
import { salesforceDate } from './values.ts';

/** How far back Salesforce's `/updated` and `/deleted` reach. */
export const CHANGE_WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Read one record and write it into `table` as Heroku Connect would (not
 * logged, SYNCED); resolve with the row. A record that no longer exists (or
 * is in the recycle bin) is deleted from the table, as Heroku Connect deletes
 * it, and the result is undefined. One API request (a SOQL query by Id, so a
 * wrong object name is an error, never a deletion).
 *
 * @example
 * const fresh = await pullRecord(sf, db, account, '001xx000003DGb2AAG');
 * if (fresh?.creditLimit !== undefined) ...
 */
export async function pullRecord<T extends HcTableLike>(
  sf: SalesforceClient,
  db: AnyPgDatabase,
  table: T,
  sfid: string,
  options: SalesforceCallOptions = {},
): Promise<InferSelectModel<T> | undefined> {
  const mapped = mappedTable(table);
  if (!RECORD_ID_PATTERN.test(sfid)) throw new InputError(`${JSON.stringify(sfid)} is not a Salesforce record Id (15 or 18 letters and digits).`);
  const soql = `SELECT ${selectedFields(mapped).join(', ')} FROM ${mapped.object.objectName} WHERE Id = '${sfid}'`;
  const records = [];
  for await (const page of sf.query(soql, options)) records.push(...page.records);
  if (records.length === 0) {
    await deleteRecords(db, mapped, [sfid]);
    return undefined;
  }
  await writeRecords(db, mapped, records);
  const sfidColumn = columnOf(mapped, mapped.sfid.key);
  const [row] = await db.select().from(table as PgTable).where(eq(sfidColumn, records[0]!["Id"] as string));
  return row as InferSelectModel<T> | undefined;
}

/** What {@link changedRecords} finds. */
export interface ChangedRecords {
  /** Ids of records created or updated in the window. */
  readonly updated: readonly string[];
  /** Records deleted in the window, with when. */
  readonly deleted: readonly { readonly id: string; readonly deletedDate: Date }[];
  /** The last moment Salesforce's answer covers. */
  readonly latestDateCovered: Date;
}

/**
 * The ids of the object's records created, updated and deleted between
 * `start` and `end` (django-sforce's `Account.updated` / `Account.deleted`):
 * Salesforce's `/updated` and `/deleted`, two API requests. Salesforce only
 * answers for the last 30 days, to the minute.
 *
 * @example
 * const { updated, deleted } = await changedRecords(sf, account, { start: new Date(Date.now() - 3_600_000), end: new Date() });
 */
export async function changedRecords(
  sf: SalesforceClient,
  table: HcTableLike,
  window: { readonly start: Date; readonly end: Date } & SalesforceCallOptions,
): Promise<ChangedRecords> {
  const { objectName } = mappedTable(table).object;
  const updated = await sf.updated(objectName, window);
  const deleted = await sf.deleted(objectName, window);
  return {
    updated: updated.ids,
    deleted: deleted.deletedRecords.map((record) => ({ id: record.id, deletedDate: salesforceTime(record.deletedDate) })),
    latestDateCovered: salesforceTime(updated.latestDateCovered),
  };
}

/** Options of {@link refreshTable}. */
export interface RefreshOptions extends SalesforceCallOptions {
  /** Pull what changed from this time on. Default: the table's newest modstamp (a full load when the table is empty). */
  readonly since?: Date;
  /** Called after each page of records is written, and after the deletes. */
  readonly onProgress?: (progress: RefreshProgress) => void;
}

/** Where a refresh is. */
export interface RefreshProgress {
  /** Records written so far. */
  readonly written: number;
  /** How many records changed, as Salesforce counted them. */
  readonly total: number;
  /** Rows deleted so far. */
  readonly deleted: number;
}

/** What a refresh did. */
export interface RefreshResult extends RefreshProgress {
  /** The time it pulled from; undefined for a full load. */
  readonly since: Date | undefined;
  /** Deletes were looked up from this time on (Salesforce keeps them 30 days); undefined for a full load. */
  readonly deletesSince: Date | undefined;
  /** API requests it sent. */
  readonly apiRequests: number;
}

/**
 * Pull everything that changed in Salesforce since `since` into `table`, as
 * Heroku Connect's poll would: a SOQL query on the modstamp field
 * (SystemModstamp, or its stand-in: heroku-connect.md §2.5), 2,000 records a
 * request, each page written in Heroku Connect's session; then the records
 * deleted since then (`/deleted`, one request) are deleted from the table.
 *
 * @example
 * const { written, deleted } = await refreshTable(sf, db, account, { since: new Date('2024-06-01T00:00:00Z') });
 */
export async function refreshTable(sf: SalesforceClient, db: AnyPgDatabase, table: HcTableLike, options: RefreshOptions = {}): Promise<RefreshResult> {
  const mapped = mappedTable(table);
  const { objectName } = mapped.object;
  sf.assertAllowed(objectName);
  const requestsBefore = sf.requestCount;
  const started = new Date();
  const since = options.since ?? (await newestModstamp(db, mapped));
  const modstampField = mapped.object.modstampField;
  const where = since === undefined ? '' : ` WHERE ${modstampField} >= ${since.toISOString().slice(0, 19)}Z`;
  const soql = `SELECT ${selectedFields(mapped).join(', ')} FROM ${objectName}${where} ORDER BY ${modstampField}, Id`;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  let written = 0;
  let total = 0;
  let deleted = 0;
  for await (const page of sf.query(soql, signal)) {
    if (written === 0) total = page.totalSize;
    await writeRecords(db, mapped, page.records);
    written += page.records.length;
    options.onProgress?.({ written, total, deleted });
  }
  let deletesSince: Date | undefined;
  if (since !== undefined) {
    deletesSince = new Date(Math.max(since.getTime(), started.getTime() - CHANGE_WINDOW_DAYS * DAY_MS + 60_000));
    if (deletesSince.getTime() < started.getTime()) {
      const gone = await sf.deleted(objectName, { start: deletesSince, end: started, ...signal });
      deleted = await deleteRecords(db, mapped, gone.deletedRecords.map((record) => record.id));
      options.onProgress?.({ written, total, deleted });
    }
  }
  return { written, total, deleted, since, deletesSince, apiRequests: sf.requestCount - requestsBefore };
}

/** The newest modstamp in the table, the time a refresh starts from by default. */
async function newestModstamp(db: AnyPgDatabase, mapped: MappedTable): Promise<Date | undefined> {
  if (mapped.modstamp === undefined) return undefined;
  const modstamp = columnOf(mapped, mapped.modstamp.key);
  const [row] = (await db.select({ at: modstamp }).from(mapped.table).where(isNotNull(modstamp)).orderBy(desc(modstamp)).limit(1)) as { at: unknown }[];
  return row?.at instanceof Date ? row.at : undefined;
}

function columnOf(mapped: MappedTable, key: string): PgColumn {
  return (getTableColumns(mapped.table) as Record<string, PgColumn>)[key]!;
}

/** Salesforce's `2024-05-01T12:00:00.000+0000`; a date Salesforce did not send as one is a malformed reply. */
function salesforceTime(text: string): Date {
  const date = salesforceDate(text);
  if (date === null) throw new InputError(`Salesforce sent ${JSON.stringify(text)} where a date/time belongs.`);
  return date;
}
