import type { AnyPgDatabase, PgTable } from '../compat.ts';
import { captureRecord, type RecordRef } from './capture.ts';
import { columnNamesOf, textArray } from './capture-columns.ts';
import type { TriggerLogRow } from './tables.ts';

/**
 * Queue an UPDATE of an existing row through `hc_capture_update_from_row`
 * (heroku-connect.md §3.4): a NEW log whose `values` holds only `include`
 * (property or column names), or every column when `include` is empty.
 * `sfid` comes from the row; list `sfid` in `include` to send it too.
 *
 * @throws {RecordNotFoundError} when the table has no row with that id.
 * @throws {InputError} when `include` names an unknown column.
 * @example
 * const log = await captureUpdate(db, account, 42, { include: ['name', 'phone'] });
 */
export async function captureUpdate(
  db: AnyPgDatabase,
  table: PgTable,
  record: RecordRef,
  options: { readonly include?: readonly string[] } = {},
): Promise<TriggerLogRow> {
  return captureRecord(db, 'hc_capture_update_from_row', table, record, textArray(columnNamesOf(table, options.include ?? [])));
}
