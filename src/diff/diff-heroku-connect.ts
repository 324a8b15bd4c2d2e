/**
 * `diffHerokuConnect()`: the code's hcTables against the connection's
 * mapping and the database's columns, object by object, the way `terraform
 * plan` reads: `+` the code has it and the connection lacks it, `-` the
 * connection has it and the code lacks it, `~` both have it, differently
 * (old → new: the connection's value → the code's).
 */
import { columnSqlType, getTableColumns, getTableName, tableSchemaOf, type PgColumn } from '../compat.ts';
import { formatColumnType, parseColumnType, sameColumnType } from '../columns/sql-type.ts';
import { collectHcTables } from '../mapping/collect-tables.ts';
import { mappingConfigOf } from '../mapping/get-mapping.ts';
import { parseMappingExport, type MappingExport, type MappingExportEntry } from '../mapping/mapping-export.ts';
import { sfColumnsOf, sfObjectOf, type HcTableLike } from '../metadata.ts';
import type { IntrospectedHerokuConnect, IntrospectedTable } from '../pull/introspect.ts';
import { byName } from '../pull/names.ts';
import { DEFAULT_MAX_DAILY_API_CALLS, DEFAULT_POLLING_SECONDS } from '../table/hc-table.ts';

/** `+` the code has it, the connection lacks it; `-` the reverse; `~` both, differently. */
export type DiffAction = '+' | '-' | '~';

/** What a change is about. */
export type DiffSubject =
  | 'object'
  | 'table'
  | 'access'
  | 'notifyEnabled'
  | 'pollingSeconds'
  | 'maxDailyApiCalls'
  | 'upsertField'
  | 'field'
  | 'column'
  | 'type'
  | 'index';

/** A value as one source has it (`null`: it has none). */
export type DiffValue = string | number | boolean | null;

/** One difference. Each source that has a say about it carries its value. */
export interface DiffChange {
  readonly action: DiffAction;
  readonly subject: DiffSubject;
  /** The field (its Salesforce name) or the column (its database name), when the change is about one. */
  readonly name?: string;
  readonly code?: DiffValue;
  readonly mapping?: DiffValue;
  readonly database?: DiffValue;
  /** The change in words, as the report prints it after the action. */
  readonly summary: string;
}

/** The differences of one Salesforce object. */
export interface ObjectDiff {
  readonly action: DiffAction;
  /** Its Salesforce name (as the code or else the mapping spells it; the table name when only the database has it). */
  readonly object: string;
  /** `schema.table`. */
  readonly table: string;
  /** Where it is. */
  readonly in: { readonly code: boolean; readonly mapping: boolean; readonly database: boolean };
  readonly changes: readonly DiffChange[];
}

/** What {@link diffHerokuConnect} found. */
export interface HerokuConnectDiff {
  /** The Heroku Connect schema compared. */
  readonly schema: string;
  /** True when the code, the mapping and the database agree. */
  readonly inSync: boolean;
  /** The objects that differ, by name. */
  readonly objects: readonly ObjectDiff[];
  /** How many objects were compared. */
  readonly compared: number;
  /** hcTables of the code left out because they live in another schema. */
  readonly otherSchemas: readonly string[];
}

/** Options of {@link diffHerokuConnect}. */
export interface DiffHerokuConnectOptions {
  /** The code's hcTables: an array or a module namespace, as getMapping takes them. */
  readonly tables: unknown;
  /** The connection's mapping (an export). Validated. */
  readonly mapping: MappingExport | unknown;
  /** The database's Heroku Connect schema (from introspectHerokuConnect). */
  readonly database: IntrospectedHerokuConnect;
}

type IndexState = 'unique' | 'non-unique' | 'none';

/**
 * Compare the code, the mapping and the database: objects, fields, access,
 * polling, notify, daily API calls, upsert field, indexes, column types and
 * lengths. A column without a mapped field, or a mapped field without a
 * column, is a difference too.
 *
 * @example
 * const diff = diffHerokuConnect({ tables: schema, mapping, database: await introspectHerokuConnect(db) });
 * if (!diff.inSync) console.log(formatHerokuConnectDiff(diff));
 */
