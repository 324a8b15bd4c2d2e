/**
 * Record writes in the emulated org, as Salesforce runs them: each write is
 * checked (fields, types, required fields, lengths, restricted picklists,
 * lookup targets, unique and External ID values) and applied in order, the
 * way one API call's records are. A batch is one round trip to load what the
 * checks need, the checks in memory, and one statement to store the result,
 * inside the caller's transaction.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type AnyPgDatabase } from '../../compat.ts';
import { literal, qualified } from '../../dev/sql-text.ts';
import { canonicalId, recordId } from '../ids.ts';
import { refuse, type WriteRefusal } from './errors.ts';
import type { OrgField, OrgObject } from './objects.ts';
import { fieldValueExpression } from './store-ddl.ts';
import { normalizeValue, salesforceDateTime, type FieldValue, type RecordFields } from './values.ts';

/** One record write, with fields by name (any case) and REST JSON values. */
export type OrgWrite =
  | {
      readonly op: 'create';
      readonly object: string;
      readonly fields: Readonly<Record<string, unknown>>;
      /** A fixed Id (seed records, the org's user); default a new one. */
      readonly id?: string;
    }
  | { readonly op: 'update'; readonly object: string; readonly id: string; readonly fields: Readonly<Record<string, unknown>> }
  | {
      readonly op: 'upsert';
      readonly object: string;
      /** The External ID field (or `Id`) to match on. */
      readonly field: string;
      readonly value: string;
      readonly fields: Readonly<Record<string, unknown>>;
    }
  | { readonly op: 'delete'; readonly object: string; readonly id: string };

/** What became of one write. */
export type WriteOutcome =
  | { readonly ok: true; readonly id: string; readonly created: boolean; readonly record: RecordFields }
  | { readonly ok: false; readonly refusal: WriteRefusal };

/** What the writes need to know about the org. */
export interface WriteContext {
  /** The org store's schema. */
  readonly schema: string;
  readonly objects: ReadonlyMap<string, OrgObject>;
  /** The user making the changes (CreatedById, LastModifiedById, OwnerId). */
  readonly userId: string;
  /** A programmed refusal for the next write, if any (faults). */
  takeFailure(): WriteRefusal | undefined;
  /** The writes are Heroku Connect's own (its write-out), which its poll then skips. */
  readonly byConnect?: boolean;
}

interface WorkingRecord {
  readonly id: string;
  readonly object: OrgObject;
  fields: RecordFields;
  isDeleted: boolean;
  deletedDate: string | null;
  modstamp: number;
  touched: number;
}

interface Prepared {
  readonly write: OrgWrite;
  readonly object: OrgObject;
  readonly fields: Map<OrgField, FieldValue>;
  readonly id?: string;
  readonly matchField?: OrgField;
  readonly matchValue?: FieldValue;
}

const uniqueKey = (object: string, field: string, value: string) => `${object}\u0000${field.toLowerCase()}\u0000${value.toLowerCase()}`;

/** The object a record Id belongs to, by its key prefix. */
function objectOfId(objects: ReadonlyMap<string, OrgObject>, id: string): OrgObject | undefined {
  const prefix = id.slice(0, 3);
  for (const object of objects.values()) if (object.keyPrefix === prefix) return object;
  return undefined;
}

function prepare(write: OrgWrite, objects: ReadonlyMap<string, OrgObject>): Prepared | WriteRefusal {
  const object = [...objects.values()].find((candidate) => candidate.name.toLowerCase() === write.object.toLowerCase());
  if (object === undefined) return refuse.unknownObject(write.object);
  let id: string | undefined;
  const givenId = write.op === 'upsert' ? undefined : write.id;
  if (givenId !== undefined) {
    id = canonicalId(givenId);
    if (id === undefined) return refuse.malformedId('Id', givenId);
    if (id.slice(0, 3) !== object.keyPrefix) return refuse.notFound(`Provided Id ${givenId} is not an ${object.name} Id`);
  }
  const fields = new Map<OrgField, FieldValue>();
  let matchField: OrgField | undefined;
  let matchValue: FieldValue | undefined;
  if (write.op === 'upsert') {
    matchField = object.field(write.field);
    if (matchField === undefined || !(matchField.externalId || matchField.type === 'id')) {
      return refuse.notFound(`Provided external ID field does not exist or is not accessible: ${write.field}`);
    }
    const normal = normalizeValue(matchField, write.value);
    if ('refusal' in normal) return normal.refusal;
    matchValue = normal.value;
    if (matchField.type === 'id') id = String(matchValue);
  }
  if (write.op !== 'delete') {
    const notWritable: string[] = [];
    for (const [name, value] of Object.entries(write.fields)) {
      const field = object.field(name);
      if (field === undefined) return refuse.invalidField(`No such column '${name}' on sobject of type ${object.name}`);
      if (field === matchField) continue;
      const writable = write.op === 'create' ? field.createable : write.op === 'update' ? field.updateable : field.createable || field.updateable;
      if (!writable) {
        notWritable.push(field.name);
        continue;
      }
      const normal = normalizeValue(field, value);
      if ('refusal' in normal) return normal.refusal;
      fields.set(field, normal.value);
    }
    if (notWritable.length > 0) return refuse.notWritable(notWritable);
  }
  return { write, object, fields, ...(id === undefined ? {} : { id }), ...(matchField === undefined ? {} : { matchField, matchValue: matchValue! }) };
}

