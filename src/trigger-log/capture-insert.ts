import type { AnyPgDatabase, PgTable } from '../compat.ts';
import { captureRecord, type RecordRef } from './capture.ts';
import { columnNamesOf, textArray } from './capture-columns.ts';
import type { TriggerLogRow } from './tables.ts';

/**
 * Queue an INSERT of an existing row through `hc_capture_insert_from_row`
 * (heroku-connect.md §3.4): a NEW log whose `values` is the whole row minus
 * `exclude` (property or column names; `id` and `sfid` are always kept).
 *
 * @throws {RecordNotFoundError} when the table has no row with that id.
 * @throws {InputError} when `exclude` names an unknown column.
 * @example
 * const log = await captureInsert(db, account, 42, { exclude: ['description'] });
 */
export async function captureInsert(
  db: AnyPgDatabase,
  table: PgTable,
  record: RecordRef,
  options: { readonly exclude?: readonly string[] } = {},
): Promise<TriggerLogRow> {
  return captureRecord(db, 'hc_capture_insert_from_row', table, record, textArray(columnNamesOf(table, options.exclude ?? [])));
}
