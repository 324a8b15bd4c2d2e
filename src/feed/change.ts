/**
 * What a handler receives, typed by the hcTables subscribed to, and how a
 * captured row (jsonb of its columns) becomes the table's select type
 * through Drizzle's own column mappers.
 */
import { columnSqlType, decodeColumnValue, getTableColumns, getTableName, tableSchemaOf, type PgColumn, type PgTable, type SelectModelOf } from '../compat.ts';
import type { ClaimedRow } from './queries.ts';

/** What Heroku Connect did to the row. */
export type ChangeOp = 'insert' | 'update' | 'delete';

interface ChangeFacts<T extends PgTable> {
  /** The change's id in the feed (a bigint, as text): the same on every redelivery. */
  readonly id: string;
  /** The hcTable, one of those subscribed to: narrow with {@link isChangeOf}. */
  readonly table: T;
  /** When Heroku Connect wrote it (the database clock, inside its transaction). */
  readonly at: Date;
  /** The subscriber group handling it. */
  readonly group: string;
  /** 1 on the first delivery, more on retries (and after a subscriber died holding it). */
  readonly attempt: number;
}

/**
 * A change Heroku Connect made to a row of `T`: `row` is the row after an
 * insert or update and the deleted row for a delete; `old` is the row before
 * an update.
 */
export type Change<T extends PgTable = PgTable> = T extends PgTable
  ? ChangeFacts<T> &
      (
        | { readonly op: 'insert'; readonly row: SelectModelOf<T>; readonly old?: undefined }
        | { readonly op: 'update'; readonly row: SelectModelOf<T>; readonly old: SelectModelOf<T> }
        | { readonly op: 'delete'; readonly row: SelectModelOf<T>; readonly old?: undefined }
      )
  : never;

/** Why changes of a table may have been missed. */
export type ResyncReason =
  /** The table was dropped and created again (a Heroku Connect reload): its capture triggers went with it. */
  | 'table-recreated'
  /** The capture triggers were gone (or disabled) on the same table. */
  | 'trigger-missing'
  /** The table was truncated: its rows are gone without row changes. */
  | 'truncated';

/**
 * Changes of `table` were not captured for a while: re-read what changed
 * since `since` (e.g. rows whose `systemModstamp` is at or after it).
 */
export interface ResyncEvent<T extends PgTable = PgTable> {
  readonly id: string;
  readonly table: T;
  readonly reason: ResyncReason;
  /** The last time the capture was known to be in place; null when never checked. */
  readonly since: Date | null;
  /** When the gap was noticed and the capture put back. */
  readonly at: Date;
  readonly group: string;
  readonly attempt: number;
}

/**
 * Whether `change` is a change of `table`: narrows `row` and `old` to its
 * select type.
 *
 * @example
 * if (isChangeOf(change, account) && change.op === 'update') recompute(change.row.creditLimit);
 */
export function isChangeOf<T extends PgTable>(change: Change, table: T): change is Change<T>;
export function isChangeOf<T extends PgTable>(change: ResyncEvent, table: T): change is ResyncEvent<T>;
export function isChangeOf(change: Change | ResyncEvent, table: PgTable): boolean {
  return change.table === table;
}

/** The key the feed stores a table under. */
export const tableKey = (table: PgTable) => `${tableSchemaOf(table)}.${getTableName(table)}`;

/** A claimed delivery as the handler's argument. */
export function changeOfRow(row: ClaimedRow, table: PgTable, group: string): Change | ResyncEvent {
  const facts = { id: row.id, table, at: new Date(row.at_ms), group, attempt: row.attempt };
  if (row.op === 'resync') {
    const detail = parseJson(row.detail) as { reason: ResyncReason; since: string | null };
    return { ...facts, reason: detail.reason, since: detail.since === null ? null : new Date(detail.since) };
  }
  const decoded = decodeRow(table, row.row);
  if (row.op === 'update') return { ...facts, op: 'update', row: decoded, old: decodeRow(table, row.old) } as Change;
  return { ...facts, op: row.op, row: decoded } as Change;
}

/** A row captured as jsonb of its columns, as Drizzle would have selected it. */
export function decodeRow(table: PgTable, json: unknown): Record<string, unknown> {
  const values = parseJson(json) as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table) as Record<string, PgColumn>)) {
    const value = values[column.name];
    row[key] = value === null || value === undefined ? null : decodeColumnValue(column, driverForm(column, value));
  }
  return row;
}

// jsonb writes timestamps as ISO text with a 'T'; drivers hand Drizzle the
// PostgreSQL text form with a space, which its mappers expect.
function driverForm(column: PgColumn, value: unknown): unknown {
  return typeof value === 'string' && columnSqlType(column).startsWith('timestamp') ? value.replace('T', ' ') : value;
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
