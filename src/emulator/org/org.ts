/**
 * The emulated Salesforce org: its objects (from the hcTables and the
 * fixtures), its records (in the org store, beside the Heroku Connect
 * schema), and what a Salesforce user or API client can do with them.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type AnyPgDatabase } from '../../compat.ts';
import { literal, qualified } from '../../dev/sql-text.ts';
import { InputError } from '../../errors.ts';
import type { HcTableLike } from '../../metadata.ts';
import { canonicalId, recordId } from '../ids.ts';
import { refuse, SalesforceApiError, type WriteRefusal } from './errors.ts';
import { OrgFaults } from './faults.ts';
import type { OrgFixtures } from './fixtures.ts';
import { orgObjectsOf, type OrgObject } from './objects.ts';
import { parseSoql, runSoql } from './soql.ts';
import { orgIndexesDdl, orgStoreDdl } from './store-ddl.ts';
import { salesforceDateTime, type RecordFields } from './values.ts';
import { applyWrites, lockOrg, type OrgWrite, type WriteContext, type WriteOutcome } from './writes.ts';

export type { RecordFields, FieldValue } from './values.ts';

/** The schema the org store lives in unless told otherwise. */
export const DEFAULT_ORG_SCHEMA = 'hc_emulator';

/** Options of {@link openOrg}. */
export interface OrgOptions {
  readonly tables: readonly HcTableLike[];
  readonly fixtures?: OrgFixtures;
  /** The org store's schema (default `hc_emulator`). */
  readonly schema?: string;
}

/** What `updated` answers: Salesforce's getUpdated result. */
export interface UpdatedResult {
  readonly ids: string[];
  readonly latestDateCovered: string;
}

/** What `deleted` answers: Salesforce's getDeleted result. */
export interface DeletedResult {
  readonly deletedRecords: { readonly id: string; readonly deletedDate: string }[];
  readonly earliestDateAvailable: string;
  readonly latestDateCovered: string;
}

/** Objects whose records changed, and how: what accelerated polling hears of. */
export type OrgChangeListener = (objects: ReadonlySet<string>) => void;

/**
 * The org, as `emulator.org`: create, update, upsert, delete and read
 * records as a Salesforce user would, run SOQL, and program faults. Every
 * method throws {@link SalesforceApiError} with Salesforce's error codes when
 * Salesforce would refuse.
 */
export class Org {
  readonly db: AnyPgDatabase;
  /** The org store's schema. */
  readonly schema: string;
  readonly objects: ReadonlyMap<string, OrgObject>;
  readonly organizationId: string;
  /** The user every API client and Heroku Connect act as. */
  readonly userId: string;
  /** When the org was created (deletes are reported from then on). */
  readonly createdAt: Date;
  /** Failing writes, slowness, unavailability. */
  readonly faults = new OrgFaults();
  readonly #listeners = new Set<OrgChangeListener>();

  /** @internal Use {@link openOrg}. */
  constructor(db: AnyPgDatabase, schema: string, objects: ReadonlyMap<string, OrgObject>, identity: { organizationId: string; userId: string; createdAt: Date }) {
    this.db = db;
    this.schema = schema;
    this.objects = objects;
    this.organizationId = identity.organizationId;
    this.userId = identity.userId;
    this.createdAt = identity.createdAt;
  }

  /** An object by name, case-insensitively. */
  object(name: string): OrgObject | undefined {
    return this.objects.get(name) ?? [...this.objects.values()].find((object) => object.name.toLowerCase() === name.toLowerCase());
  }