/**
 * Run `writes` in order inside `tx` (which must hold the org lock, see
 * `lockOrg`), and return one outcome per write. Refused writes change nothing.
 */
export async function applyWrites(tx: AnyPgDatabase, context: WriteContext, writes: readonly OrgWrite[]): Promise<WriteOutcome[]> {
  const { objects, schema } = context;
  const prepared = writes.map((write) => prepare(write, objects));
  const records = new Map<string, WorkingRecord>();
  const holders = new Map<string, Set<string>>();

  // What the checks need: the targets, the lookup targets, the holders of unique and External ID values.
  // The user is every default OwnerId: a lookup target like any other.
  const ids = new Set<string>([context.userId]);
  const lookups = new Map<string, { object: OrgObject; field: OrgField; values: Set<string> }>();
  const wantValue = (object: OrgObject, field: OrgField, value: FieldValue) => {
    if (value === null || !(field.unique || field.externalId) || field.type === 'id') return;
    const key = `${object.name}\u0000${field.name}`;
    let entry = lookups.get(key);
    if (entry === undefined) lookups.set(key, (entry = { object, field, values: new Set() }));
    entry.values.add(String(value).toLowerCase());
  };
  let creates = 0;
  for (const item of prepared) {
    if ('status' in item) continue;
    if (item.id !== undefined) ids.add(item.id);
    if (item.write.op === 'create' || item.write.op === 'upsert') creates++;
    if (item.matchField !== undefined) wantValue(item.object, item.matchField, item.matchValue!);
    for (const [field, value] of item.fields) {
      if (field.type === 'reference' && typeof value === 'string') ids.add(value);
      wantValue(item.object, field, value);
    }
  }
  const load = async (query: ReturnType<typeof sql>) => {
    for (const row of await executeRows<{ id: string; object_name: string; fields: RecordFields | string; is_deleted: boolean; deleted_date: string | null; modstamp: string }>(tx, query)) {
      if (records.has(row.id)) continue;
      const object = objects.get(row.object_name);
      if (object === undefined) continue;
      const fields = typeof row.fields === 'string' ? (JSON.parse(row.fields) as RecordFields) : row.fields;
      records.set(row.id, { id: row.id, object, fields, isDeleted: row.is_deleted, deletedDate: row.deleted_date, modstamp: Date.parse(row.modstamp), touched: -1 });
    }
  };
  const table = sql.raw(qualified(schema, 'record'));
  const columns = sql.raw(`id, object_name, fields, is_deleted, deleted_date, to_json(system_modstamp) #>> '{}' as modstamp`);
  if (ids.size > 0) {
    await load(sql`select ${columns} from ${table} where id in (select jsonb_array_elements_text(${JSON.stringify([...ids])}::jsonb))`);
  }
  for (const { object, field, values } of lookups.values()) {
    const expression = sql.raw(fieldValueExpression(field.name));
    const found = sql`select ${columns}, ${expression} as matched from ${table}
      where object_name = ${sql.raw(literal(object.name))} and not is_deleted
        and ${expression} in (select jsonb_array_elements_text(${JSON.stringify([...values])}::jsonb))`;
    await load(found);
  }
  for (const record of records.values()) if (!record.isDeleted) indexValues(record, holders, true);

  const numbers = creates === 0 ? [] : await executeRows<{ n: string }>(
    tx,
    sql`select nextval(${qualified(schema, 'record_number')}::regclass)::text as n from generate_series(1, ${creates})`,
  );
  let nextNumber = 0;
  const now = Date.now();
  let order = 0;
  // Most records of a call share one stamp: format it once.
  let stampAt = Number.NaN;
  let stampText = '';
  const stampOf = (ms: number) => {
    if (ms !== stampAt) [stampAt, stampText] = [ms, salesforceDateTime(new Date(ms))];
    return stampText;
  };
  const touch = (record: WorkingRecord) => {
    // Every change moves the stamp forward, even within a millisecond, so pollers see it.
    record.modstamp = Math.max(now, record.modstamp + 1);
    record.touched = order++;
    const stamp = stampOf(record.modstamp);
    const set = (name: string, value: FieldValue) => {
      const field = record.object.field(name);
      if (field !== undefined) record.fields[field.name] = value;
    };
    set('LastModifiedDate', stamp);
    set('LastModifiedById', context.userId);
    set('SystemModstamp', stamp);
  };

  const outcomes: WriteOutcome[] = [];
  for (const item of prepared) {
    if ('status' in item) {
      outcomes.push({ ok: false, refusal: item });
      continue;
    }
    const failure = context.takeFailure();
    if (failure !== undefined) {
      outcomes.push({ ok: false, refusal: failure });
      continue;
    }
    outcomes.push(runOne(item));
  }

  const dirty = [...records.values()].filter((record) => record.touched >= 0).sort((a, b) => a.touched - b.touched);
  if (dirty.length > 0) {
    const rows = dirty.map((record) => ({
      id: record.id,
      object_name: record.object.name,
      fields: record.fields,
      system_modstamp: new Date(record.modstamp).toISOString(),
      is_deleted: record.isDeleted,
      deleted_date: record.deletedDate,
      ord: record.touched,
    }));
    await tx.execute(sql`insert into ${table} (id, object_name, fields, system_modstamp, is_deleted, deleted_date, change_number, changed_by_connect)
      select r.id, r.object_name, r.fields, r.system_modstamp, r.is_deleted, r.deleted_date, nextval(${qualified(schema, 'change_number')}::regclass), ${context.byConnect === true}
      from (select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
              as r(id varchar, object_name varchar, fields jsonb, system_modstamp timestamptz, is_deleted boolean, deleted_date timestamptz, ord integer)
            order by ord) r
      on conflict (id) do update set fields = excluded.fields, system_modstamp = excluded.system_modstamp,
        is_deleted = excluded.is_deleted, deleted_date = excluded.deleted_date, change_number = excluded.change_number,
        changed_by_connect = excluded.changed_by_connect`);
  }
  return outcomes;

  function runOne(item: Prepared): WriteOutcome {
    const { write, object } = item;
    if (write.op === 'create') return create(object, item.fields, item.id);
    if (write.op === 'delete') return remove(object, item.id!);
    if (write.op === 'update') return update(object, item.id!, item.fields);
    // Upsert: update the one record holding the value, or create one with it.
    const field = item.matchField!;
    if (field.type === 'id') return update(object, item.id!, item.fields);
    const holding = [...(holders.get(uniqueKey(object.name, field.name, String(item.matchValue))) ?? [])];
    if (holding.length > 1) return { ok: false, refusal: refuse.multipleMatches(field.name, String(item.matchValue)) };
    if (holding.length === 1) return update(object, holding[0]!, item.fields);
    return create(object, new Map([...item.fields, [field, item.matchValue!]]));
  }

  function create(object: OrgObject, given: ReadonlyMap<OrgField, FieldValue>, fixedId?: string): WriteOutcome {
    if (fixedId !== undefined && records.has(fixedId)) return { ok: false, refusal: refuse.duplicateValue('Id', fixedId) };
    const values = new Map<OrgField, FieldValue>();
    for (const field of object.fields) {
      const value = given.get(field) ?? null;
      // A null on create is no value: Salesforce fills in what it defaults (OwnerId, checkboxes).
      if (value !== null || (given.has(field) && !field.defaultedOnCreate)) values.set(field, value);
      else if (field.createable && field.defaultedOnCreate) values.set(field, field.name === 'OwnerId' ? context.userId : field.defaultValue);
    }
    const missing = object.fields
      .filter((field) => !field.nillable && field.createable && !field.defaultedOnCreate && (values.get(field) ?? null) === null)
      .map((field) => field.name);
    if (missing.length > 0) return { ok: false, refusal: refuse.requiredFieldMissing(missing) };
    const refusal = checkValues(object, values, undefined);
    if (refusal !== undefined) return { ok: false, refusal };
    const id = fixedId ?? recordId(object.keyPrefix, BigInt(numbers[nextNumber++]!.n));
    const fields: RecordFields = {};
    for (const field of object.fields) fields[field.name] = values.get(field) ?? (field.type === 'boolean' ? false : null);
    const stamp = stampOf(now);
    const system: RecordFields = { Id: id, IsDeleted: false, CreatedDate: stamp, CreatedById: context.userId };
    for (const [name, value] of Object.entries(system)) if (object.field(name) !== undefined) fields[name] = value;
    const record: WorkingRecord = { id, object, fields, isDeleted: false, deletedDate: null, modstamp: now - 1, touched: -1 };
    computeName(record);
    touch(record);
    records.set(id, record);
    indexValues(record, holders, true);
    return { ok: true, id, created: true, record: { ...fields } };
  }

  function existing(object: OrgObject, id: string): WorkingRecord | WriteRefusal {
    const record = records.get(id);
    if (record === undefined || record.object !== object) return refuse.notFound();
    if (record.isDeleted) return refuse.entityIsDeleted();
    return record;
  }

  function update(object: OrgObject, id: string, changes: ReadonlyMap<OrgField, FieldValue>): WriteOutcome {
    const record = existing(object, id);
    if ('status' in record) return { ok: false, refusal: record };
    const cleared = [...changes].filter(([field, value]) => value === null && !field.nillable).map(([field]) => field.name);
    if (cleared.length > 0) return { ok: false, refusal: refuse.requiredFieldMissing(cleared) };
    const refusal = checkValues(object, changes, record.id);
    if (refusal !== undefined) return { ok: false, refusal };
    indexValues(record, holders, false);
    for (const [field, value] of changes) record.fields[field.name] = value;
    computeName(record);
    touch(record);
    indexValues(record, holders, true);
    return { ok: true, id: record.id, created: false, record: { ...record.fields } };
  }

  function remove(object: OrgObject, id: string): WriteOutcome {
    const record = existing(object, id);
    if ('status' in record) return { ok: false, refusal: record };
    indexValues(record, holders, false);
    record.isDeleted = true;
    record.deletedDate = new Date(now).toISOString();
    if (object.field('IsDeleted') !== undefined) record.fields['IsDeleted'] = true;
    touch(record);
    return { ok: true, id: record.id, created: false, record: { ...record.fields } };
  }

  /** Lengths, restricted picklists, lookup targets, unique values. */
  function checkValues(object: OrgObject, values: ReadonlyMap<OrgField, FieldValue>, self: string | undefined): WriteRefusal | undefined {
    for (const [field, value] of values) {
      if (value === null || value === false) {
        if (field.type === 'picklist' && field.restrictedPicklist && value === null && !field.nillable) return refuse.restrictedPicklist(field.name, null);
        continue;
      }
      if (typeof value === 'string' && field.length > 0 && value.length > field.length) return refuse.stringTooLong(field.name, value, field.length);
      if (field.restrictedPicklist && field.picklistValues.length > 0 && typeof value === 'string') {
        const parts = field.type === 'multipicklist' ? value.split(';') : [value];
        const bad = parts.find((part) => !field.picklistValues.includes(part));
        if (bad !== undefined) return refuse.restrictedPicklist(field.name, bad);
      }
      if (field.type === 'reference' && typeof value === 'string') {
        const target = records.get(value);
        const targetObject = target?.object ?? objectOfId(objects, value);
        const known = field.referenceTo.length === 0 || field.referenceTo.some((name) => objects.has(name));
        if (targetObject !== undefined && field.referenceTo.length > 0 && !field.referenceTo.includes(targetObject.name)) {
          return refuse.wrongReferenceType(field.name, value);
        }
        if (known && targetObject !== undefined && (target === undefined || target.isDeleted)) return refuse.invalidCrossReference(field.name, value);
      }
      if (field.unique) {
        const holding = [...(holders.get(uniqueKey(object.name, field.name, String(value))) ?? [])].find((id) => id !== self);
        if (holding !== undefined) return refuse.duplicateValue(field.name, holding);
      }
    }
    return undefined;
  }
}

/** A Contact's, Lead's or User's Name is its first and last name. */
function computeName(record: WorkingRecord): void {
  const name = record.object.field('Name');
  if (name === undefined || !name.calculated) return;
  const parts = [record.fields['FirstName'], record.fields['LastName']].filter((part) => typeof part === 'string' && part !== '');
  record.fields[name.name] = parts.length === 0 ? null : parts.join(' ');
}

/** Add (or remove) the record's unique and External ID values to the holders. */
function indexValues(record: WorkingRecord, holders: Map<string, Set<string>>, add: boolean): void {
  for (const field of record.object.fields) {
    if (!(field.unique || field.externalId) || field.type === 'id') continue;
    const value = record.fields[field.name];
    if (value === null || value === undefined) continue;
    const key = uniqueKey(record.object.name, field.name, String(value));
    let set = holders.get(key);
    if (add) {
      if (set === undefined) holders.set(key, (set = new Set()));
      set.add(record.id);
    } else {
      set?.delete(record.id);
    }
  }
}

/** Take the org's write lock for the rest of `tx`: org writes run one transaction at a time. */
export async function lockOrg(tx: AnyPgDatabase, schema: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`hc-drizzle emulator ${schema}`}))`);
}