export function diffHerokuConnect(options: DiffHerokuConnectOptions): HerokuConnectDiff {
  const mapping = parseMappingExport(options.mapping, 'The mapping');
  const { database } = options;
  const all = collectHcTables(options.tables);
  const tables = all.filter((table) => tableSchemaOf(table) === database.schema);
  const otherSchemas = all.filter((table) => !tables.includes(table)).map((table) => `${tableSchemaOf(table)}.${getTableName(table)}`);

  const objects = new Map<string, { code?: HcTableLike; mapping?: MappingExportEntry; database?: IntrospectedTable }>();
  const entry = (key: string) => {
    let found = objects.get(key);
    if (found === undefined) objects.set(key, (found = {}));
    return found;
  };
  for (const table of tables) entry(getTableName(table)).code = table;
  for (const mapped of mapping.mappings) entry(mapped.object_name.toLowerCase()).mapping = mapped;
  for (const table of database.tables) entry(table.name).database = table;

  const diffs: ObjectDiff[] = [];
  for (const [key, sides] of [...objects].sort(byName(([key]) => key))) {
    const found = diffObject(`${database.schema}.${key}`, key, sides);
    if (found !== undefined) diffs.push(found);
  }
  return { schema: database.schema, inSync: diffs.length === 0, objects: diffs, compared: objects.size, otherSchemas };
}

function diffObject(
  place: string,
  key: string,
  sides: { code?: HcTableLike; mapping?: MappingExportEntry; database?: IntrospectedTable },
): ObjectDiff | undefined {
  const code = sides.code;
  const mapped = sides.mapping;
  const table = sides.database;
  const object = (code === undefined ? undefined : sfObjectOf(code)?.objectName) ?? mapped?.object_name ?? key;
  const where = { code: code !== undefined, mapping: mapped !== undefined, database: table !== undefined };
  const changes: DiffChange[] = [];

  if (code === undefined || mapped === undefined) {
    // Present on one side only: the whole object is added or removed.
    const summary = code === undefined ? removedObjectSummary(where, place) : addedObjectSummary(where, place);
    changes.push({ action: code === undefined ? '-' : '+', subject: 'object', ...valuesOf(where, true), summary });
  } else {
    if (table === undefined) {
      changes.push({ action: '+', subject: 'table', code: place, mapping: place, database: null, summary: `table ${place}: mapped, but the database has none (not synced yet?)` });
    }
    changes.push(...optionChanges(code, mapped));
  }
  if (code !== undefined && mapped !== undefined) changes.push(...fieldChanges(code, mapped, table));
  else if (code !== undefined && table !== undefined) changes.push(...columnChanges(code, table));

  if (changes.length === 0) return undefined;
  const action: DiffAction = code === undefined ? '-' : mapped === undefined ? '+' : '~';
  return { action, object, table: place, in: where, changes };
}

function valuesOf(where: { code: boolean; mapping: boolean; database: boolean }, value: DiffValue) {
  return { code: where.code ? value : null, mapping: where.mapping ? value : null, database: where.database ? value : null };
}

function addedObjectSummary(where: { database: boolean }, place: string): string {
  return where.database ? `not in the mapping; the database has its table ${place}` : 'in the code only: not in the mapping, no table';
}

function removedObjectSummary(where: { mapping: boolean; database: boolean }, place: string): string {
  if (where.mapping && where.database) return `mapped, with its table ${place}, but not in the code`;
  if (where.mapping) return 'mapped but not in the code (no table yet)';
  return `the database has the table ${place}, which neither the code nor the mapping has`;
}