  /** Hear of record changes made through the org (not Heroku Connect's own writes). */
  onChange(listener: OrgChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The context writes run in. */
  writeContext(): WriteContext {
    return { schema: this.schema, objects: this.objects, userId: this.userId, takeFailure: () => this.faults.takeFailure() };
  }

  /** Run `work` in a transaction holding the org's write lock. */
  transaction<T>(work: (tx: AnyPgDatabase) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await lockOrg(tx as unknown as AnyPgDatabase, this.schema);
      return work(tx as unknown as AnyPgDatabase);
    });
  }

  /**
   * Run writes as one API call would, telling listeners what changed. With
   * `allOrNone` (sObject Collections), one refused write rolls the others
   * back: they come back refused with `ALL_OR_NONE_OPERATION_ROLLED_BACK`.
   */
  async write(writes: readonly OrgWrite[], options: { readonly allOrNone?: boolean } = {}): Promise<WriteOutcome[]> {
    let outcomes: WriteOutcome[];
    try {
      outcomes = await this.transaction(async (tx) => {
        const applied = await applyWrites(tx, this.writeContext(), writes);
        if (options.allOrNone === true && applied.some((outcome) => !outcome.ok)) throw new RolledBack(applied);
        return applied;
      });
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
      return error.outcomes.map((outcome) => (outcome.ok ? { ok: false, refusal: refuse.rolledBack() } : outcome));
    }
    const changed = new Set(writes.filter((_, i) => outcomes[i]!.ok).map((write) => this.object(write.object)!.name));
    if (changed.size > 0) for (const listener of this.#listeners) listener(changed);
    return outcomes;
  }

  async #one(write: OrgWrite): Promise<Extract<WriteOutcome, { ok: true }>> {
    const [outcome] = await this.write([write]);
    if (!outcome!.ok) throw refusalError(outcome!.refusal);
    return outcome!;
  }

  /** Create a record; resolves to its Id. */
  async create(object: string, fields: Readonly<Record<string, unknown>>): Promise<string> {
    return (await this.#one({ op: 'create', object, fields })).id;
  }

  /** Update a record's fields. */
  async update(object: string, id: string, fields: Readonly<Record<string, unknown>>): Promise<void> {
    await this.#one({ op: 'update', object, id, fields });
  }

  /** Update the record whose External ID `field` is `value`, or create it. */
  async upsert(object: string, field: string, value: string, fields: Readonly<Record<string, unknown>>): Promise<{ id: string; created: boolean }> {
    const { id, created } = await this.#one({ op: 'upsert', object, field, value, fields });
    return { id, created };
  }

  /** Delete a record (to the recycle bin: `IsDeleted` true, listed by `deleted`). */
  async delete(object: string, id: string): Promise<void> {
    await this.#one({ op: 'delete', object, id });
  }

  #objectOrThrow(name: string): OrgObject {
    const object = this.object(name);
    if (object === undefined) throw refusalError({ status: 404, errors: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }] });
    return object;
  }

  /** A record's fields (all, or `fields`). */
  async get(objectName: string, id: string, fields?: readonly string[]): Promise<RecordFields> {
    const object = this.#objectOrThrow(objectName);
    const canonical = canonicalId(id);
    const [row] =
      canonical === undefined || canonical.slice(0, 3) !== object.keyPrefix
        ? []
        : await executeRows<{ fields: RecordFields | string; is_deleted: boolean }>(
            this.db,
            sql`select fields, is_deleted from ${sql.raw(qualified(this.schema, 'record'))} where id = ${canonical} and object_name = ${object.name}`,
          );
    if (row === undefined) throw refusalError({ status: 404, errors: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }] });
    if (row.is_deleted) throw refusalError({ status: 404, errors: [{ errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] });
    return pick(object, parseFields(object, row.fields), fields);
  }

  /** The record whose External ID `field` is `value`. */
  async getByExternalId(objectName: string, fieldName: string, value: string, fields?: readonly string[]): Promise<RecordFields> {
    const object = this.#objectOrThrow(objectName);
    const field = object.field(fieldName);
    if (field === undefined || !(field.externalId || field.type === 'id')) {
      throw refusalError({ status: 404, errors: [{ errorCode: 'NOT_FOUND', message: `Provided external ID field does not exist or is not accessible: ${fieldName}`, fields: [] }] });
    }
    if (field.type === 'id') return this.get(objectName, value, fields);
    const rows = await executeRows<{ fields: RecordFields | string }>(
      this.db,
      sql`select fields from ${sql.raw(qualified(this.schema, 'record'))}
          where object_name = ${object.name} and not is_deleted and lower(fields ->> ${sql.raw(literal(field.name))}) = lower(${value})`,
    );
    if (rows.length === 0) throw refusalError({ status: 404, errors: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }] });
    if (rows.length > 1) throw refusalError({ status: 300, errors: [{ errorCode: 'MULTIPLE_CHOICES', message: `More than one record has ${field.name} = ${value}`, fields: [] }] });
    return pick(object, parseFields(object, rows[0]!.fields), fields);
  }

  /** Every record of an object (deleted ones too with `includeDeleted`), oldest first. */
  async records(objectName: string, options: { readonly includeDeleted?: boolean } = {}): Promise<RecordFields[]> {
    const object = this.#objectOrThrow(objectName);
    const rows = await executeRows<{ fields: RecordFields | string }>(
      this.db,
      sql`select fields from ${sql.raw(qualified(this.schema, 'record'))}
          where object_name = ${object.name} ${options.includeDeleted ? sql`` : sql`and not is_deleted`} order by id`,
    );
    return rows.map((row) => parseFields(object, row.fields));
  }

  /**
   * Run a SOQL query (the subset in `soql.ts`). `all` includes deleted
   * records, as `queryAll` does.
   */
  async query(soql: string, options: { readonly all?: boolean } = {}): Promise<{ totalSize: number; records: RecordFields[]; ids: string[]; object: OrgObject }> {
    const parsed = parseSoql(soql, (name) => this.object(name));
    const records = await this.records(parsed.object.name, { includeDeleted: options.all === true });
    return { ...runSoql(parsed, records), object: parsed.object };
  }

  /** Ids of records created or changed in [start, end), by SystemModstamp (getUpdated). */
  async updated(objectName: string, start: Date, end: Date): Promise<UpdatedResult> {
    const object = this.#objectOrThrow(objectName);
    const rows = await executeRows<{ id: string }>(
      this.db,
      sql`select id from ${sql.raw(qualified(this.schema, 'record'))}
          where object_name = ${object.name} and not is_deleted and system_modstamp >= ${start.toISOString()} and system_modstamp < ${end.toISOString()}
          order by system_modstamp, id`,
    );
    return { ids: rows.map((row) => row.id), latestDateCovered: salesforceDateTime(new Date(Math.min(end.getTime(), Date.now()))) };
  }

  /** Records deleted in [start, end) (getDeleted). */
  async deleted(objectName: string, start: Date, end: Date): Promise<DeletedResult> {
    const object = this.#objectOrThrow(objectName);
    const rows = await executeRows<{ id: string; deleted_date: string }>(
      this.db,
      sql`select id, to_json(deleted_date) #>> '{}' as deleted_date from ${sql.raw(qualified(this.schema, 'record'))}
          where object_name = ${object.name} and is_deleted and deleted_date >= ${start.toISOString()} and deleted_date < ${end.toISOString()}
          order by deleted_date, id`,
    );
    return {
      deletedRecords: rows.map((row) => ({ id: row.id, deletedDate: salesforceDateTime(new Date(row.deleted_date)) })),
      earliestDateAvailable: salesforceDateTime(this.createdAt),
      latestDateCovered: salesforceDateTime(new Date(Math.min(end.getTime(), Date.now()))),
    };
  }
}

