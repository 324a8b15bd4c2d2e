/**
 * Heroku Connect's write to Salesforce (heroku-connect.md §3): NEW trigger
 * log entries in capture order, one change at a time (ordered writes) or
 * folded per record (merged writes), upserted by the mapping's upsert
 * field, and the results written back as Heroku Connect does: the row's
 * sfid, `_hc_lastop` and `_hc_err`, the log's state and `sf_message`, and
 * the log moved to the archive. Each batch is one transaction in Heroku
 * Connect's session (nothing is logged twice) that also holds the org's
 * change: a crash leaves the batch NEW and the org untouched.
 */
import { sql, type SQL } from 'drizzle-orm';
import { executeRows, getTableColumns, type AnyPgDatabase } from '../../compat.ts';
import { ident } from '../../dev/sql-text.ts';
import { TRIGGER_LOG_ACTION, TRIGGER_LOG_STATE, type TriggerLogState, type WriteAlgorithm } from '../../trigger-log/constants.ts';
import { asHerokuConnect } from '../../trigger-log/conventions.ts';
import { parseHstore } from '../../trigger-log/hstore.ts';
import { triggerLogTables, type TriggerLogRow } from '../../trigger-log/tables.ts';
import { sfMessageOf, type SalesforceError } from '../org/errors.ts';
import type { Org } from '../org/org.ts';
import type { OrgField } from '../org/objects.ts';
import { valueFromColumnText, type RecordFields } from '../org/values.ts';
import { applyWrites, lockOrg, type OrgWrite, type WriteOutcome } from '../org/writes.ts';
import type { MappedTable } from './mapped-tables.ts';

/** What one write-out did. */
export interface WriteOutResult {
  /** Logs whose write Salesforce accepted (SUCCESS). */
  readonly success: number;
  /** Logs Salesforce refused (FAILED). */
  readonly failed: number;
  /** Logs folded into another log's write (MERGED, merged writes only). */
  readonly merged: number;
}

/** A write to send, and the logs it stands for. */
interface Job {
  readonly mapping: MappedTable | undefined;
  readonly recordId: number | null;
  /** The log whose state says how the write went; the others are MERGED on success. */
  readonly carrier: TriggerLogRow;
  readonly folded: readonly TriggerLogRow[];
  readonly action: string;
  /** The record's Salesforce Id when known. */
  sfid: string | null;
  readonly fields: Map<OrgField, unknown>;
  /** The upsert field's value, from the row as logged. */
  readonly upsertValue: string | null;
}

type Done = { readonly state: TriggerLogState; readonly message: string | null; readonly sfid: string | null };

/**
 * Write out NEW logs of the schemas the mappings are in, `batchSize` logs per
 * transaction, until none is left.
 */
export async function writeOut(db: AnyPgDatabase, org: Org, mappings: readonly MappedTable[], algorithm: WriteAlgorithm, batchSize: number): Promise<WriteOutResult> {
  const total = { success: 0, failed: 0, merged: 0 };
  for (const schema of new Set(mappings.map((mapping) => mapping.schema))) {
    const byName = new Map(mappings.filter((mapping) => mapping.schema === schema).map((mapping) => [mapping.name, mapping]));
    for (;;) {
      const result = await asHerokuConnect(db, (tx) => writeBatch(tx, org, schema, byName, algorithm, batchSize));
      if (result === undefined) break;
      total.success += result.success;
      total.failed += result.failed;
      total.merged += result.merged;
    }
  }
  return total;
}

