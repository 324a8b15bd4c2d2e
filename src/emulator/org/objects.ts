/**
 * What the emulated org knows about each object, the way Salesforce's
 * describe call reports it: the fields come from the hcTables (type, length,
 * picklist values, External ID, lookup target, from the field kinds table),
 * Salesforce's own system and standard fields, and the `--org` fixtures.
 */
import type { PgColumn } from '../../compat.ts';
import { fieldKind, type SfDescribeType } from '../../columns/kinds.ts';
import { InputError } from '../../errors.ts';
import { sfColumnsOf, sfObjectOf, type HcTableLike, type SfFieldMeta } from '../../metadata.ts';
import { OBJECTS_WITHOUT_IS_DELETED, SYSTEM_MODSTAMP } from '../../table/hc-table.ts';
import { assignKeyPrefixes } from '../ids.ts';
import type { FieldFixture, ObjectFixture, OrgFixtures } from './fixtures.ts';

/** One field of an org object, as describe reports it, and where it is mapped. */
export interface OrgField {
  readonly name: string;
  readonly label: string;
  readonly type: SfDescribeType;
  /** Characters for text types, else 0. */
  readonly length: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  /** Salesforce fills it in on create when none is given (booleans, OwnerId, defaults). */
  readonly defaultedOnCreate: boolean;
  readonly defaultValue: string | number | boolean | null;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly picklistValues: readonly string[];
  readonly restrictedPicklist: boolean;
  readonly referenceTo: readonly string[];
  readonly custom: boolean;
  /** Computed by Salesforce (Name of a Contact), never written. */
  readonly calculated: boolean;
  /** The hcTable column holding it, when mapped. */
  readonly column?: PgColumn;
}

/** One object of the org. */
export interface OrgObject {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly custom: boolean;
  readonly fields: readonly OrgField[];
  /** The hcTable mapping it, if any. */
  readonly table?: HcTableLike;
  /** The field Heroku Connect polls on: SystemModstamp, or what stands in for it. */
  readonly modstampField: string;
  /** A field by name, case-insensitively (Salesforce field names are). */
  field(name: string): OrgField | undefined;
}

type FieldSpec = Partial<Omit<OrgField, 'name'>> & { readonly type: SfDescribeType };

/** Salesforce's system fields, on every object (IsDeleted and SystemModstamp where the object has them). */
function systemFields(hasIsDeleted: boolean, modstampField: string): Record<string, FieldSpec> {
  const audit = { createable: false, updateable: false, nillable: false, defaultedOnCreate: true };
  return {
    Id: { type: 'id', length: 18, ...audit, label: 'Record ID' },
    ...(hasIsDeleted ? { IsDeleted: { type: 'boolean', ...audit, label: 'Deleted' } } : {}),
    CreatedDate: { type: 'datetime', ...audit, label: 'Created Date' },
    CreatedById: { type: 'reference', length: 18, referenceTo: ['User'], ...audit, label: 'Created By ID' },
    LastModifiedDate: { type: 'datetime', ...audit, label: 'Last Modified Date' },
    LastModifiedById: { type: 'reference', length: 18, referenceTo: ['User'], ...audit, label: 'Last Modified By ID' },
    ...(modstampField === SYSTEM_MODSTAMP ? { SystemModstamp: { type: 'datetime', ...audit, label: 'System Modstamp' } } : {}),
  };
}

const owner: FieldSpec = { type: 'reference', length: 18, referenceTo: ['User'], nillable: false, defaultedOnCreate: true, label: 'Owner ID' };
const requiredText = (length: number, label: string): FieldSpec => ({ type: 'string', length, nillable: false, label });
const fullName: FieldSpec = { type: 'string', length: 121, calculated: true, createable: false, updateable: false, label: 'Full Name' };