/** access, notify, polling, daily API calls, upsert field: the code's against the mapping's (defaults where it says nothing). */
function optionChanges(code: HcTableLike, mapped: MappingExportEntry): DiffChange[] {
  const object = sfObjectOf(code)!;
  const ours = mappingConfigOf(code);
  const { config } = mapped;
  const pairs: [DiffSubject, DiffValue, DiffValue][] = [
    ['access', object.access, config.access],
    ['notifyEnabled', object.notifyEnabled, config.sf_notify_enabled ?? false],
    ['pollingSeconds', object.pollingSeconds, config.sf_polling_seconds ?? DEFAULT_POLLING_SECONDS],
    ['maxDailyApiCalls', object.maxDailyApiCalls, config.sf_max_daily_api_calls ?? DEFAULT_MAX_DAILY_API_CALLS],
    ['upsertField', ours.upsert_field ?? null, config.upsert_field ?? null],
  ];
  return pairs
    .filter(([, codeValue, mappingValue]) => codeValue !== mappingValue)
    .map(([subject, codeValue, mappingValue]) => ({
      action: '~' as const,
      subject,
      code: codeValue,
      mapping: mappingValue,
      summary: `${subject}: ${shown(mappingValue)} → ${shown(codeValue)}`,
    }));
}

function shown(value: DiffValue): string {
  return value === null ? 'none' : String(value);
}

/** Fields (code against mapping), their columns (against the database) and indexes (all three). */
function fieldChanges(code: HcTableLike, mapped: MappingExportEntry, table: IntrospectedTable | undefined): DiffChange[] {
  const changes: DiffChange[] = [];
  const ours = mappingConfigOf(code);
  const mappedFields = new Map(Object.keys(mapped.config.fields).map((name) => [name.toLowerCase(), name]));
  const sfColumns = new Map(sfColumnsOf(code).map((sfColumn) => [sfColumn.field.sfName.toLowerCase(), sfColumn]));
  const databaseColumns = new Map((table?.columns ?? []).map((column) => [column.name, column]));
  const codeColumns = Object.values(getTableColumns(code) as Record<string, PgColumn>);
  const names = [...new Set([...sfColumns.keys(), ...mappedFields.keys()])].sort();

  for (const lower of names) {
    const sfColumn = sfColumns.get(lower);
    const mappedName = mappedFields.get(lower);
    const name = sfColumn?.field.sfName ?? mappedName!;
    const columnName = sfColumn?.column.name ?? (lower === 'id' ? 'sfid' : lower);
    const column = databaseColumns.get(columnName);
    const hasColumn = table === undefined ? undefined : column !== undefined;
    if (sfColumn === undefined || mappedName === undefined) {
      const inCode = sfColumn !== undefined;
      changes.push({
        action: inCode ? '+' : '-',
        subject: 'field',
        name,
        code: inCode ? name : null,
        mapping: inCode ? null : name,
        ...(hasColumn === undefined ? {} : { database: hasColumn ? columnName : null }),
        summary: `field ${name}: ${inCode ? 'in the code, not in the mapping' : 'mapped, not in the code'}${
          hasColumn === undefined ? '' : hasColumn ? `; the database has its column ${columnName}` : '; no column'
        }`,
      });
    } else if (sfColumn.field.sfName !== mappedName) {
      changes.push({
        action: '~',
        subject: 'field',
        name,
        code: sfColumn.field.sfName,
        mapping: mappedName,
        summary: `field name: ${mappedName} → ${sfColumn.field.sfName} (Salesforce names are case-insensitive; the mapping carries the exact case)`,
      });
    }
    if (sfColumn !== undefined && mappedName !== undefined && table !== undefined && column === undefined) {
      changes.push({ action: '+', subject: 'column', name: columnName, code: columnName, mapping: name, database: null, summary: `column ${columnName}: ${name} is mapped, but the database has no column for it` });
    }
    const index = indexChange(name, columnName, ours.indexes[name], mapped.config.indexes, mappedName, table, column !== undefined);
    if (index !== undefined) changes.push(index);
  }
  changes.push(...columnChanges(code, table, codeColumns, new Set([...mappedFields.keys()].map((lower) => (lower === 'id' ? 'sfid' : lower)))));
  return changes;
}

/**
 * Columns against the database: types and lengths of the columns both have,
 * the code's columns the database lacks (system ones too), and the database's
 * columns the code lacks, which map no field when `mappedColumns` lacks them.
 */
