/** `feedStatus()`: what the feed captures, and how far each group is. */
import type { AnyPgDatabase } from '../compat.ts';
import { databaseConnection } from './connection.ts';
import { CAPTURE_TRIGGER, FEED_SCHEMA as S, TRUNCATE_TRIGGER } from './ddl.ts';

/** One captured table. */
export interface CapturedTableStatus {
  /** `schema.table`. */
  readonly table: string;
  /** Whether both capture triggers are on it now (false: dropped by a reload, or the table is gone). */
  readonly capturing: boolean;
  /** The last time a subscriber or an install found them in place. */
  readonly checkedAt: Date;
}

/** One group's deliveries. */
export interface GroupStatus {
  readonly group: string;
  /** `schema.table` of each table the group follows. */
  readonly tables: readonly string[];
  /** Waiting (including retries whose delay has not run out). */
  readonly pending: number;
  /** Claimed by a subscriber now. */
  readonly active: number;
  readonly parked: number;
  /** Handled and still kept (until the retention runs out). */
  readonly done: number;
  /** When the oldest change still open (pending or active) was written; null when none is. */
  readonly oldestOpenAt: Date | null;
}

/** The whole feed. */
export interface FeedStatus {
  /** Whether `installChangeFeed` ran on this database. */
  readonly installed: boolean;
  readonly tables: readonly CapturedTableStatus[];
  readonly groups: readonly GroupStatus[];
}

/**
 * What the feed captures and each group's backlog.
 *
 * @example
 * const { groups } = await feedStatus(db);
 * for (const group of groups) if (group.parked > 0) alert(`${group.group}: ${group.parked} parked changes`);
 */
export async function feedStatus(db: AnyPgDatabase): Promise<FeedStatus> {
  const connection = databaseConnection(db);
  const [installed] = await connection.query<{ installed: boolean }>(
    `select to_regclass('${S}.delivery') is not null and to_regclass('${S}.captured_table') is not null as installed`,
  );
  if (!installed?.installed) return { installed: false, tables: [], groups: [] };
  const tables = await connection.query<{ table_key: string; capturing: boolean; checked_ms: number }>(
    `select c.table_schema || '.' || c.table_name as table_key,
       (select count(*) from pg_trigger t
        where t.tgrelid = to_regclass(format('%I.%I', c.table_schema, c.table_name))
          and t.tgname in ('${CAPTURE_TRIGGER}', '${TRUNCATE_TRIGGER}') and t.tgenabled <> 'D') = 2 as capturing,
       (extract(epoch from c.checked_at) * 1000)::float8 as checked_ms
     from ${S}.captured_table c order by 1`,
  );
  const groups = await connection.query<{
    group_name: string; tables: string[] | string; pending: number; active: number; parked: number; done: number; oldest_ms: number | null;
  }>(
    `select s.group_name, jsonb_agg(distinct s.table_schema || '.' || s.table_name) as tables,
       coalesce(d.pending, 0)::int as pending, coalesce(d.active, 0)::int as active, coalesce(d.parked, 0)::int as parked,
       coalesce(d.done, 0)::int as done, d.oldest_ms
     from ${S}.subscription s
     left join (
       select d.group_name,
         count(*) filter (where d.state = 'pending') as pending, count(*) filter (where d.state = 'active') as active,
         count(*) filter (where d.state = 'parked') as parked, count(*) filter (where d.state = 'done') as done,
         (extract(epoch from min(c.at) filter (where d.state in ('pending', 'active'))) * 1000)::float8 as oldest_ms
       from ${S}.delivery d join ${S}.change c on c.id = d.change_id
       group by d.group_name
     ) d on d.group_name = s.group_name
     group by s.group_name, d.pending, d.active, d.parked, d.done, d.oldest_ms
     order by s.group_name`,
  );
  return {
    installed: true,
    tables: tables.map((row) => ({ table: row.table_key, capturing: row.capturing, checkedAt: new Date(row.checked_ms) })),
    groups: groups.map((row) => ({
      group: row.group_name,
      tables: (typeof row.tables === 'string' ? (JSON.parse(row.tables) as string[]) : row.tables).sort(),
      pending: row.pending,
      active: row.active,
      parked: row.parked,
      done: row.done,
      oldestOpenAt: row.oldest_ms === null ? null : new Date(row.oldest_ms),
    })),
  };
}
