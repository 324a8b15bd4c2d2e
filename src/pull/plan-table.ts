/**
 * What `pull` writes for one mapped object: the builder of each field, picked
 * from the column Heroku Connect created (type, length), the field's name and
 * the mapping (upsert field, indexes), and the hcTable options that differ
 * from the defaults. Field kinds come from `SF_FIELD_KINDS`.
 */
import { fieldKind, type SfFieldKind } from '../columns/kinds.ts';
import { formatColumnType } from '../columns/sql-type.ts';
import type { MappingExportEntry } from '../mapping/mapping-export.ts';
import { READ_WRITE } from '../metadata.ts';
import {
  DEFAULT_MAX_DAILY_API_CALLS,
  DEFAULT_POLLING_SECONDS,
  OBJECTS_WITHOUT_IS_DELETED,
  SYSTEM_MODSTAMP,
} from '../table/hc-table.ts';
import type { IntrospectedColumn, IntrospectedTable } from './introspect.ts';
import { byName } from './names.ts';

/** An option of a builder or of hcTable, as TypeScript source. */
export type PlannedOption = readonly [name: string, code: string];

/** One field of a pulled table. */
export interface PlannedField {
  readonly sfName: string;
  readonly kind: SfFieldKind;
  readonly options: readonly PlannedOption[];
  /** Chain `.unique()`: a unique index the builder does not make itself. */
  readonly unique: boolean;
}

/** One pulled table: the hcTable call, before its names are given. */
export interface PlannedTable {
  readonly objectName: string;
  /** hcTable's options that differ from the defaults (without `schema`). */
  readonly options: readonly PlannedOption[];
  readonly fields: readonly PlannedField[];
  /** The field of the modstamp system column: SystemModstamp, or its stand-in. */
  readonly modstampField: string;
}

/** Heroku Connect's own columns on every table, mapping no field (heroku-connect.md §2.2). */
export const UNMAPPED_COLUMNS: ReadonlySet<string> = new Set(['id', '_hc_lastop', '_hc_err']);
/** Fields that replace SystemModstamp on objects without one, in the order pull looks for them (heroku-connect.md §2.5). */
const MODSTAMP_STAND_INS = ['LastModifiedDate', 'CreatedDate'];