/** The standard fields the emulator knows of the common standard objects, besides the system ones. */
const STANDARD_FIELDS: Readonly<Record<string, Record<string, FieldSpec>>> = {
  Account: { Name: requiredText(255, 'Account Name'), OwnerId: owner },
  Contact: { FirstName: { type: 'string', length: 40, label: 'First Name' }, LastName: requiredText(80, 'Last Name'), Name: fullName, OwnerId: owner },
  Lead: {
    FirstName: { type: 'string', length: 40, label: 'First Name' },
    LastName: requiredText(80, 'Last Name'),
    Name: fullName,
    Company: requiredText(255, 'Company'),
    OwnerId: owner,
  },
  Opportunity: {
    Name: requiredText(120, 'Name'),
    StageName: { type: 'picklist', length: 255, nillable: false, label: 'Stage' },
    CloseDate: { type: 'date', nillable: false, label: 'Close Date' },
    OwnerId: owner,
  },
  User: {
    Username: requiredText(80, 'Username'),
    FirstName: { type: 'string', length: 40, label: 'First Name' },
    LastName: requiredText(80, 'Last Name'),
    Name: fullName,
    Email: { type: 'email', length: 80, nillable: false, label: 'Email' },
    IsActive: { type: 'boolean', label: 'Active' },
  },
};

const TEXT_TYPES = new Set<SfDescribeType>(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'encryptedstring', 'id', 'reference', 'anyType']);

function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** The field spec an hcTable column gives. */
function specOfColumn(field: SfFieldMeta, column: PgColumn): FieldSpec {
  const kind = fieldKind(field.kind);
  const isIdField = field.kind === 'id' && field.sfName === 'Id';
  // An sfId column other than the record's Id is a Text(18) holding some Id.
  const type: SfDescribeType = field.kind === 'id' && !isIdField ? 'string' : kind.describeType;
  const length = type === 'textarea' && field.kind === 'textarea-long' ? 32768 : (field.length ?? ('defaultLength' in kind ? kind.defaultLength : 0));
  const externalId = field.kind === 'external-id' || field.upsert;
  const references = field.references?.();
  const parent = references === undefined ? undefined : sfObjectOf(references)?.objectName;
  return {
    type,
    length: TEXT_TYPES.has(type) ? length : 0,
    externalId,
    unique: field.upsert || (column.isUnique && !isIdField),
    picklistValues: field.values ?? [],
    // New custom picklists restrict their values by default; standard ones (Industry) don't.
    restrictedPicklist: (field.values?.length ?? 0) > 0 && field.sfName.endsWith('__c'),
    ...(parent === undefined ? {} : { referenceTo: [parent] }),
    column,
  };
}

function specOfFixture(fixture: FieldFixture, base: FieldSpec | undefined, where: string): FieldSpec {
  const type = fixture.type ?? base?.type;
  if (type === undefined) throw new InputError(`${where}: the field is not in the hcTable, so give its "type".`);
  return {
    ...base,
    type,
    ...(fixture.label === undefined ? {} : { label: fixture.label }),
    ...(fixture.required === undefined ? {} : { nillable: !fixture.required, defaultedOnCreate: false }),
    ...(fixture.length === undefined ? {} : { length: fixture.length }),
    ...(fixture.picklistValues === undefined ? {} : { picklistValues: fixture.picklistValues }),
    ...(fixture.restrictedPicklist === undefined ? {} : { restrictedPicklist: fixture.restrictedPicklist }),
    ...(fixture.referenceTo === undefined ? {} : { referenceTo: fixture.referenceTo }),
    ...(fixture.externalId === undefined ? {} : { externalId: fixture.externalId }),
    ...(fixture.unique === undefined ? {} : { unique: fixture.unique }),
    ...(fixture.defaultValue === undefined ? {} : { defaultValue: fixture.defaultValue, defaultedOnCreate: true }),
  };
}

function completeField(name: string, spec: FieldSpec): OrgField {
  const custom = name.endsWith('__c');
  const system = spec.createable === false && spec.updateable === false;
  return {
    name,
    label: spec.label ?? labelOf(name),
    type: spec.type,
    length: spec.length ?? (spec.type === 'string' ? 255 : 0),
    // Checkboxes are never null in Salesforce: false unless set.
    nillable: spec.type === 'boolean' ? false : (spec.nillable ?? true),
    createable: spec.createable ?? !spec.calculated,
    updateable: spec.updateable ?? !spec.calculated,
    defaultedOnCreate: spec.type === 'boolean' || system || (spec.defaultedOnCreate ?? false),
    defaultValue: spec.defaultValue ?? (spec.type === 'boolean' ? false : null),
    externalId: spec.externalId ?? false,
    unique: spec.unique ?? false,
    picklistValues: spec.picklistValues ?? [],
    restrictedPicklist: spec.restrictedPicklist ?? false,
    referenceTo: spec.referenceTo ?? [],
    custom,
    calculated: spec.calculated ?? false,
    ...(spec.column === undefined ? {} : { column: spec.column }),
  };
}

