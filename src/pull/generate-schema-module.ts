/**
 * `generateSchemaModule()`: the TypeScript module `hc-drizzle pull` writes,
 * one hcTable per mapped object, as a person would write it.
 */
import { fieldKind } from '../columns/kinds.ts';
import { InputError } from '../errors.ts';
import { parseMappingExport, type MappingExport } from '../mapping/mapping-export.ts';
import { DEFAULT_SCHEMA } from '../settings/settings.ts';
import type { IntrospectedHerokuConnect } from './introspect.ts';
import { byName, nameScope } from './names.ts';
import { planTable, stringLiteral, type PlannedOption, type PlannedTable } from './plan-table.ts';

/** Options of {@link generateSchemaModule}. */
export interface GenerateSchemaModuleOptions {
  /** The mapping: exact field names, access, polling, notify, API calls, upsert field, indexes. Validated. */
  readonly mapping: MappingExport | unknown;
  /** The database's Heroku Connect schema: column types and lengths (from {@link introspectHerokuConnect}). */
  readonly database: IntrospectedHerokuConnect;
  /** Only these objects (case-insensitive Salesforce names). */
  readonly only?: readonly string[];
  /** What the header says the mapping and the columns came from (`mapping.json`, `PostgreSQL at host/db`); never secrets. */
  readonly pulledFrom?: { readonly mapping?: string; readonly database?: string };
  /** When, for the header. Default now. */
  readonly pulledAt?: Date;
  /** The module the builders are imported from. Default `hc-drizzle`. */
  readonly importFrom?: string;
}

/** The generated module. */
export interface GeneratedSchemaModule {
  /** The TypeScript source. */
  readonly source: string;
  /** The Salesforce objects it defines, in module order. */
  readonly objects: readonly string[];
  /** What pull had to guess or leave out, one sentence each. */
  readonly warnings: readonly string[];
}

/** Export names the module's own declarations take. */
const MODULE_NAMES = ['hcTable', 'READ_WRITE', 'HC_SCHEMA'];
/** hcTable's system column keys, which no field may take. */
const SYSTEM_KEYS = ['id', 'sfid', 'systemModstamp', 'isDeleted', 'hcLastop', 'hcErr'];
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Write the hcTables of a connection: field names, access and the other
 * options from the mapping, builders from the database's column types.
 * Objects and fields come sorted, options only where they differ from
 * hcTable's defaults.
 *
 * @throws {InputError} when the mapping is malformed or `only` names an object it does not map.
 * @example
 * const database = await introspectHerokuConnect(db, { schema: 'salesforce' });
 * const { source } = generateSchemaModule({ mapping, database, pulledFrom: { mapping: 'mapping.json' } });
 */
export function generateSchemaModule(options: GenerateSchemaModuleOptions): GeneratedSchemaModule {
  const mapping = parseMappingExport(options.mapping, options.pulledFrom?.mapping ?? 'The mapping');
  const entries = selectedEntries(mapping, options.only);
  const { database } = options;
  const tablesByName = new Map(database.tables.map((table) => [table.name, table]));
  const warnings: string[] = [];
  const place = (objectName: string) => `${database.schema}.${objectName.toLowerCase()}`;
  for (const { object_name: name, config } of entries) {
    for (const apiName of [name, ...Object.keys(config.fields)]) {
      if (!API_NAME.test(apiName)) throw new InputError(`The mapping names "${apiName}" (in ${name}), which is not a Salesforce API name.`);
    }
  }
  const mapped = new Set(mapping.mappings.map((entry) => entry.object_name.toLowerCase()));
  if (options.only === undefined) {
    for (const table of database.tables) {
      if (!mapped.has(table.name)) warnings.push(`Table ${database.schema}.${table.name} has no mapping: left out.`);
    }
  }

  const sorted = [...entries].sort(byName((entry) => entry.object_name));
  const plans = sorted.map((entry) => planTable(entry, tablesByName.get(entry.object_name.toLowerCase()), place(entry.object_name), warnings));
  const exportName = nameScope(MODULE_NAMES, { identifiers: true });
  const builders = new Set(['hcTable']);
  const schemaOption: PlannedOption[] = database.schema === DEFAULT_SCHEMA ? [] : [['schema', 'HC_SCHEMA']];
  const tables = plans.map((plan) => {
    for (const field of plan.fields) builders.add(fieldKind(field.kind).builder);
    if (plan.options.some(([name]) => name === 'access')) builders.add('READ_WRITE');
    return tableSource(exportName(plan.objectName), plan, [...schemaOption, ...plan.options]);
  });

  const lines = [
    ...header(mapping, database, options),
    `import { ${[...builders].sort().join(', ')} } from ${stringLiteral(options.importFrom ?? 'hc-drizzle')};`,
    '',
    ...(schemaOption.length === 0 ? [] : ['/** The Heroku Connect schema of this connection. */', `const HC_SCHEMA = ${stringLiteral(database.schema)};`, '']),
    tables.join('\n\n'),
  ];
  return { source: `${lines.join('\n')}\n`, objects: plans.map((plan) => plan.objectName), warnings };
}

