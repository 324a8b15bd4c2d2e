/** Which trigger log rows an operation looks at. */
import { and, gte, inArray, lt, type SQL } from 'drizzle-orm';
import { getTableName, isPgTable, type PgTable } from '../compat.ts';
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
  if (filter.since !== undefined) conditions.push(gte(log.createdAt, filter.since));
  if (filter.until !== undefined) conditions.push(lt(log.createdAt, filter.until));
  return conditions;
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
