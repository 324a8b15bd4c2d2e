/**
 * The overview's numbers: logs by table and state, and failed logs by table
 * over time, for a window of capture time (Heroku Connect's `created_at`
 * indexes serve the window, §3.1).
 */
import { and, count, eq, gte, sql } from 'drizzle-orm';
import type { AnyPgDatabase } from '../compat.ts';
import { TRIGGER_LOG_STATE } from '../trigger-log/constants.ts';
import { selectedTables, type LogSelection } from '../trigger-log/filter.ts';
import type { TriggerLogArchiveTable, TriggerLogTable } from '../trigger-log/tables.ts';

/** The windows the overview offers, each with the width of its chart's bars. */
export const OVERVIEW_WINDOWS = [
  { value: '24h', label: '24 hours', ms: 86_400_000, bucket: '1 hour', bucketMs: 3_600_000 },
  { value: '7d', label: '7 days', ms: 7 * 86_400_000, bucket: '6 hours', bucketMs: 6 * 3_600_000 },
  { value: '31d', label: '31 days', ms: 31 * 86_400_000, bucket: '1 day', bucketMs: 86_400_000 },
] as const;
export type OverviewWindow = (typeof OVERVIEW_WINDOWS)[number];

/** How many logs of one table are in one state. */
export interface StateCount {
  readonly table: string;
  readonly state: string;
  readonly count: number;
}

/** Failed logs of one table captured in one bucket (starting at `start`). */
export interface FailureBucket {
  readonly start: Date;
  readonly table: string;
  readonly count: number;
}

/** What the overview shows. */
export interface Overview {
  readonly since: Date;
  readonly counts: readonly StateCount[];
  readonly failures: readonly FailureBucket[];
}

type LogTable = TriggerLogTable | TriggerLogArchiveTable;

// date_bin's origin: buckets start at whole hours and days, UTC.
const BUCKET_ORIGIN = '2000-01-01T00:00:00Z';

function add<T extends { count: number }>(into: Map<string, T>, key: string, row: T) {
  const seen = into.get(key);
  into.set(key, seen === undefined ? row : { ...seen, count: seen.count + row.count });
}

/**
 * Counts by table and state, and failures by table and bucket, of the logs
 * captured since `now - window`.
 */
export async function readOverview(
  db: AnyPgDatabase,
  options: { readonly schema: string; readonly logs: LogSelection; readonly window: OverviewWindow; readonly now: Date },
): Promise<Overview> {
  const since = new Date(options.now.getTime() - options.window.ms);
  const { live, archive } = selectedTables({ schema: options.schema, logs: options.logs });
  const tables = [live, archive].filter((log): log is LogTable => log !== undefined);
  const perTable = await Promise.all(
    tables.map(async (log) => {
      const byState = db
        .select({ table: log.tableName, state: log.state, count: count() })
        .from(log)
        .where(gte(log.createdAt, since))
        .groupBy(log.tableName, log.state);
      const start = sql<number>`extract(epoch from date_bin(${options.window.bucket}::interval, ${log.createdAt}, ${BUCKET_ORIGIN}::timestamptz))`.mapWith(Number);
      const failures = db
        .select({ start, table: log.tableName, count: count() })
        .from(log)
        .where(and(eq(log.state, TRIGGER_LOG_STATE.FAILED), gte(log.createdAt, since)))
        .groupBy(sql`1`, log.tableName);
      return { counts: await byState, failures: await failures };
    }),
  );
  const counts = new Map<string, StateCount>();
  const failures = new Map<string, FailureBucket>();
  for (const result of perTable) {
    for (const row of result.counts) {
      const table = row.table ?? '';
      const state = row.state ?? '';
      add(counts, `${table}\u0000${state}`, { table, state, count: row.count });
    }
    for (const row of result.failures) {
      const table = row.table ?? '';
      add(failures, `${table}\u0000${row.start}`, { start: new Date(row.start * 1000), table, count: row.count });
    }
  }
  return { since, counts: [...counts.values()], failures: [...failures.values()] };
}
