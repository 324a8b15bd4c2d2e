/**
 * Writing Salesforce's records into an hcTable the way Heroku Connect does:
 * in its session (`asHerokuConnect`: nothing logged, rows SYNCED), matched on
 * `sfid`, or on the upsert field while a local row has no sfid yet
 * (heroku-connect.md §2.4, §3.3). A record deleted in Salesforce is deleted
 * from the table: Heroku Connect hard-deletes the row as soon as the record
 * is soft-deleted (Heroku Support, quoted in thermondo/django-heroku-connect
 * PR #97; heroku/salesforce-bulk issue #114). Edge-safe.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { getTableColumns, type AnyPgDatabase, type PgColumn, type PgTable } from '../compat.ts';
import { InputError } from '../errors.ts';
import { sfColumnsOf, sfObjectOf, type SfColumn, type SfObjectMeta } from '../metadata.ts';
import { asHerokuConnect } from '../trigger-log/conventions.ts';
import type { SalesforceRecord } from './replies.ts';
import { valueFromSalesforce } from './values.ts';

/** `_hc_lastop` of a row Heroku Connect wrote (heroku-connect.md §2.4). */
const SYNCED = 'SYNCED';
/** PostgreSQL takes at most 65,535 parameters a statement; keep well under. */
const MAX_PARAMETERS = 30_000;

type Values = Record<string, unknown>;

/** What the Salesforce functions need to know about an hcTable. */
export interface MappedTable {
  readonly table: PgTable;
  readonly object: SfObjectMeta;
  /** The mapped columns, system ones included. */
  readonly columns: readonly SfColumn[];
  readonly sfid: SfColumn;
  /** The upsert field's column, if the table has one. */
  readonly upsert: SfColumn | undefined;
  /** The column Heroku Connect polls on: SystemModstamp's, or its stand-in's (heroku-connect.md §2.5). */
  readonly modstamp: SfColumn | undefined;
  /** The property keys of `_hc_lastop` and `_hc_err`. */
  readonly hcLastopKey: string | undefined;
  readonly hcErrKey: string | undefined;
}

const mappedTables = new WeakMap<object, MappedTable>();

/**
 * The mapping facts of an hcTable, read once from its metadata.
 *
 * @throws {InputError} when `table` is not an hcTable.
 */
export function mappedTable(table: PgTable): MappedTable {
  let mapped = mappedTables.get(table);
  if (mapped !== undefined) return mapped;
  const object = sfObjectOf(table);
  if (object === undefined) throw new InputError('The Salesforce functions take an hcTable (made with hcTable()), not a plain table.');
  const columns = sfColumnsOf(table);
  const sfid = columns.find((column) => column.field.kind === 'id' && column.field.sfName === 'Id');
  if (sfid === undefined) throw new InputError(`The hcTable of ${object.objectName} has no sfid column.`);
  const keyOfColumn = (name: string) => Object.entries(getTableColumns(table) as Record<string, PgColumn>).find(([, column]) => column.name === name)?.[0];
  mapped = {
    table,
    object,
    columns,
    sfid,
    upsert: columns.find((column) => column.field.upsert),
    modstamp: columns.find((column) => column.field.sfName === object.modstampField),
    hcLastopKey: keyOfColumn('_hc_lastop'),
    hcErrKey: keyOfColumn('_hc_err'),
  };
  mappedTables.set(table, mapped);
  return mapped;
}

/** The fields of the mapped columns, for a SOQL SELECT: each once. */
export function selectedFields(mapped: MappedTable): string[] {
  return [...new Map(mapped.columns.map((column) => [column.field.sfName.toLowerCase(), column.field.sfName])).values()];
}

/** Mark `values` as Heroku Connect's: SYNCED, no error. */
function synced(mapped: MappedTable, values: Values): Values {
  return {
    ...values,
    ...(mapped.hcLastopKey === undefined ? {} : { [mapped.hcLastopKey]: SYNCED }),
    ...(mapped.hcErrKey === undefined ? {} : { [mapped.hcErrKey]: null }),
  };
}

/** A record's values for the row: every mapped column the record carries, converted. */
function recordValues(mapped: MappedTable, record: SalesforceRecord): Values {
  const byField = new Map(Object.entries(record).map(([field, value]) => [field.toLowerCase(), value]));
  const values: Values = {};
  for (const column of mapped.columns) {
    const field = column.field.sfName.toLowerCase();
    if (byField.has(field)) values[column.key] = valueFromSalesforce(column, byField.get(field));
  }
  return values;
}

const column = (mapped: MappedTable, key: string) => (getTableColumns(mapped.table) as Record<string, PgColumn>)[key]!;

/**
 * Insert or update the rows of `records` (each with its Id) as Heroku
 * Connect does, in one of its sessions.
 */