async function writeBatch(
  tx: AnyPgDatabase,
  org: Org,
  schema: string,
  byName: ReadonlyMap<string, MappedTable>,
  algorithm: WriteAlgorithm,
  batchSize: number,
): Promise<WriteOutResult | undefined> {
  const { triggerLog } = triggerLogTables(schema);
  const logs = await tx
    .select()
    .from(triggerLog)
    .where(sql`${triggerLog.state} = ${TRIGGER_LOG_STATE.NEW}`)
    .orderBy(triggerLog.id)
    .limit(batchSize)
    .for('update', { skipLocked: true });
  if (logs.length === 0) return undefined;
  await lockOrg(tx, org.schema);

  const jobs = algorithm === 'merged' ? mergedJobs(logs, byName) : logs.map((log) => jobOf(log, byName.get(log.tableName ?? '')));
  await fillKnownSfids(tx, jobs);

  // Plan and send the Salesforce calls in order, a batch of records per call; a log that needs
  // no call is settled here. A record's second change in the batch (ordered writes) waits for
  // the call before it, whose outcome may give it its Id.
  const done = new Map<number, Done>();
  const settle = (job: Job, state: TriggerLogState, message: string | null = null) => {
    for (const log of [job.carrier, ...job.folded]) {
      done.set(log.id, { state: log === job.carrier || state === TRIGGER_LOG_STATE.FAILED ? state : TRIGGER_LOG_STATE.MERGED, message, sfid: job.sfid });
    }
  };
  const sent: { job: Job; outcome: WriteOutcome }[] = [];
  const learned = new Map<string, string>();
  let call: { job: Job; write: OrgWrite; key: string }[] = [];
  const inCall = new Set<string>();
  const send = async () => {
    const outcomes = await applyWrites(tx, { ...org.writeContext(), byConnect: true }, call.map(({ write }) => write));
    call.forEach(({ job, key }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) learned.set(key, outcome.id);
      sent.push({ job, outcome });
    });
    call = [];
    inCall.clear();
  };
  for (const job of jobs) {
    if (job.mapping === undefined) {
      settle(job, TRIGGER_LOG_STATE.FAILED, `INVALID_TYPE:No mapping for the table ${job.carrier.tableName} in this connection: --`);
      continue;
    }
    const key = `${job.mapping.name}/${job.recordId ?? `log ${job.carrier.id}`}`;
    if (inCall.has(key)) await send();
    job.sfid ??= learned.get(key) ?? null;
    const write = writeOf(job);
    if (write === 'nothing') settle(job, TRIGGER_LOG_STATE.SUCCESS);
    else if (typeof write === 'string') settle(job, TRIGGER_LOG_STATE.FAILED, write);
    else {
      call.push({ job, write, key });
      inCall.add(key);
    }
  }
  if (call.length > 0) await send();
  // A slow Salesforce answers late, while the batch holds its logs (and a crash now must lose nothing).
  await org.faults.delay();

  // Per row, the last outcome is what the row shows (ordered writes may change a record twice).
  const writeBacks = new Map<MappedTable, Map<number, Record<string, unknown>>>();
  const writeBackFor = (mapping: MappedTable, recordId: number, row: Record<string, unknown>) => {
    let rows = writeBacks.get(mapping);
    if (rows === undefined) writeBacks.set(mapping, (rows = new Map()));
    rows.set(recordId, row);
  };
  for (const { job, outcome } of sent) {
    const mapping = job.mapping!;
    if (outcome.ok) {
      job.sfid = outcome.id;
      settle(job, TRIGGER_LOG_STATE.SUCCESS);
      if (job.action !== TRIGGER_LOG_ACTION.DELETE && job.recordId !== null) {
        writeBackFor(mapping, job.recordId, writeBackRow(mapping, job, outcome.record, outcome.created ? 'INSERTED' : 'UPDATED'));
      }
    } else {
      const message = sfMessageOf(outcome.refusal.errors);
      settle(job, TRIGGER_LOG_STATE.FAILED, message);
      if (job.action !== TRIGGER_LOG_ACTION.DELETE && job.recordId !== null) {
        writeBackFor(mapping, job.recordId, { id: job.recordId, _hc_lastop: 'FAILED', _hc_err: hcErrorOf(job.action, outcome.refusal.errors) });
      }
    }
  }
  for (const [mapping, rows] of writeBacks) await writeBack(tx, mapping, [...rows.values()]);
  await archive(tx, schema, logs, done);

  let success = 0;
  let failed = 0;
  let merged = 0;
  for (const { state } of done.values()) {
    if (state === TRIGGER_LOG_STATE.SUCCESS) success++;
    else if (state === TRIGGER_LOG_STATE.FAILED) failed++;
    else merged++;
  }
  return { success, failed, merged };
}

