/**
 * Parked changes: those whose handler failed `maxAttempts` times. They stay
 * until retried or dismissed; the record's later changes went on.
 */
import type { AnyPgDatabase } from '../compat.ts';
import { InputError } from '../errors.ts';
import { isHcTable } from '../metadata.ts';
import { tableKey } from './change.ts';
import { databaseConnection, type FeedConnection } from './connection.ts';
import { FEED_SCHEMA as S } from './ddl.ts';
import { ANY_ID, notifyFeed } from './queries.ts';
import { validGroupName } from './options.ts';

/** Which parked changes: all of them, or those of a group, a table, or with these ids. */
export interface ParkedSelection {
  readonly group?: string;
  /** An hcTable, or `schema.table`. */
  readonly table?: unknown;
  /** Change ids (as handlers and {@link listParkedChanges} show them). */
  readonly ids?: readonly (string | number)[];
}

/** A parked change, as stored (`row` and `old` keyed by column name). */
export interface ParkedChange {
  readonly id: string;
  readonly group: string;
  /** `schema.table`. */
  readonly table: string;
  readonly op: 'insert' | 'update' | 'delete' | 'resync';
  readonly row: Readonly<Record<string, unknown>> | null;
  readonly old: Readonly<Record<string, unknown>> | null;
  /** For a resync: `{ reason, since }`. */
  readonly detail: Readonly<Record<string, unknown>> | null;
  /** When Heroku Connect wrote it. */
  readonly at: Date;
  readonly attempts: number;
  /** What the handler threw the last time. */
  readonly lastError: string | null;
  readonly parkedAt: Date;
}

function whereOf(selection: ParkedSelection): { text: string; params: unknown[] } {
  const conditions = [`d.state = 'parked'`];
  const params: unknown[] = [];
  if (selection.group !== undefined) {
    params.push(validGroupName(selection.group));
    conditions.push(`d.group_name = $${params.length}`);
  }
  if (selection.table !== undefined) {
    const key = isHcTable(selection.table) ? tableKey(selection.table) : selection.table;
    if (typeof key !== 'string' || !key.includes('.')) throw new InputError('The table must be an hcTable or a schema-qualified name such as salesforce.account.');
    params.push(key);
    conditions.push(`d.table_schema || '.' || d.table_name = $${params.length}`);
  }
  if (selection.ids !== undefined) {
    const ids = selection.ids.map(String);
    const bad = ids.find((id) => !/^[1-9][0-9]{0,18}$/.test(id));
    if (bad !== undefined) throw new InputError(`The change id ${JSON.stringify(bad)} is not a positive whole number.`);
    params.push(JSON.stringify(ids));
    conditions.push(`d.change_id = ${ANY_ID(params.length)}`);
  }
  return { text: conditions.join(' and '), params };
}

/**
 * The parked changes (oldest first, at most `limit`, default 100).
 *
 * @example
 * for (const change of await listParkedChanges(db, { group: 'billing' })) console.log(change.id, change.lastError);
 */
export async function listParkedChanges(
  db: AnyPgDatabase,
  selection: ParkedSelection & { readonly limit?: number } = {},
): Promise<ParkedChange[]> {
  const limit = selection.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1) throw new InputError('The limit must be a positive whole number.');
  const where = whereOf(selection);
  const rows = await databaseConnection(db).query<{
    id: string; group_name: string; table_key: string; op: ParkedChange['op']; row: unknown; old: unknown; detail: unknown;
    at_ms: number; attempts: number; last_error: string | null; parked_ms: number;
  }>(
    `select d.change_id::text as id, d.group_name, d.table_schema || '.' || d.table_name as table_key, c.op, c."row", c.old, c.detail,
       (extract(epoch from c.at) * 1000)::float8 as at_ms, d.attempts, d.last_error, (extract(epoch from d.run_at) * 1000)::float8 as parked_ms
     from ${S}.delivery d join ${S}.change c on c.id = d.change_id
     where ${where.text}
     order by d.change_id, d.group_name
     limit ${limit}`,
    where.params,
  );
  const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : (value ?? null)) as Record<string, unknown> | null;
  return rows.map((row) => ({
    id: row.id,
    group: row.group_name,
    table: row.table_key,
    op: row.op,
    row: json(row.row),
    old: json(row.old),
    detail: json(row.detail),
    at: new Date(row.at_ms),
    attempts: row.attempts,
    lastError: row.last_error,
    parkedAt: new Date(row.parked_ms),
  }));
}

/**
 * Deliver the selected parked changes again, from a first attempt; resolves
 * how many. Subscribers are woken.
 */
export async function retryParkedChanges(db: AnyPgDatabase, selection: ParkedSelection = {}): Promise<number> {
  return moveParked(databaseConnection(db), selection, `state = 'pending', attempts = 0, run_at = now()`, true);
}

/** Give up on the selected parked changes: they count as handled (and are forgotten after the retention). Resolves how many. */
export async function dismissParkedChanges(db: AnyPgDatabase, selection: ParkedSelection = {}): Promise<number> {
  return moveParked(databaseConnection(db), selection, `state = 'done', done_at = now()`, false);
}

async function moveParked(connection: FeedConnection, selection: ParkedSelection, assignments: string, wake: boolean): Promise<number> {
  const where = whereOf(selection);
  const moved = await connection.query<{ table_key: string }>(
    `update ${S}.delivery d set ${assignments} where ${where.text} returning d.table_schema || '.' || d.table_name as table_key`,
    where.params,
  );
  if (wake) {
    for (const key of new Set(moved.map((row) => row.table_key))) await notifyFeed(connection, key);
  }
  return moved.length;
}
