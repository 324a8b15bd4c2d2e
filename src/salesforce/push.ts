/**
 * `pushRecord` / `pushRecords`: write a row of an hcTable to Salesforce now,
 * past Heroku Connect (django-sforce's `api.push`): update by sfid, upsert by
 * the table's upsert field, or create; many rows through sObject Collections,
 * 200 a request. Given `db`, the Id comes back into the local row in Heroku
 * Connect's session, so the trigger log does not send the change again.
 * Edge-safe.
 */
import type { InferSelectModel } from 'drizzle-orm';
import type { AnyPgDatabase, PgColumn, PgTable } from '../compat.ts';
import { InputError } from '../errors.ts';
import { getTableColumns } from '../compat.ts';
import type { HcTableLike } from '../metadata.ts';
import type { CollectionOutcome, SalesforceCallOptions, SalesforceClient } from './client.ts';
import type { SalesforceApiError } from './errors.ts';
import { mappedTable, savePushedRows, type MappedTable } from './local-rows.ts';
import { RECORD_ID_PATTERN, type SObjectDescribe } from './replies.ts';
import { valueToSalesforce } from './values.ts';

/** A row of `T` as pushRecord takes it: any of its columns. */
export type PushRow<T extends PgTable> = Partial<InferSelectModel<T>>;

/** Options of {@link pushRecord}. */
export interface PushOptions extends SalesforceCallOptions {
  /** Write the record's Id (and the pushed values) into the local row, as Heroku Connect would. Not a guarded db: this write is Heroku Connect's. */
  readonly db?: AnyPgDatabase;
}

/** Options of {@link pushRecords}. */
export interface PushManyOptions extends PushOptions {
  /** Roll back each request's 200 records when one of them fails. Default false: every record on its own. */
  readonly allOrNone?: boolean;
}

/** What became of one row of {@link pushRecords}. */
export type PushOutcome =
  | { readonly ok: true; readonly sfid: string; readonly created: boolean }
  | { readonly ok: false; readonly error: SalesforceApiError };

/** How a row reaches Salesforce. */
type Plan =
  | { readonly mode: 'update'; readonly sfid: string; readonly fields: Record<string, unknown>; readonly local: Record<string, unknown> }
  | { readonly mode: 'upsert'; readonly value: string; readonly fields: Record<string, unknown>; readonly local: Record<string, unknown> }
  | { readonly mode: 'create'; readonly fields: Record<string, unknown>; readonly local: Record<string, unknown> };

/**
 * Write `row` to Salesforce now and return the record's Id: an update when
 * the row has an sfid, an upsert by the table's upsert field when it has
 * one (a missing external id gets its column default, as a local insert
 * would), a create otherwise. Values are converted per field kind; fields
 * Salesforce does not let you write (its describe says, fetched once per
 * object) are left out, as Heroku Connect leaves out CreatedDate.
 *
 * @throws {SalesforceApiError} with Salesforce's `errorCode` and `fields` when it refuses.
 * @example
 * const sfid = await pushRecord(sf, contact, { email: 'ada@example.com', lastName: 'Lovelace' }, { db });
 */
export async function pushRecord<T extends HcTableLike>(sf: SalesforceClient, table: T, row: PushRow<T>, options: PushOptions = {}): Promise<string> {
  const mapped = mappedTable(table);
  sf.assertAllowed(mapped.object.objectName);
  const plan = planPush(mapped, row as Record<string, unknown>, await sf.describe(mapped.object.objectName, signalOf(options)));
  const object = mapped.object.objectName;
  const sfid =
    plan.mode === 'update'
      ? (await sf.update(object, plan.sfid, plan.fields, signalOf(options)), plan.sfid)
      : plan.mode === 'upsert'
        ? (await sf.upsert(object, mapped.upsert!.field.sfName, plan.value, plan.fields, signalOf(options))).id
        : await sf.create(object, plan.fields, signalOf(options));
  if (options.db !== undefined) await savePushedRows(options.db, mapped, [{ values: plan.local, sfid }]);
  return sfid;
}

/**
 * Write many rows of one hcTable through sObject Collections: 200 records a
 * request instead of one each (updates, upserts and creates in their own
 * requests). A refused record does not stop the others (unless
 * `allOrNone`); the outcomes come back in row order. Given `db`, each
 * request's saved records are written back before the next request, so a
 * failure midway loses nothing already in Salesforce.
 *
 * @throws {SalesforceApiError} when a request itself fails (records of earlier requests stay pushed and written back).
 * @example
 * const outcomes = await pushRecords(sf, contact, rows, { db });
 * const refused = outcomes.filter((outcome) => !outcome.ok);
 */