export async function writeRecords(db: AnyPgDatabase, mapped: MappedTable, records: readonly SalesforceRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((record) => synced(mapped, recordValues(mapped, record)));
  await asHerokuConnect(db, async (tx) => {
    if (mapped.upsert !== undefined) await attachByUpsertField(tx, mapped, rows);
    await upsertBySfid(tx, mapped, rows);
  });
}

/**
 * `INSERT ... ON CONFLICT (sfid) DO UPDATE` of rows that each carry their
 * sfid, grouped by the columns they set, in statements under the parameter
 * limit.
 */
async function upsertBySfid(tx: AnyPgDatabase, mapped: MappedTable, rows: readonly Values[]): Promise<void> {
  const groups = new Map<string, Values[]>();
  for (const row of rows) {
    const signature = Object.keys(row).sort().join(',');
    groups.set(signature, [...(groups.get(signature) ?? []), row]);
  }
  for (const group of groups.values()) {
    const keys = Object.keys(group[0]!);
    const set = Object.fromEntries(keys.filter((key) => key !== mapped.sfid.key).map((key) => [key, sql`excluded.${sql.identifier(column(mapped, key).name)}`]));
    const size = Math.max(1, Math.floor(MAX_PARAMETERS / keys.length));
    for (let start = 0; start < group.length; start += size) {
      await tx
        .insert(mapped.table)
        .values(group.slice(start, start + size) as never)
        .onConflictDoUpdate({ target: column(mapped, mapped.sfid.key), set: set as never });
    }
  }
}

/**
 * Give local rows that have no sfid yet the Id of the record with their
 * upsert value, as Heroku Connect matches them, so the insert that follows
 * updates them instead of adding a second row.
 */
async function attachByUpsertField(tx: AnyPgDatabase, mapped: MappedTable, rows: readonly Values[]): Promise<void> {
  const upsert = mapped.upsert!;
  const sfidByValue = new Map(rows.flatMap((row) => (row[upsert.key] == null ? [] : [[String(row[upsert.key]), row[mapped.sfid.key]] as const])));
  if (sfidByValue.size === 0) return;
  const upsertColumn = column(mapped, upsert.key);
  const sfidColumn = column(mapped, mapped.sfid.key);
  const values = [...sfidByValue.keys()];
  for (let start = 0; start < values.length; start += MAX_PARAMETERS) {
    const waiting = (await tx
      .select({ value: upsertColumn })
      .from(mapped.table)
      .where(and(isNull(sfidColumn), inArray(upsertColumn, values.slice(start, start + MAX_PARAMETERS))))) as { value: unknown }[];
    for (const { value } of waiting) {
      await tx
        .update(mapped.table)
        .set({ [mapped.sfid.key]: sfidByValue.get(String(value)) } as never)
        .where(and(isNull(sfidColumn), eq(upsertColumn, value)));
    }
  }
}

/** Delete the rows of records deleted in Salesforce, as Heroku Connect does (in its session, not logged). */
export async function deleteRecords(db: AnyPgDatabase, mapped: MappedTable, sfids: readonly string[]): Promise<number> {
  if (sfids.length === 0) return 0;
  const sfidColumn = column(mapped, mapped.sfid.key);
  return asHerokuConnect(db, async (tx) => {
    let deleted = 0;
    for (let start = 0; start < sfids.length; start += MAX_PARAMETERS) {
      const gone = await tx
        .delete(mapped.table)
        .where(inArray(sfidColumn, sfids.slice(start, start + MAX_PARAMETERS) as string[]))
        .returning({ sfid: sfidColumn });
      deleted += gone.length;
    }
    return deleted;
  });
}

/**
 * After a push: write the pushed values and the record's Id into the local
 * row, in Heroku Connect's session, so the trigger log does not send them
 * again. The row is the one with the given `id`, else the one with the
 * record's sfid, else the one with its upsert value and no sfid yet; with
 * none, it is inserted.
 */
export async function savePushedRows(db: AnyPgDatabase, mapped: MappedTable, pushed: readonly { values: Values; sfid: string }[]): Promise<void> {
  if (pushed.length === 0) return;
  const idKey = Object.entries(getTableColumns(mapped.table) as Record<string, PgColumn>).find(([, column]) => column.primary)?.[0];
  const rows = pushed.map(({ values, sfid }) => synced(mapped, { ...values, [mapped.sfid.key]: sfid }));
  await asHerokuConnect(db, async (tx) => {
    if (idKey !== undefined) {
      const sfidColumn = column(mapped, mapped.sfid.key);
      for (const row of rows) {
        if (row[idKey] == null) continue;
        await tx.update(mapped.table).set({ [mapped.sfid.key]: row[mapped.sfid.key] } as never).where(and(eq(column(mapped, idKey), row[idKey]), isNull(sfidColumn)));
      }
    }
    if (mapped.upsert !== undefined) await attachByUpsertField(tx, mapped, rows);
    // Matched by sfid from here on: the local id is Heroku Connect's own, never written.
    await upsertBySfid(tx, mapped, idKey === undefined ? rows : rows.map(({ [idKey]: _id, ...row }) => row));
  });
}