function columnChanges(
  code: HcTableLike,
  table: IntrospectedTable | undefined,
  codeColumns = Object.values(getTableColumns(code) as Record<string, PgColumn>),
  mappedColumns?: ReadonlySet<string>,
): DiffChange[] {
  if (table === undefined) return [];
  const changes: DiffChange[] = [];
  const databaseColumns = new Map(table.columns.map((column) => [column.name, column]));
  const sfColumnNames = new Set(sfColumnsOf(code).map(({ column }) => column.name));
  for (const column of codeColumns) {
    const found = databaseColumns.get(column.name);
    const codeType = parseColumnType(columnSqlType(column));
    if (found === undefined) {
      // Fields without a column are reported with the fields; these are the code's other columns.
      if (mappedColumns === undefined || !sfColumnNames.has(column.name)) {
        changes.push({ action: '+', subject: 'column', name: column.name, code: formatColumnType(codeType), database: null, summary: `column ${column.name}: in the code (${formatColumnType(codeType)}), not in the database` });
      }
    } else if (!sameColumnType(codeType, found)) {
      changes.push({
        action: '~',
        subject: 'type',
        name: column.name,
        code: formatColumnType(codeType),
        database: formatColumnType(found),
        summary: `column ${column.name}: ${formatColumnType(found)} → ${formatColumnType(codeType)}`,
      });
    }
  }
  const codeNames = new Set(codeColumns.map((column) => column.name));
  for (const column of table.columns) {
    if (codeNames.has(column.name)) continue;
    const mapped = mappedColumns?.has(column.name) ?? false;
    // A mapped field the code lacks is reported with the fields.
    if (mapped) continue;
    changes.push({
      action: '-',
      subject: 'column',
      name: column.name,
      code: null,
      ...(mappedColumns === undefined ? {} : { mapping: null }),
      database: formatColumnType(column),
      summary: `column ${column.name}: in the database (${formatColumnType(column)}), ${mappedColumns === undefined ? 'not in the code' : 'maps no field of the mapping nor the code'}`,
    });
  }
  return changes;
}

/** The index of one field as each source has it: the code's, the mapping's (when it lists indexes), the database's single-column ones. */
function indexChange(
  name: string,
  columnName: string,
  codeIndex: { unique: boolean } | undefined,
  mappingIndexes: Readonly<Record<string, { unique: boolean }>> | undefined,
  mappedName: string | undefined,
  table: IntrospectedTable | undefined,
  hasColumn: boolean,
): DiffChange | undefined {
  const state = (index: { unique: boolean } | undefined): IndexState => (index === undefined ? 'none' : index.unique ? 'unique' : 'non-unique');
  const sides: { code?: IndexState; mapping?: IndexState; database?: IndexState } = {};
  sides.code = state(codeIndex);
  if (mappingIndexes !== undefined && mappedName !== undefined) sides.mapping = state(mappingIndexes[mappedName]);
  if (table !== undefined && hasColumn) sides.database = databaseIndexState(table, columnName);
  const values = Object.values(sides);
  if (values.every((value) => value === values[0])) return undefined;
  const connection = [
    ...(sides.mapping === undefined ? [] : [['mapping', sides.mapping] as const]),
    ...(sides.database === undefined ? [] : [['database', sides.database] as const]),
  ];
  const old =
    connection.length === 2 && connection[0]![1] !== connection[1]![1]
      ? connection.map(([source, value]) => `${value} (${source})`).join(', ')
      : (connection[0]?.[1] ?? 'none');
  return { action: '~', subject: 'index', name, ...sides, summary: `index ${name}: ${old} → ${sides.code}` };
}

function databaseIndexState(table: IntrospectedTable, column: string): IndexState {
  const single = table.indexes.filter((index) => !index.partial && !index.primary && index.columns.length === 1 && index.columns[0] === column);
  if (single.length === 0) return 'none';
  return single.some((index) => index.unique) ? 'unique' : 'non-unique';
}
