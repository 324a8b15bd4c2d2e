/**
 * One page of the newest-first list over the live log and the archive, by
 * keyset: logs are ordered by id (the capture order; archived ids are the
 * live ids copied, §3.1), the live row first when both tables hold an id.
 * Each table is read with `id < x order by id desc limit n`, which the
 * primary keys and Heroku Connect's `(state, id)` index serve without
 * sorting, and the two are merged here. No index is added (§3.1).
 */
import { and, asc, count, desc, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { AnyPgDatabase } from '../compat.ts';
import type { TriggerLogState } from '../trigger-log/constants.ts';
import { selectedTables, whereOf, type TriggerLogFilter } from '../trigger-log/filter.ts';
import type { TriggerLogEntry } from '../trigger-log/list-logs.ts';
import type { TriggerLogArchiveTable, TriggerLogTable } from '../trigger-log/tables.ts';
import type { LogKey, PageCursor } from './list-params.ts';

type LogTable = TriggerLogTable | TriggerLogArchiveTable;

/** A page of logs and where it sits in the whole list. */
export interface ListPage {
  /** Newest first. */
  readonly entries: readonly TriggerLogEntry[];
  /** Logs matching the filter, live and archived. */
  readonly total: number;
  /** Logs before this page in the list (so the page shows `newer + 1` to `newer + entries.length`). */
  readonly newer: number;
  readonly hasNewer: boolean;
  readonly hasOlder: boolean;
}

/** Rows of `log` strictly after (`older`) or strictly before (`newer`) `key` in the list's order. */
function beyond(log: LogTable, archived: boolean, key: LogKey, side: 'older' | 'newer'): SQL {
  // Order: id descending, then live before archive.
  if (side === 'older') return archived && !key.archived ? lte(log.id, key.id) : lt(log.id, key.id);
  return !archived && key.archived ? gte(log.id, key.id) : gt(log.id, key.id);
}

/** Logs matching `where` in each selected table. */
async function countIn(db: AnyPgDatabase, tables: readonly (readonly [LogTable, boolean])[], where: (log: LogTable, archived: boolean) => SQL | undefined) {
  const counts = await Promise.all(
    tables.map(async ([log, archived]) => {
      const [row] = await db.select({ count: count() }).from(log).where(where(log, archived));
      return row?.count ?? 0;
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

const newestFirst = (a: TriggerLogEntry, b: TriggerLogEntry) => b.id - a.id || Number(a.archived) - Number(b.archived);

/**
 * The page `cursor` names of the logs matching `filter` (and `state`).
 *
 * @example
 * const page = await listPage(db, { schema: 'salesforce', table: 'account' }, 'FAILED', { kind: 'first' }, 50);
 */
export async function listPage(
  db: AnyPgDatabase,
  filter: TriggerLogFilter,
  state: TriggerLogState | undefined,
  cursor: PageCursor,
  size: number,
): Promise<ListPage> {
  const { live, archive } = selectedTables(filter);
  const tables = [...(live ? [[live, false] as const] : []), ...(archive ? [[archive, true] as const] : [])];
  const stateCondition = (log: LogTable) => (state === undefined ? [] : [sql`${log.state} = ${state}`]);
  const matching = (log: LogTable, ...extra: (SQL | undefined)[]) => whereOf(log, filter, ...stateCondition(log), ...extra.filter((c) => c !== undefined));

  const read = async (direction: 'desc' | 'asc', limit: number, side?: { key: LogKey; side: 'older' | 'newer' }) => {
    const rows = await Promise.all(
      tables.map(async ([log, archived]) => {
        const where = matching(log, side === undefined ? undefined : beyond(log, archived, side.key, side.side));
        const found = await db
          .select()
          .from(log)
          .where(where)
          .orderBy(direction === 'desc' ? desc(log.id) : asc(log.id))
          .limit(limit);
        return found.map((row): TriggerLogEntry => ({ ...row, archived }));
      }),
    );
    // Newest first; an ascending read keeps the `limit` oldest of the two tables.
    const merged = rows.flat().sort(newestFirst);
    return direction === 'desc' ? merged.slice(0, limit) : merged.slice(Math.max(0, merged.length - limit));
  };
  const totalCount = countIn(db, tables, (log) => matching(log));

  if (cursor.kind === 'last') {
    const [total, oldest] = await Promise.all([totalCount, read('asc', size)]);
    const shown = oldest.slice(oldest.length - (total % size || size));
    return { entries: shown, total, newer: total - shown.length, hasNewer: total > shown.length, hasOlder: false };
  }
  if (cursor.kind === 'after') {
    const [total, newerRows, before] = await Promise.all([
      totalCount,
      read('asc', size + 1, { key: cursor.key, side: 'newer' }),
      countIn(db, tables, (log, archived) => matching(log, beyond(log, archived, cursor.key, 'newer'))),
    ]);
    // Near the top of the list a full page is the first page.
    if (newerRows.length <= size) return firstPage(total);
    const shown = newerRows.slice(1);
    return { entries: shown, total, newer: before - shown.length, hasNewer: true, hasOlder: true };
  }
  if (cursor.kind === 'before') {
    const [total, olderRows, upTo] = await Promise.all([
      totalCount,
      read('desc', size + 1, { key: cursor.key, side: 'older' }),
      countIn(db, tables, (log, archived) => and(matching(log), sql`not (${beyond(log, archived, cursor.key, 'older')})`)),
    ]);
    return { entries: olderRows.slice(0, size), total, newer: upTo, hasNewer: true, hasOlder: olderRows.length > size };
  }
  return firstPage(await totalCount);

  async function firstPage(total: number): Promise<ListPage> {
    const rows = await read('desc', size + 1);
    return { entries: rows.slice(0, size), total, newer: 0, hasNewer: false, hasOlder: rows.length > size };
  }
}

/** How many logs match `filter` (and `state`), live and archived. */
export function countLogs(db: AnyPgDatabase, filter: TriggerLogFilter, state?: TriggerLogState): Promise<number> {
  const { live, archive } = selectedTables(filter);
  const tables = [...(live ? [[live, false] as const] : []), ...(archive ? [[archive, true] as const] : [])];
  return countIn(db, tables, (log) => whereOf(log, filter, ...(state === undefined ? [] : [sql`${log.state} = ${state}`])));
}