/** Salesforce's default for an object's plural label. */
function pluralOf(label: string): string {
  return /(s|x|ch|sh)$/.test(label) ? `${label}es` : /[^aeiou]y$/.test(label) ? `${label.slice(0, -1)}ies` : `${label}s`;
}

/**
 * The org's objects: one per hcTable, plus User (every org has its users) and
 * any object the fixtures describe. Key prefixes: the fixtures', the
 * standard ones, or stable generated ones (`taken` keeps those already in use).
 *
 * @throws {InputError} when a fixture field is unknown and has no type, or two objects share a key prefix.
 */
export function orgObjectsOf(tables: readonly HcTableLike[], fixtures: OrgFixtures = {}, taken: ReadonlyMap<string, string> = new Map()): Map<string, OrgObject> {
  const byName = new Map<string, { table?: HcTableLike; fixture?: ObjectFixture }>();
  for (const table of tables) byName.set(sfObjectOf(table)!.objectName, { table });
  byName.set('User', byName.get('User') ?? {});
  for (const [name, fixture] of Object.entries(fixtures.objects ?? {})) byName.set(name, { ...byName.get(name), fixture });

  const fixedPrefixes = new Map(taken);
  for (const [name, { fixture }] of byName) if (fixture?.keyPrefix !== undefined) fixedPrefixes.set(name, fixture.keyPrefix);
  const prefixes = assignKeyPrefixes([...byName.keys()], fixedPrefixes);
  const owners = new Map<string, string>();
  for (const [name, prefix] of prefixes) {
    const other = owners.get(prefix);
    if (other !== undefined && byName.has(other) && byName.has(name)) {
      throw new InputError(`The objects ${other} and ${name} have the same key prefix ${prefix}: give one another keyPrefix in the org fixtures.`);
    }
    owners.set(prefix, name);
  }

  const objects = new Map<string, OrgObject>();
  for (const [name, { table, fixture }] of byName) {
    const meta = table === undefined ? undefined : sfObjectOf(table);
    const modstampField = meta?.modstampField ?? SYSTEM_MODSTAMP;
    const hasIsDeleted = meta?.isDeleted ?? !(OBJECTS_WITHOUT_IS_DELETED as readonly string[]).includes(name);
    const specs = new Map<string, [string, FieldSpec]>();
    const put = (fieldName: string, spec: FieldSpec) => specs.set(fieldName.toLowerCase(), [specs.get(fieldName.toLowerCase())?.[0] ?? fieldName, spec]);
    for (const [fieldName, spec] of Object.entries({ ...systemFields(hasIsDeleted, modstampField), ...STANDARD_FIELDS[name] })) put(fieldName, spec);
    for (const { field, column } of table === undefined ? [] : sfColumnsOf(table)) {
      const known = specs.get(field.sfName.toLowerCase())?.[1];
      const fromColumn = specOfColumn(field, column);
      // A system or standard field keeps what Salesforce says of it; the hcTable adds its column, length and values.
      put(field.sfName, known === undefined ? fromColumn : { ...fromColumn, ...known, length: fromColumn.length || known.length || 0, column, ...(fromColumn.picklistValues?.length ? { picklistValues: fromColumn.picklistValues } : {}) });
    }
    for (const [fieldName, fieldFixture] of Object.entries(fixture?.fields ?? {})) {
      put(fieldName, specOfFixture(fieldFixture, specs.get(fieldName.toLowerCase())?.[1], `The org fixtures' field ${name}.${fieldName}`));
    }
    const fields = [...specs.values()].map(([fieldName, spec]) => completeField(fieldName, spec));
    const index = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
    const label = fixture?.label ?? labelOf(name);
    objects.set(name, {
      name,
      label,
      labelPlural: fixture?.labelPlural ?? pluralOf(label),
      keyPrefix: prefixes.get(name)!,
      custom: name.endsWith('__c'),
      fields,
      ...(table === undefined ? {} : { table }),
      modstampField,
      field: (fieldName) => index.get(fieldName.toLowerCase()),
    });
  }
  return objects;
}