/** Thrown inside an all-or-none write's transaction to roll it back. */
class RolledBack extends Error {
  readonly outcomes: readonly WriteOutcome[];
  constructor(outcomes: readonly WriteOutcome[]) {
    super('rolled back: not every record was valid');
    this.outcomes = outcomes;
  }
}

/** The error a refused write throws. */
export function refusalError(refusal: WriteRefusal): SalesforceApiError {
  return new SalesforceApiError(refusal.status, refusal.errors);
}

/** A stored record's fields in describe order (jsonb keeps its own order). */
function parseFields(object: OrgObject, stored: RecordFields | string): RecordFields {
  const fields = typeof stored === 'string' ? (JSON.parse(stored) as RecordFields) : stored;
  const ordered: RecordFields = {};
  for (const field of object.fields) if (field.name in fields) ordered[field.name] = fields[field.name]!;
  return ordered;
}

function pick(object: OrgObject, record: RecordFields, fields: readonly string[] | undefined): RecordFields {
  if (fields === undefined) return record;
  const picked: RecordFields = {};
  for (const name of fields) {
    const field = object.field(name);
    if (field === undefined) {
      throw refusalError({ status: 400, errors: [{ errorCode: 'INVALID_FIELD', message: `No such column '${name}' on entity '${object.name}'.`, fields: [] }] });
    }
    picked[field.name] = record[field.name] ?? null;
  }
  return picked;
}