/** A TypeScript string literal, single-quoted. */
export function stringLiteral(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

/**
 * Plan the hcTable of one mapping. `table` is its database table, if there
 * is one; what pull had to guess is pushed to `warnings`.
 */
export function planTable(
  entry: MappingExportEntry,
  table: IntrospectedTable | undefined,
  place: string,
  warnings: string[],
): PlannedTable {
  const { object_name: objectName, config } = entry;
  const fieldNames = Object.keys(config.fields);
  const byLowerName = new Map(fieldNames.map((name) => [name.toLowerCase(), name]));
  const columns = new Map((table?.columns ?? []).map((column) => [column.name, column]));
  const indexes = indexesOf(entry, table);
  const modstampField = modstampFieldOf(fieldNames, indexes);
  if (modstampField === SYSTEM_MODSTAMP && !byLowerName.has('systemmodstamp')) {
    warnings.push(`The mapping of ${objectName} has no SystemModstamp, LastModifiedDate or CreatedDate: hcTable adds SystemModstamp.`);
  }
  const hasIsDeleted = byLowerName.has('isdeleted');
  const system = new Set(['id', 'isdeleted', modstampField.toLowerCase()]);

  const options: PlannedOption[] = [];
  if (config.access === READ_WRITE) options.push(['access', 'READ_WRITE']);
  if (config.sf_notify_enabled === true) options.push(['notifyEnabled', 'true']);
  const polling = config.sf_polling_seconds ?? DEFAULT_POLLING_SECONDS;
  if (polling !== DEFAULT_POLLING_SECONDS) options.push(['pollingSeconds', String(polling)]);
  const apiCalls = config.sf_max_daily_api_calls ?? DEFAULT_MAX_DAILY_API_CALLS;
  if (apiCalls !== DEFAULT_MAX_DAILY_API_CALLS) options.push(['maxDailyApiCalls', String(apiCalls)]);
  if (modstampField !== SYSTEM_MODSTAMP) options.push(['modstampField', stringLiteral(modstampField)]);
  const isDeletedByDefault = !(OBJECTS_WITHOUT_IS_DELETED as readonly string[]).includes(objectName);
  if (hasIsDeleted !== isDeletedByDefault) options.push(['isDeleted', String(hasIsDeleted)]);

  if (table === undefined) {
    warnings.push(`${objectName} has no table ${place}: the types of its fields are guessed from their names; check them.`);
  }
  const upsertField = config.upsert_field ?? undefined;
  const fields = fieldNames
    .filter((name) => !system.has(name.toLowerCase()))
    .sort(byName((name) => name))
    .map((sfName) => {
      const column = columns.get(sfName.toLowerCase());
      if (column === undefined && table !== undefined) {
        warnings.push(`${objectName}.${sfName} has no column in ${place}: its type is guessed from its name; check it.`);
      }
      return planField(objectName, sfName, column, sfName === upsertField, indexes.get(sfName.toLowerCase()), warnings);
    });
  for (const column of table?.columns ?? []) {
    // Heroku Connect writes Id to `sfid`, every other field to its lower-cased name (heroku-connect.md §1).
    const field = column.name === 'sfid' ? 'id' : column.name;
    if (!UNMAPPED_COLUMNS.has(column.name) && !byLowerName.has(field)) {
      warnings.push(`Column "${column.name}" of ${place} maps no field of ${objectName}: left out (hc-drizzle diff reports it).`);
    }
  }
  return { objectName, options, fields, modstampField };
}

/**
 * The field indexes of a mapping, by lower-case field name. An export from
 * before 2017 lists none (mitsuruog/heroku-connect-configuration-comb
 * fixtures/input.json): then the single-column indexes of the table stand in.
 */
function indexesOf(entry: MappingExportEntry, table: IntrospectedTable | undefined): Map<string, boolean> {
  const found = new Map<string, boolean>();
  if (entry.config.indexes !== undefined) {
    for (const [field, { unique }] of Object.entries(entry.config.indexes)) found.set(field.toLowerCase(), unique);
    return found;
  }
  for (const index of table?.indexes ?? []) {
    const [column, ...others] = index.columns;
    if (column === undefined || others.length > 0 || index.partial || index.primary) continue;
    const field = column === 'sfid' ? 'id' : column;
    found.set(field, (found.get(field) ?? false) || index.unique);
  }
  return found;
}

/** SystemModstamp when mapped, else the stand-in Heroku Connect indexes in its place (heroku-connect.md §2.5). */
function modstampFieldOf(fieldNames: readonly string[], indexes: ReadonlyMap<string, boolean>): string {
  const lower = new Map(fieldNames.map((name) => [name.toLowerCase(), name]));
  if (lower.has('systemmodstamp')) return SYSTEM_MODSTAMP;
  const present = MODSTAMP_STAND_INS.filter((name) => lower.has(name.toLowerCase()));
  const indexed = present.find((name) => indexes.get(name.toLowerCase()) === false);
  const chosen = indexed ?? present[0];
  return chosen === undefined ? SYSTEM_MODSTAMP : lower.get(chosen.toLowerCase())!;
}

/** `index` is the field's index in the mapping: whether it is unique, or undefined when there is none. */
function planField(
  objectName: string,
  sfName: string,
  column: IntrospectedColumn | undefined,
  upsert: boolean,
  index: boolean | undefined,
  warnings: string[],
): PlannedField {
  const { kind, length } = column === undefined ? kindFromName(sfName) : kindOfColumn(objectName, sfName, column, upsert, warnings);
  const info = fieldKind(kind) as { defaultLength?: number; takesLength: boolean };
  const options: PlannedOption[] = [];
  if (info.takesLength && length !== undefined && length !== info.defaultLength) options.push(['length', String(length)]);
  if (upsert && kind !== 'external-id') options.push(['upsert', 'true']);
  const indexedByDefault = kind === 'lookup' || kind === 'master-detail';
  // The upsert field is indexed (unique) by being one; other indexes are the `index` option or a unique column.
  if (!upsert && index === false && !indexedByDefault) options.push(['index', 'true']);
  if (!upsert && index === undefined && indexedByDefault) options.push(['index', 'false']);
  return { sfName, kind, options, unique: !upsert && index === true };
}

/** The kind of a field from its column: Heroku Connect's column types (heroku-connect.md §1), then the name. */
function kindOfColumn(
  objectName: string,
  sfName: string,
  column: IntrospectedColumn,
  upsert: boolean,
  warnings: string[],
): { kind: SfFieldKind; length?: number } {
  const { type, length } = column;
  switch (type) {
    case 'character varying':
      if (length === undefined) break;
      return { kind: varcharKind(sfName, length, upsert), length };
    case 'text':
      return { kind: 'textarea-long' };
    case 'boolean':
      return { kind: 'checkbox' };
    case 'double precision':
      return { kind: 'number' };
    case 'integer':
      return { kind: 'integer' };
    case 'date':
      return { kind: 'date' };
    case 'timestamp without time zone':
      return { kind: 'datetime' };
    case 'time without time zone':
      return { kind: 'time' };
  }
  const nearest = nearestKind(type);
  warnings.push(
    `${objectName}.${sfName} is ${formatColumnType(column)}, a type Heroku Connect does not create: pulled as ${fieldKind(nearest).builder} (hc-drizzle diff reports the difference).`,
  );
  return column.length === undefined ? { kind: nearest } : { kind: nearest, length: column.length };
}

/** Which varchar-backed kind a `varchar(length)` column of this field is. */
function varcharKind(sfName: string, length: number, upsert: boolean): SfFieldKind {
  if (upsert && length === fieldKind('external-id').defaultLength) return 'external-id';
  // Lookups: standard ones end in Id (AccountId, OwnerId), custom ones in __c (heroku-connect.md §1 `reference`).
  if (!upsert && length === fieldKind('lookup').defaultLength && /(?:Id|__c)$/.test(sfName)) return 'lookup';
  if (length === fieldKind('multipicklist').defaultLength) return 'multipicklist';
  if (length === fieldKind('email').defaultLength && /email/i.test(sfName)) return 'email';
  if (length === fieldKind('phone').defaultLength && /(?:phone|fax)(?:__c)?$/i.test(sfName)) return 'phone';
  if (/(?:url|website)(?:__c)?$/i.test(sfName)) return 'url';
  return 'text';
}

/** The closest kind for a column type Heroku Connect does not create. */
function nearestKind(type: string): SfFieldKind {
  if (/^(?:numeric|real|bigint|smallint)/.test(type)) return 'number';
  if (type.startsWith('timestamp')) return 'datetime';
  if (type.startsWith('time')) return 'time';
  if (type === 'character' || type === 'character varying') return 'text';
  return 'any-type';
}

/** A guess for a field without a column: checkboxes are `Is...`/`Has...`, timestamps `...Date`, lookups `...Id`. */
function kindFromName(sfName: string): { kind: SfFieldKind; length?: number } {
  if (/^(?:Is|Has)[A-Z]/.test(sfName)) return { kind: 'checkbox' };
  if (/(?:Date|Modstamp)$/.test(sfName)) return { kind: 'datetime' };
  if (/Id$/.test(sfName)) return { kind: 'lookup' };
  return { kind: 'text' };
}
