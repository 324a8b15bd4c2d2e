/**
 * The set-based core of retry and redo (heroku-connect.md §3.6), one
 * statement per table (live, archive). Rows are locked with `for update skip
 * locked`, so two workers never requeue the same log: the second one skips
 * rows the first holds, and after the first commits they no longer match.
 *
 * merged writes:  live → state NEW; archived → a copy in the live log as NEW,
 *                 the archived row REQUEUED (django-heroku-connect `redo`).
 * ordered writes: INSERT/UPDATE → re-captured through hc_capture_insert_from_row /
 *                 hc_capture_update_from_row (the update limited to the keys of the
 *                 failed `values`), the original REQUEUED; DELETE can't be
 *                 re-captured and falls back to the merged-writes change.
 *                 A log whose row or table is gone is left as it is.
 */
import { sql, type SQL } from 'drizzle-orm';
import { executeRows, getTableColumns, type AnyPgDatabase } from '../compat.ts';
import { schemaSetting } from '../settings/settings.ts';
import { TRIGGER_LOG_ACTION, TRIGGER_LOG_STATE, type WriteAlgorithm } from './constants.ts';
import { selectedTables, whereOf, type TriggerLogFilter } from './filter.ts';
import { triggerLogTables, type TriggerLogArchiveTable, type TriggerLogTable } from './tables.ts';

/** How many logs were requeued, per table. */
export interface RequeueResult {
  /** Live logs set back to NEW or marked REQUEUED after a re-capture. */
  readonly live: number;
  /** Archived logs marked REQUEUED (their copy or re-capture is in the live log). */
  readonly archived: number;
}

/** Options of the requeuing operations. */
export interface RequeueOptions {
  /** The connection's write algorithm (`fetchWriteAlgorithm` from `hc-drizzle/connect`). */
  readonly writeAlgorithm: WriteAlgorithm;
}

/** Requeue the logs matching `filter` (and `state`, when given). */
export function requeue(
  db: AnyPgDatabase,
  filter: TriggerLogFilter,
  state: string | undefined,
  options: RequeueOptions,
): Promise<RequeueResult> {
  return perTable(db, filter, state, options, async (schema, log, where, tables, archived) =>
    (await executeRows(db, requeueStatement(schema, log, where, tables, archived))).length,
  );
}

/**
 * How many logs {@link requeue} would change with the same arguments, changing
 * none: what a confirmation tells a person. Rows another worker holds at that
 * moment are counted, though requeue would skip them.
 */
export function countRequeue(
  db: AnyPgDatabase,
  filter: TriggerLogFilter,
  state: string | undefined,
  options: RequeueOptions,
): Promise<RequeueResult> {
  return perTable(db, filter, state, options, async (schema, log, where, tables) => {
    const fallback = tables.length === 0 ? sql`true` : sql`p.action = ${TRIGGER_LOG_ACTION.DELETE}`;
    const [row] = await executeRows<{ count: number | string }>(
      db,
      sql`with picked as (select ${log.action} as action, ${log.tableName} as table_name, ${log.recordId} as record_id
                          from ${log} where ${where})
          select count(*) as count from picked p where ${fallback} or ${recapturable(schema, tables)}`,
    );
    return Number(row?.count ?? 0);
  });
}

type TableWork = (
  schema: string,
  log: TriggerLogTable | TriggerLogArchiveTable,
  where: SQL,
  capturable: readonly string[],
  archived: boolean,
) => Promise<number>;

/** Run `work` on the live log and the archive (as `filter.logs` selects), with the tables an ordered retry re-captures from. */
async function perTable(
  db: AnyPgDatabase,
  filter: TriggerLogFilter,
  state: string | undefined,
  options: RequeueOptions,
  work: TableWork,
): Promise<RequeueResult> {
  const schema = filter.schema ?? schemaSetting();
  const { live, archive } = selectedTables(filter);
  const run = async (log: TriggerLogTable | TriggerLogArchiveTable | undefined, archived: boolean) => {
    if (log === undefined) return 0;
    const where = whereOf(log, filter, ...(state === undefined ? [] : [sql`${log.state} = ${state}`])) ?? sql`true`;
    const tables = options.writeAlgorithm === 'ordered' ? await capturableTables(db, schema, log, where) : [];
    return work(schema, log, where, tables, archived);
  };
  return { live: await run(live, false), archived: await run(archive, true) };
}

