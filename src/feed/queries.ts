/**
 * Every statement the feed runs, as `$n`-parameter text for any driver.
 * Lists travel as one JSON parameter (drivers disagree on array parameters).
 * Each statement stands alone, so neon-http (no interactive transactions)
 * runs them as they are.
 */
import { FEED_CHANNEL, FEED_SCHEMA as S } from './ddl.ts';
import type { FeedConnection } from './connection.ts';

/** A table as the feed names it. */
export interface TableRef {
  readonly schema: string;
  readonly name: string;
}

const tablesJson = (tables: readonly TableRef[]) => JSON.stringify(tables.map((table) => [table.schema, table.name]));
// `(schema, name)` pairs from a JSON parameter.
const TABLES_FROM = (n: number) => `(select t ->> 0, t ->> 1 from jsonb_array_elements($${n}::jsonb) t)`;
// Whether delivery `d` is of one of the tables in JSON parameter `n`: a filter on
// an array computed once, not a join the planner could reorder.
const OF_TABLES = (d: string, n: number) =>
  `quote_ident(${d}.table_schema) || '.' || quote_ident(${d}.table_name) = any(array(select quote_ident(t ->> 0) || '.' || quote_ident(t ->> 1) from jsonb_array_elements($${n}::jsonb) t))`;
// One of the ids in JSON parameter `n`, as an array computed once (an index probe per id).
export const ANY_ID = (n: number) => `any(array(select jsonb_array_elements_text($${n}::jsonb)::bigint))`;
// Open, spelled as the per-record index's predicate (see delivery_record in ddl.ts).
const OPEN_BY_RECORD = (d: string) => `${d}.state <> 'done' and ${d}.state <> 'parked'`;

/** What `ensure_capture` did for one table. */
export interface CaptureStatus extends TableRef {
  readonly status: 'ok' | 'installed' | 'reinstalled' | 'missing';
}

/** Put the capture triggers in place on `tables` (see `ensure_capture` in ddl.ts). */
export async function ensureCapture(
  connection: FeedConnection,
  tables: readonly TableRef[],
  missingOk: boolean,
): Promise<CaptureStatus[]> {
  const rows = await connection.query<{ target_schema: string; target_name: string; status: CaptureStatus['status'] }>(
    `select target_schema, target_name, status from ${S}.ensure_capture(
       array(select t ->> 0 from jsonb_array_elements($1::jsonb) with ordinality as e(t, n) order by n),
       array(select t ->> 1 from jsonb_array_elements($1::jsonb) with ordinality as e(t, n) order by n),
       $2)`,
    [tablesJson(tables), missingOk],
  );
  return rows.map((row) => ({ schema: row.target_schema, name: row.target_name, status: row.status }));
}

/** Register `group` for `tables`: from now on their changes are kept for it. */
export async function registerGroup(connection: FeedConnection, group: string, tables: readonly TableRef[]): Promise<void> {
  await connection.query(
    `insert into ${S}.subscription (group_name, table_schema, table_name)
     select $1, s, n from ${TABLES_FROM(2)} as t(s, n)
     on conflict do nothing`,
    [group, tablesJson(tables)],
  );
}

/** A delivery row as claimed: the change, and which attempt handing it over will be. */
export interface ClaimedRow {
  readonly id: string;
  readonly table_schema: string;
  readonly table_name: string;
  readonly op: 'insert' | 'update' | 'delete' | 'resync';
  readonly record_key: string;
  readonly row: unknown;
  readonly old: unknown;
  readonly detail: unknown;
  readonly at_ms: number;
  readonly attempt: number;
}

/**
 * Claim up to `limit` due deliveries of `group` for `subscriber`, oldest
 * first, skipping rows other claimers hold (`for update skip locked`). A
 * change is claimable only when every earlier open change of its record is
 * in the same claim: that keeps commit order per record across every
 * subscriber. An expired lease (its subscriber died) is claimable again.
 *
 * `attempts` counts attempts that ended: failures, and a subscriber that died
 * while it held the change. Of what a dead subscriber held, only the first
 * change of each record can have been in progress (the rest waited behind
 * it), so only that one counts; a change it held but never started keeps
 * its count, and a change that kills every process it reaches is still parked.
 */
export function claim(
  connection: FeedConnection,
  options: { group: string; subscriber: string; leaseMs: number; limit: number; tables: readonly TableRef[] },
): Promise<ClaimedRow[]> {
  // The per-record tests are scalar subqueries with a limit: the planner keeps
  // them as one index probe per row instead of flattening them into a join
  // planned from (often stale) row counts.
  return connection.query<ClaimedRow>(
    `with candidate as (
       select d.change_id, d.record_key from ${S}.delivery d
       where d.group_name = $1
         and d.state in ('pending', 'active')
         and ${DUE('d')}
         and ${OF_TABLES('d', 5)}
         and (
           -- not behind a change of its record that is not due or held by another subscriber
           select 1 from ${S}.delivery e
           where e.group_name = $1 and e.record_key = d.record_key and ${OPEN_BY_RECORD('e')}
             and e.change_id < d.change_id and not ${DUE('e')}
           limit 1
         ) is null
       order by d.change_id
       limit $4
       for update skip locked
     ), claimable as (
       select c.change_id, row_number() over (partition by c.record_key order by c.change_id) = 1 as first_of_record
       from candidate c
       where (
         -- nor behind one another claimer is taking right now
         select 1 from ${S}.delivery e
         where e.group_name = $1 and e.record_key = c.record_key and ${OPEN_BY_RECORD('e')}
           and e.change_id < c.change_id and e.change_id not in (select change_id from candidate)
         limit 1
       ) is null
     )
     update ${S}.delivery d
     set state = 'active', locked_by = $2, locked_until = now() + $3 * interval '1 millisecond',
       attempts = d.attempts + (d.state = 'active' and claimable.first_of_record)::int
     from claimable, ${S}.change ch
     where d.group_name = $1 and d.change_id = claimable.change_id and ch.id = d.change_id
     returning d.change_id::text as id, ch.table_schema, ch.table_name, ch.op, ch.record_key, ch."row", ch.old, ch.detail,
       (extract(epoch from ch.at) * 1000)::float8 as at_ms, d.attempts + 1 as attempt`,
    [options.group, options.subscriber, options.leaseMs, options.limit, tablesJson(options.tables)],
  );
}

