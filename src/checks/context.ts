/**
 * What every check reads: the tables found in the schema, each with its
 * Salesforce metadata and Drizzle's config, computed once per run.
 */
import {
  getTableColumns,
  getTableConfig,
  getTableName,
  isPgTable,
  relationJoinsOf,
  tableSchemaOf,
  type RelationJoin,
  type PgColumn,
  type PgTable,
} from '../compat.ts';
import { sfColumnsOf, sfObjectOf, type SfColumn, type SfObjectMeta } from '../metadata.ts';
import { tableConfigOf } from '../table/table-config.ts';
import type { CheckSchemaOptions } from './diagnostic.ts';

/** What `getTableConfig` returns. */
export type PgTableConfig = ReturnType<typeof getTableConfig>;

/** One table of the checked schema. */
export interface CheckedTable {
  readonly table: PgTable;
  /** Where its diagnostics point (see {@link placeOf}). */
  readonly place: string;
  /** The name it was exported under, when the schema was given as an object. */
  readonly exportName: string | undefined;
  /** Its Salesforce object metadata; undefined for the app's own tables. */
  readonly object: SfObjectMeta | undefined;
  /** Every column, in definition order. */
  readonly columns: readonly PgColumn[];
  readonly sfColumns: readonly SfColumn[];
  /** Drizzle's config; undefined when building it threw (`configError`, reported as E130). */
  readonly config: PgTableConfig | undefined;
  readonly configError: unknown;
}

/** An hcTable of the checked schema. */
export type CheckedHcTable = CheckedTable & { readonly object: SfObjectMeta };

export interface CheckContext {
  /** Every pg table of the schema (hcTables and the app's own), each once. */
  readonly tables: readonly CheckedTable[];
  readonly hcTables: readonly CheckedHcTable[];
  /** The joins the schema's `relations()` / `defineRelations()` exports declare. */
  readonly joins: readonly RelationJoin[];
  readonly options: CheckSchemaOptions;
}

/** `schema.table` as SQL names it (`salesforce.account`), or `table` for `public`. */
export function placeOf(table: PgTable, exportName?: string): string {
  const schema = tableSchemaOf(table);
  const name = getTableName(table) || `<${exportName ?? 'table without a name'}>`;
  return schema === 'public' ? name : `${schema}.${name}`;
}

/** Gather the tables of an array, or of an object's / module namespace's values. */
export function checkContextOf(schemaOrTables: unknown, options: CheckSchemaOptions): CheckContext {
  const tables: CheckedTable[] = [];
  const seen = new Set<PgTable>();
  const joins: RelationJoin[] = [];
  for (const [exportName, value] of candidatesOf(schemaOrTables)) {
    if (!isPgTable(value)) joins.push(...(relationJoinsOf(value) ?? []));
    if (!isPgTable(value) || seen.has(value)) continue;
    seen.add(value);
    tables.push(checkedTable(value, exportName));
  }
  const hcTables = tables.filter((checked): checked is CheckedHcTable => checked.object !== undefined);
  return { tables, hcTables, joins, options };
}

function candidatesOf(schemaOrTables: unknown): [string | undefined, unknown][] {
  if (typeof schemaOrTables !== 'object' || schemaOrTables === null) return [];
  if (Array.isArray(schemaOrTables)) return schemaOrTables.map((value: unknown) => [undefined, value]);
  return Object.entries(schemaOrTables);
}

function checkedTable(table: PgTable, exportName: string | undefined): CheckedTable {
  let config: PgTableConfig | undefined;
  let configError: unknown;
  try {
    config = tableConfigOf(table);
  } catch (error) {
    // A throwing extraConfig callback (an index on a missing column, say) is a finding, not a crash.
    configError = error;
  }
  const object = sfObjectOf(table);
  return {
    table,
    place: placeOf(table, exportName),
    exportName,
    object,
    // Drizzle's config lists the same columns: no second array per table when it could be built.
    columns: config?.columns ?? Object.values(getTableColumns(table) as Record<string, PgColumn>),
    sfColumns: object === undefined ? [] : sfColumnsOf(table),
    config,
    configError,
  };
}

/** How a diagnostic names a table in its message: its place, and its export name when known. */
export function describeTable(checked: CheckedTable): string {
  return checked.exportName === undefined ? checked.place : `${checked.place} (export \`${checked.exportName}\`)`;
}