export async function pushRecords<T extends HcTableLike>(
  sf: SalesforceClient,
  table: T,
  rows: readonly PushRow<T>[],
  options: PushManyOptions = {},
): Promise<PushOutcome[]> {
  const mapped = mappedTable(table);
  const object = mapped.object.objectName;
  sf.assertAllowed(object);
  if (rows.length === 0) return [];
  const describe = await sf.describe(object, signalOf(options));
  const plans = rows.map((row) => planPush(mapped, row as Record<string, unknown>, describe));
  const outcomes: PushOutcome[] = new Array(rows.length);
  const collection = { ...signalOf(options), allOrNone: options.allOrNone ?? false };
  const upsertField = mapped.upsert?.field.sfName;
  const sends: Record<Plan['mode'], (records: Record<string, unknown>[]) => Promise<CollectionOutcome[]>> = {
    update: (records) => sf.updateMany(object, records, collection),
    upsert: (records) => sf.upsertMany(object, upsertField!, records, collection),
    create: (records) => sf.createMany(object, records, collection),
  };
  for (const mode of ['update', 'upsert', 'create'] as const) {
    const indexes = plans.flatMap((plan, index) => (plan.mode === mode ? [index] : []));
    for (let start = 0; start < indexes.length; start += 200) {
      const batch = indexes.slice(start, start + 200);
      const results = await sends[mode](batch.map((index) => recordOf(plans[index]!, upsertField)));
      const saved: { values: Record<string, unknown>; sfid: string }[] = [];
      results.forEach((result, position) => {
        const index = batch[position]!;
        outcomes[index] = result.ok ? { ok: true, sfid: result.id, created: mode === 'create' || result.created } : result;
        if (result.ok) saved.push({ values: plans[index]!.local, sfid: result.id });
      });
      if (options.db !== undefined) await savePushedRows(options.db, mapped, saved);
    }
  }
  return outcomes;
}

/** The sObject Collections record of a plan: the Id for an update, the external id for an upsert. */
function recordOf(plan: Plan, upsertField: string | undefined): Record<string, unknown> {
  if (plan.mode === 'update') return { ...plan.fields, Id: plan.sfid };
  if (plan.mode === 'upsert') return { ...plan.fields, [upsertField!]: plan.value };
  return plan.fields;
}

/** Decide how `row` goes to Salesforce and with which fields. */
function planPush(mapped: MappedTable, row: Record<string, unknown>, describe: SObjectDescribe): Plan {
  const local = { ...row };
  const sfid = row[mapped.sfid.key];
  if (sfid != null && (typeof sfid !== 'string' || !RECORD_ID_PATTERN.test(sfid))) {
    throw new InputError(`The row's sfid ${JSON.stringify(sfid)} is not a Salesforce record Id (15 or 18 letters and digits).`);
  }
  const upsert = mapped.upsert;
  if (sfid == null && upsert !== undefined && row[upsert.key] == null) {
    // A new row gets its external id as a local insert would (sfExternalId: a fresh UUID), so Salesforce and the row agree on it.
    const column = (getTableColumns(mapped.table) as Record<string, PgColumn>)[upsert.key] as PgColumn & { defaultFn?: () => unknown };
    if (typeof column.defaultFn === 'function') local[upsert.key] = column.defaultFn();
  }
  const upsertValue = upsert === undefined ? undefined : local[upsert.key];
  const mode = typeof sfid === 'string' ? 'update' : upsertValue != null ? 'upsert' : 'create';
  const writable = new Map(
    describe.fields.map((field) => [
      field.name.toLowerCase(),
      mode === 'update' ? field.updateable : mode === 'create' ? field.createable : field.createable || field.updateable,
    ]),
  );
  const fields: Record<string, unknown> = {};
  for (const column of mapped.columns) {
    const value = local[column.key];
    const name = column.field.sfName;
    if (value === undefined || column === mapped.sfid || (mode === 'upsert' && column === upsert)) continue;
    // Not on the object as Salesforce describes it: sent anyway, so Salesforce names the field in its error.
    if (writable.get(name.toLowerCase()) === false) continue;
    fields[name] = valueToSalesforce(column, value);
  }
  if (mode === 'update') return { mode, sfid: sfid as string, fields, local };
  if (mode === 'upsert') return { mode, value: String(upsertValue), fields, local };
  return { mode, fields, local };
}

const signalOf = (options: SalesforceCallOptions) => (options.signal === undefined ? {} : { signal: options.signal });