function selectedEntries(mapping: MappingExport, only: readonly string[] | undefined) {
  if (only === undefined) return mapping.mappings;
  const wanted = new Map(only.map((name) => [name.trim().toLowerCase(), name.trim()]));
  const entries = mapping.mappings.filter((entry) => wanted.delete(entry.object_name.toLowerCase()));
  const [missing] = wanted.values();
  if (missing !== undefined) {
    const known = mapping.mappings.map((entry) => entry.object_name).join(', ');
    throw new InputError(`The mapping has no object ${missing} (it maps ${known || 'nothing'}).`);
  }
  return entries;
}

function tableSource(name: string, plan: PlannedTable, options: readonly PlannedOption[]): string {
  const key = nameScope([...SYSTEM_KEYS, plan.modstampField.charAt(0).toLowerCase() + plan.modstampField.slice(1)]);
  const fields = plan.fields.map((field) => {
    const builder = fieldKind(field.kind).builder;
    const args = [stringLiteral(field.sfName), ...(field.options.length === 0 ? [] : [objectLiteral(field.options)])];
    return `  ${key(field.sfName)}: ${builder}(${args.join(', ')})${field.unique ? '.unique()' : ''},`;
  });
  const columns = fields.length === 0 ? '{}' : `{\n${fields.join('\n')}\n}`;
  const tableOptions = options.length === 0 ? '' : `, ${objectLiteral(options)}`;
  return `export const ${name} = hcTable(${stringLiteral(plan.objectName)}, ${columns}${tableOptions});`;
}

function objectLiteral(options: readonly PlannedOption[]): string {
  return `{ ${options.map(([name, code]) => (name === code ? name : `${name}: ${code}`)).join(', ')} }`;
}

/** The header comment: what the module was pulled from and when, never a secret. */
function header(mapping: MappingExport, database: IntrospectedHerokuConnect, options: GenerateSchemaModuleOptions): string[] {
  const pulledAt = (options.pulledAt ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const exportedAt = mapping.connection?.exported_at;
  const mappingFrom = `${options.pulledFrom?.mapping ?? 'a mapping export'}${exportedAt === undefined ? '' : ` (exported ${exportedAt})`}`;
  const databaseFrom = `schema ${database.schema}${options.pulledFrom?.database === undefined ? '' : ` of ${options.pulledFrom.database}`}`;
  return [
    '/**',
    ` * Heroku Connect tables pulled by \`hc-drizzle pull\` on ${pulledAt}:`,
    ` * the mapping from ${commentSafe(mappingFrom)},`,
    ` * the column types from ${commentSafe(databaseFrom)}.`,
    ' *',
    ' * Review before committing: a database cannot tell a picklist from a text field,',
    ' * nor a currency or percent field from a number. `hc-drizzle diff` reports when',
    ' * this file, the connection and the database drift apart.',
    ' */',
  ];
}

/**
 * Text for the header comment: one line, no comment terminator, and no
 * credentials even if a caller passed a URL with them (`user:password@`,
 * `?password=`).
 */
function commentSafe(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?]*)\?\S*/gi, '$1')
    .replaceAll('*/', '*\\/');
}