/**
 * Open the org in `db`: create its store if missing, keep the key prefixes
 * it gave before, create its user, and seed the fixtures' records the first
 * time.
 *
 * @throws {InputError} when the fixtures are inconsistent or a seed record is refused.
 */
export async function openOrg(db: AnyPgDatabase, options: OrgOptions): Promise<Org> {
  const schema = options.schema ?? DEFAULT_ORG_SCHEMA;
  const q = (name: string) => sql.raw(qualified(schema, name));
  await db.transaction(async (tx) => {
    for (const statement of orgStoreDdl(schema)) await tx.execute(sql.raw(statement));
  });
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as AnyPgDatabase;
    await lockOrg(tx, schema);
    const taken = new Map(
      (await executeRows<{ object_name: string; key_prefix: string }>(tx, sql`select object_name, key_prefix from ${q('key_prefix')}`)).map((row) => [
        row.object_name,
        row.key_prefix,
      ]),
    );
    const objects = orgObjectsOf(options.tables, options.fixtures, taken);
    for (const object of objects.values()) {
      if (taken.get(object.name) === object.keyPrefix) continue;
      await tx.execute(sql`insert into ${q('key_prefix')} (object_name, key_prefix) values (${object.name}, ${object.keyPrefix})
                           on conflict (object_name) do update set key_prefix = excluded.key_prefix`);
    }
    for (const statement of orgIndexesDdl(schema, objects.values())) await tx.execute(sql.raw(statement));

    let [identity] = await executeRows<{ organization_id: string; user_id: string; seeded: boolean; created_at: string }>(
      tx,
      sql`select organization_id, user_id, seeded, to_json(created_at) #>> '{}' as created_at from ${q('org')}`,
    );
    if (identity === undefined) {
      const numbers = await executeRows<{ n: string }>(tx, sql`select nextval(${qualified(schema, 'record_number')}::regclass)::text as n from generate_series(1, 2)`);
      const organizationId = options.fixtures?.organizationId === undefined ? recordId('00D', BigInt(numbers[0]!.n)) : canonicalId(options.fixtures.organizationId)!;
      const userId = recordId(objects.get('User')!.keyPrefix, BigInt(numbers[1]!.n));
      [identity] = await executeRows(
        tx,
        sql`insert into ${q('org')} (organization_id, user_id) values (${organizationId}, ${userId})
            returning organization_id, user_id, seeded, to_json(created_at) #>> '{}' as created_at`,
      );
      const org = new Org(db, schema, objects, { organizationId, userId, createdAt: new Date(identity!.created_at) });
      // The org's own user: Heroku Connect and every API client act as it.
      const [made] = await applyWrites(tx, org.writeContext(), [
        {
          op: 'create',
          object: 'User',
          id: userId,
          fields: { Username: 'integration@hc-drizzle.emulator', FirstName: 'Heroku', LastName: 'Connect', Email: 'integration@hc-drizzle.emulator', IsActive: true },
        },
      ]);
      if (!made!.ok) throw new InputError(`The org's user could not be created: ${made!.refusal.errors[0]?.message}.`);
    }
    const org = new Org(db, schema, objects, { organizationId: identity!.organization_id, userId: identity!.user_id, createdAt: new Date(identity!.created_at) });
    if (!identity!.seeded) {
      const seeds: OrgWrite[] = [];
      for (const [objectName, fixture] of Object.entries(options.fixtures?.objects ?? {})) {
        for (const record of fixture.records ?? []) {
          const { Id: id, ...fields } = record;
          seeds.push({ op: 'create', object: objectName, fields, ...(typeof id === 'string' ? { id } : {}) });
        }
      }
      const outcomes = await applyWrites(tx, { ...org.writeContext(), takeFailure: () => undefined }, seeds);
      outcomes.forEach((outcome, i) => {
        if (!outcome.ok) {
          const error = outcome.refusal.errors[0];
          throw new InputError(`The org fixtures' record ${i + 1} of ${seeds[i]!.object} was refused: ${error?.errorCode}: ${error?.message}.`);
        }
      });
      await tx.execute(sql`update ${q('org')} set seeded = true`);
    }
    return org;
  });
}
