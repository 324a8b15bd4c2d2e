import { desc, inArray, type SQL } from 'drizzle-orm';
import type { AnyPgDatabase } from '../compat.ts';
import type { TriggerLogState } from './constants.ts';
import { selectedTables, whereOf, type TriggerLogFilter } from './filter.ts';
import type { TriggerLogArchiveTable, TriggerLogRow, TriggerLogTable } from './tables.ts';

/** A trigger log row, and whether it came from the archive. */
export type TriggerLogEntry = TriggerLogRow & { readonly archived: boolean };

/** Options of {@link listLogs}. */
export interface ListLogsOptions extends TriggerLogFilter {
  /** Only rows in these states. */
  readonly state?: TriggerLogState | readonly TriggerLogState[];
  /** At most this many rows, the most recent ones (default all). */
  readonly limit?: number;
}

/**
 * Trigger log rows matching `options`, oldest first (by capture time, then id).
 *
 * @example
 * const recent = await listLogs(db, { table: account, since: new Date(Date.now() - 3600_000), limit: 50 });
 */
export async function listLogs(db: AnyPgDatabase, options: ListLogsOptions = {}): Promise<TriggerLogEntry[]> {
  const states = options.state === undefined ? undefined : typeof options.state === 'string' ? [options.state] : [...options.state];
  const { live, archive } = selectedTables(options);
  const read = async (log: TriggerLogTable | TriggerLogArchiveTable, archived: boolean) => {
    const extra: SQL[] = states === undefined ? [] : [inArray(log.state, states)];
    const query = db.select().from(log).where(whereOf(log, options, ...extra)).orderBy(desc(log.createdAt), desc(log.id)).$dynamic();
    const rows = await (options.limit === undefined ? query : query.limit(options.limit));
    return rows.map((row): TriggerLogEntry => ({ ...row, archived }));
  };
  const entries = [...(live ? await read(live, false) : []), ...(archive ? await read(archive, true) : [])];
  entries.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || a.id - b.id);
  return options.limit === undefined ? entries : entries.slice(-options.limit);
}