function jobOf(log: TriggerLogRow, mapping: MappedTable | undefined): Job {
  const fields = new Map<OrgField, unknown>();
  const values = parseHstore(log.values);
  if (mapping !== undefined) {
    for (const [column, text] of Object.entries(values)) {
      const field = mapping.fieldByColumn.get(column);
      if (field !== undefined) fields.set(field, valueFromColumnText(field, text));
    }
  }
  const old = parseHstore(log.old);
  const upsertColumn = mapping?.upsert?.column;
  const upsertValue = upsertColumn === undefined ? null : (values[upsertColumn] ?? old[upsertColumn] ?? null);
  return {
    mapping,
    recordId: log.recordId,
    carrier: log,
    folded: [],
    action: log.action ?? TRIGGER_LOG_ACTION.UPDATE,
    sfid: log.sfid ?? values['sfid'] ?? null,
    fields,
    upsertValue,
  };
}

/** Merged writes: a record's logs in the batch become one write with its latest values. */
function mergedJobs(logs: readonly TriggerLogRow[], byName: ReadonlyMap<string, MappedTable>): Job[] {
  const groups = new Map<string, TriggerLogRow[]>();
  for (const log of logs) {
    const key = log.recordId === null ? `log/${log.id}` : `${log.tableName}/${log.recordId}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(log);
  }
  return [...groups.values()].map((logsOfRecord) => {
    // In capture order: a retried log copied back from the archive keeps its capture time.
    const group = logsOfRecord.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || a.id - b.id);
    const mapping = byName.get(group[0]!.tableName ?? '');
    const parts = group.map((log) => jobOf(log, mapping));
    const deleting = parts.find((part) => part.action === TRIGGER_LOG_ACTION.DELETE);
    const carrierPart = deleting ?? parts[0]!;
    const fields = new Map<OrgField, unknown>();
    for (const part of parts) for (const [field, value] of part.fields) fields.set(field, value);
    return {
      mapping,
      recordId: carrierPart.recordId,
      carrier: carrierPart.carrier,
      folded: group.filter((log) => log !== carrierPart.carrier),
      action: carrierPart.action,
      sfid: parts.map((part) => part.sfid).find((sfid) => sfid !== null) ?? null,
      fields,
      upsertValue: parts.map((part) => part.upsertValue).findLast((value) => value !== null) ?? null,
    };
  });
}

/** The sfid a record's row holds now (an earlier write may have set it since the log was captured). */
async function fillKnownSfids(tx: AnyPgDatabase, jobs: readonly Job[]): Promise<void> {
  const missing = new Map<MappedTable, Set<number>>();
  for (const job of jobs) {
    if (job.sfid !== null || job.mapping === undefined || job.recordId === null) continue;
    let ids = missing.get(job.mapping);
    if (ids === undefined) missing.set(job.mapping, (ids = new Set()));
    ids.add(job.recordId);
  }
  for (const [mapping, ids] of missing) {
    const rows = await executeRows<{ id: number; sfid: string | null }>(
      tx,
      sql`select id, sfid from ${sql.raw(mapping.sqlName)} where id in (select (jsonb_array_elements_text(${JSON.stringify([...ids])}::jsonb))::integer)`,
    );
    const sfids = new Map(rows.map((row) => [row.id, row.sfid]));
    for (const job of jobs) if (job.mapping === mapping && job.sfid === null && job.recordId !== null) job.sfid = sfids.get(job.recordId) ?? null;
  }
}

/** The Salesforce call for a job, 'nothing' when there is nothing to send, or a failure message. */
function writeOf(job: Job): OrgWrite | 'nothing' | string {
  const mapping = job.mapping!;
  const object = mapping.object.name;
  const writable = (field: OrgField) => (job.sfid === null ? field.createable : field.updateable) && field.type !== 'id' && field.name !== mapping.object.modstampField;
  const fields: Record<string, unknown> = {};
  for (const [field, value] of job.fields) if (writable(field)) fields[field.name] = value;
  if (job.action === TRIGGER_LOG_ACTION.DELETE) {
    return job.sfid === null ? 'nothing' : { op: 'delete', object, id: job.sfid };
  }
  if (job.sfid !== null) {
    if (mapping.upsert !== undefined) delete fields[mapping.upsert.field.name];
    return Object.keys(fields).length === 0 ? 'nothing' : { op: 'update', object, id: job.sfid, fields };
  }
  if (mapping.upsert !== undefined && job.upsertValue !== null) {
    delete fields[mapping.upsert.field.name];
    return { op: 'upsert', object, field: mapping.upsert.field.name, value: job.upsertValue, fields };
  }
  if (job.action === TRIGGER_LOG_ACTION.INSERT) return { op: 'create', object, fields };
  return `MISSING_ARGUMENT:The row has no sfid and no upsert field value, so its update can't reach a record:${mapping.upsert?.field.name ?? ''} --`;
}

/** The row's new Heroku Connect columns, and the record's values Salesforce set (system fields, defaults). */
function writeBackRow(mapping: MappedTable, job: Job, record: RecordFields, lastop: string): Record<string, unknown> {
  const row: Record<string, unknown> = { id: job.recordId, sfid: record['Id'], _hc_lastop: lastop, _hc_err: null };
  for (const [column, field] of mapping.fieldByColumn) {
    if (column === 'sfid') continue;
    const value = record[field.name];
    if (value === undefined || value === null) continue;
    // Salesforce's own values, and defaults it filled in for fields the write left empty.
    if (!field.updateable || field.name === mapping.object.modstampField || (job.fields.get(field) ?? null) === null) row[column] = value;
  }
  return row;
}

/** `_hc_err`: what the last failed sync did and why, as JSON. */
function hcErrorOf(action: string, errors: readonly SalesforceError[]): string {
  return JSON.stringify({ op: action, src: 'SF', msg: sfMessageOf(errors) });
}

/** Write results back to the rows, in Heroku Connect's session (not logged). */
async function writeBack(tx: AnyPgDatabase, mapping: MappedTable, rows: readonly Record<string, unknown>[]): Promise<void> {
  const system = new Set(['id', 'sfid', '_hc_lastop', '_hc_err']);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((column) => !system.has(column));
  const q = ident;
  const assignments = [
    'sfid = coalesce(v.sfid, t.sfid)',
    '_hc_lastop = v._hc_lastop',
    '_hc_err = v._hc_err',
    ...columns.map((column) => {
      const field = mapping.fieldByColumn.get(column)!;
      // Salesforce's own fields win; a default only fills a column the app left empty.
      return !field.updateable || column === mapping.modstampColumn ? `${q(column)} = coalesce(v.${q(column)}, t.${q(column)})` : `${q(column)} = coalesce(t.${q(column)}, v.${q(column)})`;
    }),
  ];
  await tx.execute(
    sql`update ${sql.raw(mapping.sqlName)} t set ${sql.raw(assignments.join(', '))}
        from jsonb_populate_recordset(null::${sql.raw(mapping.sqlName)}, ${JSON.stringify(rows)}::jsonb) v where t.id = v.id`,
  );
}

/** Set each log's final state and move it to the archive, in one statement (§3.1, §3.7). */
async function archive(tx: AnyPgDatabase, schema: string, logs: readonly TriggerLogRow[], done: ReadonlyMap<number, Done>): Promise<void> {
  const { triggerLog, triggerLogArchive } = triggerLogTables(schema);
  const results = logs.map((log) => ({ id: log.id, state: done.get(log.id)!.state, sf_message: done.get(log.id)!.message, sfid: done.get(log.id)!.sfid }));
  const overrides: Record<string, SQL> = {
    updated_at: sql`now()`,
    processed_at: sql`now()`,
    processed_tx: sql`txid_current()`,
    state: sql`r.state`,
    sf_message: sql`r.sf_message`,
    sfid: sql`coalesce(m.sfid, r.sfid)`,
  };
  const names = Object.values(getTableColumns(triggerLogArchive)).map((column) => column.name);
  const select = sql.join(
    names.map((name) => overrides[name] ?? sql.raw(`m.${ident(name)}`)),
    sql`, `,
  );
  await tx.execute(sql`with r as (select * from jsonb_to_recordset(${JSON.stringify(results)}::jsonb) as r(id integer, state varchar, sf_message text, sfid varchar)),
    m as (delete from ${triggerLog} l using r where l.id = r.id returning l.*)
    insert into ${triggerLogArchive} (${sql.raw(names.map(ident).join(', '))})
    select ${select} from m join r on r.id = m.id order by m.id`);
}

