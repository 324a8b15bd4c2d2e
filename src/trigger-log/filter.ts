/** Which trigger log rows an operation looks at. */
import { and, eq, gte, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { getTableName, isPgTable, type PgTable } from '../compat.ts';
import type { TriggerLogAction } from './constants.ts';
import { triggerLogTables, type TriggerLogArchiveTable, type TriggerLogTable } from './tables.ts';

/** Which of the two tables: the live log, the archive, or both (default). */
export type LogSelection = 'live' | 'archived' | 'all';

/** A filter over trigger log rows; every given criterion must hold. */
export interface TriggerLogFilter {
  /** Mapped tables, by name (`account`) or as hcTables. */
  readonly table?: string | PgTable | readonly (string | PgTable)[];
  /** Trigger log ids. */
  readonly ids?: readonly number[];
  /** `id`s of rows in the mapped table (`record_id`). */
  readonly recordIds?: readonly number[];
  /** Only logs of these actions. */
  readonly action?: TriggerLogAction | readonly TriggerLogAction[];
  /**
   * What a person types in one search box: a record id (digits, matched
   * against `record_id`), an sfid (15 or 18 letters and digits, matched
   * against `sfid`, or found in `sf_message`), or text found anywhere in
   * `sf_message` (case-insensitive). Blank matches everything.
   */
  readonly search?: string;
  /** Captured at or after this time. */
  readonly since?: Date;
  /** Captured before this time. */
  readonly until?: Date;
  /** Live log, archive, or both (default). */
  readonly logs?: LogSelection;
  /** The Heroku Connect schema; default the `HEROKU_CONNECT_SCHEMA` setting. */
  readonly schema?: string;
}

/** The mapped table name a log row stores for `table`. */
export function tableNameOf(table: string | PgTable): string {
  return isPgTable(table) ? getTableName(table) : table;
}

/** The conditions of `filter` on one of the trigger log tables. */
export function filterConditions(log: TriggerLogTable | TriggerLogArchiveTable, filter: TriggerLogFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.table !== undefined) {
    const tables = Array.isArray(filter.table) ? filter.table : [filter.table as string | PgTable];
    conditions.push(inArray(log.tableName, tables.map(tableNameOf)));
  }
  if (filter.ids !== undefined) conditions.push(inArray(log.id, [...filter.ids]));
  if (filter.recordIds !== undefined) conditions.push(inArray(log.recordId, [...filter.recordIds]));
  if (filter.action !== undefined) {
    conditions.push(inArray(log.action, typeof filter.action === 'string' ? [filter.action] : [...filter.action]));
  }
  const search = filter.search?.trim() ?? '';
  if (search !== '') conditions.push(searchCondition(log, search));
  if (filter.since !== undefined) conditions.push(gte(log.createdAt, filter.since));
  if (filter.until !== undefined) conditions.push(lt(log.createdAt, filter.until));
  return conditions;
}

const MAX_INTEGER = 2 ** 31 - 1;

/** What a search text is taken for (see {@link TriggerLogFilter.search}). */
export function searchKind(search: string): 'none' | 'record id' | 'sfid' | 'text' {
  const text = search.trim();
  if (text === '') return 'none';
  if (/^\d{1,10}$/.test(text)) return 'record id';
  return /^(?:[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})$/.test(text) ? 'sfid' : 'text';
}

/** The condition of {@link TriggerLogFilter.search}. */
function searchCondition(log: TriggerLogTable | TriggerLogArchiveTable, search: string): SQL {
  const kind = searchKind(search);
  if (kind === 'record id') return Number(search) <= MAX_INTEGER ? eq(log.recordId, Number(search)) : sql`false`;
  const message = ilike(log.sfMessage, `%${search.replace(/[\\%_]/g, '\\$&')}%`);
  if (kind === 'text') return message;
  // An 18-character id differs from its 15-character form by a suffix that
  // encodes the case, so it can be compared case-insensitively; the
  // 15-character form is case-sensitive.
  return search.length === 18
    ? or(sql`upper(${log.sfid}) = ${search.toUpperCase()}`, message)!
    : or(sql`left(${log.sfid}, 15) = ${search}`, message)!;
}

/** `filterConditions` joined with `extra`, as one condition. */
export function whereOf(log: TriggerLogTable | TriggerLogArchiveTable, filter: TriggerLogFilter, ...extra: SQL[]): SQL | undefined {
  return and(...filterConditions(log, filter), ...extra);
}

/** The tables `filter.logs` selects, each with whether it is the archive. */
export function selectedTables(filter: TriggerLogFilter) {
  const { triggerLog, triggerLogArchive } = triggerLogTables(filter.schema);
  const logs = filter.logs ?? 'all';
  return {
    live: logs === 'archived' ? undefined : triggerLog,
    archive: logs === 'live' ? undefined : triggerLogArchive,
  };
}
