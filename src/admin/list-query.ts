/**
 * One page of the newest-first list over the live log and the archive, by
 * keyset: logs are ordered by id (the capture order; archived ids are the
 * live ids copied, §3.1), the live row first when both tables hold an id.
 * Each table is read with `id < x order by id desc limit n`, which the
 * primary keys and Heroku Connect's `(state, id)` index serve without
 * sorting, and the two are merged here. No index is added (§3.1).
 */
import { and, asc, count, desc, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import { executeRows, type AnyPgDatabase } from '../compat.ts';
import type { TriggerLogState } from '../trigger-log/constants.ts';
import { searchKind, selectedTables, whereOf, type TriggerLogFilter } from '../trigger-log/filter.ts';
import type { TriggerLogEntry } from '../trigger-log/list-logs.ts';
import type { TriggerLogArchiveTable, TriggerLogTable } from '../trigger-log/tables.ts';
import type { LogKey, PageCursor } from './list-params.ts';

type LogTable = TriggerLogTable | TriggerLogArchiveTable;

/** A number of logs: counted, or the planner's estimate where counting would read too much. */
export interface LogCount {
  readonly n: number;
  readonly exact: boolean;
}

/** A page of logs and where it sits in the whole list. */
export interface ListPage {
  /** Newest first. */
  readonly entries: readonly TriggerLogEntry[];
  /** Logs matching the filter, live and archived. */
  readonly total: LogCount;
  /** Logs before this page in the list (so the page shows `newer + 1` to `newer + entries.length`); undefined when only an estimate is known. */
  readonly newer: number | undefined;
  readonly hasNewer: boolean;
  readonly hasOlder: boolean;
  /**
   * A search that no index serves (an sfid, message text) stopped here to
   * keep the page fast: it looked at the logs from this id up (to the page's
   * start) and found fewer than a page. Undefined when the search reached
   * the oldest log or filled the page. The next page goes on below it.
   */
  readonly searchedDownTo?: number | undefined;
}

/**
 * How long one page of a search no index serves may spend reading the
 * tables. Such a search reads them in id windows, newest first, until a
 * page is found, the oldest log is reached, or this time is spent; then the
 * page offers to search on below. An exhaustive read of a million logs
 * takes 200–500 ms here (see the benchmarks), past the 150 ms target.
 */
export const SEARCH_BUDGET_MS = 60;
/** Ids in a search's first window; later windows are sized from the rate measured so far. */
const FIRST_WINDOW_IDS = 20_000;

/**
 * Above this planner cost a count is estimated, not counted. Measured on
 * PostgreSQL 15 over 1,000,000 logs: counts the indexes serve (a state, a
 * date range, a record id) cost under 5,000 and take under 40 ms; a scan of
 * the 900,000-row archive costs over 20,000 and takes 130–200 ms.
 */
const EXACT_COUNT_COST = 10_000;

interface PlanNode {
  readonly 'Total Cost': number;
  readonly 'Plan Rows': number;
}

/** The count of `where` in `log`, or the planner's estimate when counting would cost more than {@link EXACT_COUNT_COST}. */
async function countOrEstimate(db: AnyPgDatabase, log: LogTable, where: SQL | undefined): Promise<LogCount> {
  const condition = where ?? sql`true`;
  const [explained] = await executeRows<Record<string, unknown>>(db, sql`explain (format json) select 1 from ${log} where ${condition}`);
  const document = Object.values(explained ?? {})[0];
  const plan = ((typeof document === 'string' ? JSON.parse(document) : document) as { Plan: PlanNode }[] | undefined)?.[0]?.Plan;
  if (plan !== undefined && plan['Total Cost'] > EXACT_COUNT_COST) return { n: Math.round(plan['Plan Rows']), exact: false };
  const [row] = await db.select({ count: count() }).from(log).where(condition);
  return { n: row?.count ?? 0, exact: true };
}

/** Rows of `log` strictly after (`older`) or strictly before (`newer`) `key` in the list's order. */
function beyond(log: LogTable, archived: boolean, key: LogKey, side: 'older' | 'newer'): SQL {
  // Order: id descending, then live before archive.
  if (side === 'older') return archived && !key.archived ? lte(log.id, key.id) : lt(log.id, key.id);
  return !archived && key.archived ? gte(log.id, key.id) : gt(log.id, key.id);
}

/** Logs matching `where` in each selected table. */
async function countIn(db: AnyPgDatabase, tables: readonly (readonly [LogTable, boolean])[], where: (log: LogTable, archived: boolean) => SQL | undefined): Promise<LogCount> {
  const counts = await Promise.all(tables.map(([log, archived]) => countOrEstimate(db, log, where(log, archived))));
  return { n: counts.reduce((sum, count) => sum + count.n, 0), exact: counts.every((count) => count.exact) };
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
  searchTimeMs = SEARCH_BUDGET_MS,
): Promise<ListPage> {
  const { live, archive } = selectedTables(filter);
  const tables = [...(live ? [[live, false] as const] : []), ...(archive ? [[archive, true] as const] : [])];
  const stateCondition = (log: LogTable) => (state === undefined ? [] : [sql`${log.state} = ${state}`]);
  const matching = (log: LogTable, ...extra: (SQL | undefined)[]) => whereOf(log, filter, ...stateCondition(log), ...extra.filter((c) => c !== undefined));

  // An sfid matches a few logs among all: walking the primary key until a
  // page of them is found reads every row in id order, at random. Ordering
  // by an expression makes PostgreSQL scan the table once and sort the few.
  const kind = searchKind(filter.search ?? '');
  const sparse = kind === 'sfid';
  // No index serves an sfid or a text search: read the log a window at a time (see searchWindows).
  const windowed = kind === 'sfid' || kind === 'text';
  const read = async (direction: 'desc' | 'asc', limit: number, side?: { key: LogKey; side: 'older' | 'newer' }) => {
    const rows = await Promise.all(
      tables.map(async ([log, archived]) => {
        const where = matching(log, side === undefined ? undefined : beyond(log, archived, side.key, side.side));
        const found = await db
          .select()
          .from(log)
          .where(where)
          .orderBy(sparse ? sql`${log.id} + 0 ${sql.raw(direction)}` : direction === 'desc' ? desc(log.id) : asc(log.id))
          .limit(limit);
        return found.map((row): TriggerLogEntry => ({ ...row, archived }));
      }),
    );
    // Newest first; an ascending read keeps the `limit` oldest of the two tables.
    const merged = rows.flat().sort(newestFirst);
    return direction === 'desc' ? merged.slice(0, limit) : merged.slice(Math.max(0, merged.length - limit));
  };
  const totalCount = countIn(db, tables, (log) => matching(log));

  if (windowed && (cursor.kind === 'first' || cursor.kind === 'before')) {
    const key = cursor.kind === 'before' ? cursor.key : undefined;
    const [total, found] = await Promise.all([totalCount, searchWindows(db, tables, matching, key, size + 1, searchTimeMs)]);
    const entries = found.rows.slice(0, size);
    const more = found.rows.length > size || found.stoppedAt !== undefined;
    if (key === undefined) {
      const counted = !more ? { n: entries.length, exact: true } : total;
      return { entries, total: counted, newer: 0, hasNewer: false, hasOlder: more, searchedDownTo: found.stoppedAt };
    }
    return { entries, total, newer: undefined, hasNewer: true, hasOlder: more, searchedDownTo: found.stoppedAt };
  }
  if (cursor.kind === 'last') {
    const [total, oldest] = await Promise.all([totalCount, read('asc', size)]);
    // An exact total lets the last page end the pages the first one starts.
    const shown = total.exact ? oldest.slice(oldest.length - (total.n % size || size)) : oldest;
    return {
      entries: shown,
      total,
      newer: total.exact ? total.n - shown.length : undefined,
      hasNewer: total.exact ? total.n > shown.length : true,
      hasOlder: false,
    };
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
    return { entries: shown, total, newer: before.exact ? before.n - shown.length : undefined, hasNewer: true, hasOlder: true };
  }
  if (cursor.kind === 'before') {
    const [total, olderRows, upTo] = await Promise.all([
      totalCount,
      read('desc', size + 1, { key: cursor.key, side: 'older' }),
      countIn(db, tables, (log, archived) => and(matching(log), sql`not (${beyond(log, archived, cursor.key, 'older')})`)),
    ]);
    return { entries: olderRows.slice(0, size), total, newer: upTo.exact ? upTo.n : undefined, hasNewer: true, hasOlder: olderRows.length > size };
  }
  const [total, rows] = await Promise.all([totalCount, read('desc', size + 1)]);
  return firstPage(total, rows);

  async function firstPage(total: LogCount, known?: TriggerLogEntry[]): Promise<ListPage> {
    const rows = known ?? (await read('desc', size + 1));
    const entries = rows.slice(0, size);
    // A list that fits on its first page is its own count, whatever the estimate said.
    const counted = rows.length <= size ? { n: entries.length, exact: true } : total;
    return { entries, total: counted, newer: 0, hasNewer: false, hasOlder: rows.length > size };
  }
}

/**
 * The first `need` logs (newest first) older than `key` that match, read in
 * id windows from the top down (each an index range scan of the primary
 * keys), until `need` are found, the oldest log is passed, or
 * `budgetMs` is spent (`stoppedAt`: the lowest id looked at).
 * The first window always runs.
 */
async function searchWindows(
  db: AnyPgDatabase,
  tables: readonly (readonly [LogTable, boolean])[],
  matching: (log: LogTable, ...extra: (SQL | undefined)[]) => SQL | undefined,
  key: LogKey | undefined,
  need: number,
  budgetMs: number,
): Promise<{ rows: TriggerLogEntry[]; stoppedAt?: number }> {
  const started = Date.now();
  const bounds = await Promise.all(
    tables.map(async ([log]) => {
      const [row] = await db.select({ low: sql<number | null>`min(${log.id})`, high: sql<number | null>`max(${log.id})` }).from(log);
      return row;
    }),
  );
  const lows = bounds.map((row) => row?.low).filter((id): id is number => id !== null && id !== undefined).map(Number);
  const highs = bounds.map((row) => row?.high).filter((id): id is number => id !== null && id !== undefined).map(Number);
  if (lows.length === 0) return { rows: [] };
  const lowest = Math.min(...lows);
  // Ids below `high` (exclusive); a live key's own id stays in, for the archive row of that id (see beyond()).
  let high = key === undefined ? Math.max(...highs) + 1 : key.archived ? key.id : key.id + 1;
  let window = FIRST_WINDOW_IDS;
  const rows: TriggerLogEntry[] = [];
  for (;;) {
    const low = Math.max(lowest, high - window);
    const windowStarted = Date.now();
    const found = await Promise.all(
      tables.map(async ([log, archived]) => {
        const where = matching(log, key === undefined ? undefined : beyond(log, archived, key, 'older'), gte(log.id, low), lt(log.id, high));
        const page = await db.select().from(log).where(where).orderBy(desc(log.id)).limit(need - rows.length);
        return page.map((row): TriggerLogEntry => ({ ...row, archived }));
      }),
    );
    rows.push(...found.flat().sort(newestFirst).slice(0, need - rows.length));
    if (rows.length >= need || low <= lowest) return { rows };
    const now = Date.now();
    const left = budgetMs - (now - started);
    // Ids per millisecond so far; the next window is what should fit in the time left.
    const rate = window / Math.max(1, now - windowStarted);
    if (left < Math.min(10, budgetMs + 1)) return { rows, stoppedAt: low };
    // Two thirds of it: a busy machine reads the next window slower than the last.
    window = Math.max(window, Math.min(window * 8, Math.floor((rate * left * 2) / 3)));
    high = low;
  }
}

/** How many logs match `filter` (and `state`), live and archived, counted exactly: what a confirmation says. */
export async function countLogs(db: AnyPgDatabase, filter: TriggerLogFilter, state?: TriggerLogState): Promise<number> {
  const { live, archive } = selectedTables(filter);
  const counts = await Promise.all(
    [live, archive]
      .filter((log): log is LogTable => log !== undefined)
      .map(async (log) => {
        const [row] = await db.select({ count: count() }).from(log).where(whereOf(log, filter, ...(state === undefined ? [] : [sql`${log.state} = ${state}`])));
        return row?.count ?? 0;
      }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}