// An open delivery that can be claimed now: pending and due, or held on an expired lease.
const DUE = (d: string) =>
  `((${d}.state = 'pending' and ${d}.run_at <= now()) or (${d}.state = 'active' and ${d}.locked_until < now()))`;

/** Mark handled deliveries done (only those `subscriber` still holds). */
export async function acknowledge(connection: FeedConnection, group: string, subscriber: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await connection.query(
    `update ${S}.delivery set state = 'done', done_at = now(), locked_by = null, locked_until = null, last_error = null
     where group_name = $1 and locked_by = $2 and state = 'active'
       and change_id = ${ANY_ID(3)}`,
    [group, subscriber, JSON.stringify(ids)],
  );
}

/** A failed delivery: retried after `delayMs`, or parked when `park`. */
export interface FailedDelivery {
  readonly id: string;
  readonly delayMs: number;
  readonly park: boolean;
  readonly error: string;
}

/** Record handler failures: back to pending after their delay, or parked. */
export async function recordFailures(
  connection: FeedConnection,
  group: string,
  subscriber: string,
  failures: readonly FailedDelivery[],
): Promise<void> {
  if (failures.length === 0) return;
  await connection.query(
    `update ${S}.delivery d
     set state = case when f.park then 'parked' else 'pending' end, attempts = d.attempts + 1,
         run_at = now() + f.delay_ms * interval '1 millisecond',
         last_error = f.error, locked_by = null, locked_until = null
     from jsonb_to_recordset($3::jsonb) as f(id bigint, delay_ms float8, park boolean, error text)
     where d.group_name = $1 and d.change_id = f.id and d.locked_by = $2 and d.state = 'active'`,
    [group, subscriber, JSON.stringify(failures.map((failure) => ({ id: failure.id, delay_ms: failure.delayMs, park: failure.park, error: failure.error })))],
  );
}

/** Give back claimed deliveries that were not attempted (stopping, or an earlier change of their record failed). */
export async function release(connection: FeedConnection, group: string, subscriber: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await connection.query(
    `update ${S}.delivery set state = 'pending', locked_by = null, locked_until = null
     where group_name = $1 and locked_by = $2 and state = 'active'
       and change_id = ${ANY_ID(3)}`,
    [group, subscriber, JSON.stringify(ids)],
  );
}

/** Extend the lease on what `subscriber` holds. */
export async function extendLease(connection: FeedConnection, group: string, subscriber: string, leaseMs: number): Promise<void> {
  await connection.query(
    `update ${S}.delivery set locked_until = now() + $3 * interval '1 millisecond'
     where group_name = $1 and locked_by = $2 and state = 'active'`,
    [group, subscriber, leaseMs],
  );
}

/**
 * Milliseconds until the next delivery of `group` can be claimed: the
 * earliest open change of each record decides (a retry's delay, another
 * subscriber's lease). Zero or less: now. Null when nothing is open.
 */
export async function millisecondsUntilDue(connection: FeedConnection, group: string, tables: readonly TableRef[]): Promise<number | null> {
  const [row] = await connection.query<{ wait_ms: number | null }>(
    `select (extract(epoch from min(case when head.state = 'pending' then head.run_at else head.locked_until end) - now()) * 1000)::float8 as wait_ms
     from (
       select distinct on (d.record_key) d.state, d.run_at, d.locked_until
       from ${S}.delivery d
       where d.group_name = $1 and ${OPEN_BY_RECORD('d')} and ${OF_TABLES('d', 2)}
       order by d.record_key, d.change_id
     ) head`,
    [group, tablesJson(tables)],
  );
  return row?.wait_ms ?? null;
}

/**
 * Forget what every group handled more than `retentionMs` ago, and the
 * changes no group still needs. Open and parked deliveries are kept.
 */
export async function forgetHandled(connection: FeedConnection, retentionMs: number): Promise<void> {
  await connection.query(
    `delete from ${S}.delivery where state = 'done' and done_at < now() - $1 * interval '1 millisecond'`,
    [retentionMs],
  );
  await connection.query(
    `delete from ${S}.change c
     where c.at < now() - $1 * interval '1 millisecond'
       and not exists (select 1 from ${S}.delivery d where d.change_id = c.id)`,
    [retentionMs],
  );
}

/** Wake the group's other subscribers (work they may claim was given back). */
export async function notifyFeed(connection: FeedConnection, payload: string): Promise<void> {
  await connection.query(`select pg_notify($1, $2)`, [FEED_CHANNEL, payload]);
}