/** Whether the INSERT or UPDATE of `picked p` can be re-captured: its row is still there. */
function recapturable(schema: string, tables: readonly string[]): SQL {
  if (tables.length === 0) return sql`false`;
  const branches = tables.map(
    (table) => sql`when p.table_name = ${table} then exists (select 1 from ${sql.identifier(schema)}.${sql.identifier(table)} t where t.id = p.record_id)`,
  );
  return sql`(p.action in (${TRIGGER_LOG_ACTION.INSERT}, ${TRIGGER_LOG_ACTION.UPDATE}) and case ${sql.join(branches, sql` `)} else false end)`;
}

/** The mapped tables named by logs matching `where` that still exist, so they can be re-captured from. */
async function capturableTables(db: AnyPgDatabase, schema: string, log: TriggerLogTable | TriggerLogArchiveTable, where: SQL) {
  const rows = await executeRows<{ table_name: string }>(
    db,
    sql`select distinct ${log.tableName} as table_name from ${log} where ${where}
        and exists (select 1 from pg_catalog.pg_tables t where t.schemaname = ${schema} and t.tablename = ${log.tableName})`,
  );
  return rows.map((row) => row.table_name);
}

/** `case` over `picked p` giving the new log id of a re-capture, or null. */
function captureExpression(schema: string, tables: readonly string[]): SQL {
  if (tables.length === 0) return sql`null::integer`;
  const procedure = (name: string) => sql`${sql.identifier(schema)}.${sql.identifier(name)}`;
  const branches = tables.flatMap((table) => {
    const source = sql`from ${sql.identifier(schema)}.${sql.identifier(table)} t where t.id = p.record_id`;
    return [
      sql`when p.action = ${TRIGGER_LOG_ACTION.INSERT} and p.table_name = ${table} then
            (select ${procedure('hc_capture_insert_from_row')}(hstore(t.*), p.table_name, '{}'::text[]) ${source})`,
      sql`when p.action = ${TRIGGER_LOG_ACTION.UPDATE} and p.table_name = ${table} then
            (select ${procedure('hc_capture_update_from_row')}(hstore(t.*), p.table_name,
                    coalesce(akeys(p."values"::hstore), '{}'::text[])) ${source})`,
    ];
  });
  return sql`case ${sql.join(branches, sql` `)} end`;
}

/** What a requeued copy takes over from the archived log: every column but its id, state and updated_at. */
function copiedColumns(triggerLog: TriggerLogTable): SQL {
  const { id: _id, state: _state, updatedAt: _updatedAt, ...copied } = getTableColumns(triggerLog);
  return sql.join(
    Object.values(copied).map((column) => sql.identifier(column.name)),
    sql`, `,
  );
}

function requeueStatement(
  schema: string,
  log: TriggerLogTable | TriggerLogArchiveTable,
  where: SQL,
  tables: readonly string[],
  archived: boolean,
): SQL {
  // A log falls back to a state change when it is not re-captured: always in
  // merged writes, DELETE in ordered writes (tables is empty in merged writes).
  const fallback = tables.length === 0 ? sql`true` : sql`p.action = ${TRIGGER_LOG_ACTION.DELETE}`;
  const picked = sql`picked as (
      select ${log.id} as id, ${log.action} as action, ${log.tableName} as table_name,
             ${log.recordId} as record_id, ${log.values} as "values"
      from ${log} where ${where} order by ${log.id} for update skip locked),
    captured as (
      select p.id, ${fallback} as fallback, ${captureExpression(schema, tables)} as capture_id
      from picked p order by p.id)`;
  const changed = sql`from captured c where ${log.id} = c.id and (c.fallback or c.capture_id is not null) returning ${log.id}`;
  if (!archived) {
    return sql`with ${picked}
      update ${log} set state = case when c.fallback then ${TRIGGER_LOG_STATE.NEW} else ${TRIGGER_LOG_STATE.REQUEUED} end,
                        updated_at = now()
      ${changed}`;
  }
  const { triggerLog } = triggerLogTables(schema);
  const copied = copiedColumns(triggerLog);
  return sql`with ${picked},
    copied as (
      insert into ${triggerLog} (${copied}, state, updated_at)
      select ${copied}, ${TRIGGER_LOG_STATE.NEW}, now()
      from ${log} a join captured c on c.id = a.id where c.fallback order by a.id
      returning 1)
    update ${log} set state = ${TRIGGER_LOG_STATE.REQUEUED}, updated_at = now()
    ${changed}`;
}
