/**
 * The Heroku Connect mapping document, as django-heroku-connect's
 * `get_mapping()` builds it (heroku-connect.md §4.1).
 */
import { isSql, type PgColumn, type PgTable } from '../compat.ts';
import { tableConfigOf } from '../table/table-config.ts';
import { sfColumnsOf, sfObjectOf } from '../metadata.ts';
import { readSettings } from '../settings/settings.ts';
import { collectHcTables } from './collect-tables.ts';
import { formatExportedAt, parseExportedAt } from './exported-at.ts';

/** One mapping's `config` (upsert_field only when the table has one). */
export interface MappingConfig {
  access: string;
  sf_notify_enabled: boolean;
  sf_polling_seconds: number;
  sf_max_daily_api_calls: number;
  fields: Record<string, Record<string, never>>;
  indexes: Record<string, { unique: boolean }>;
  upsert_field?: string;
}

/** The mapping document `heroku connect:import` takes. */
export interface MappingDocument {
  version: number;
  connection: { organization_id: string; app_name: string; exported_at: string };
  mappings: { object_name: string; config: MappingConfig }[];
}

/** Options of {@link getMapping}; unset values come from the settings. */
export interface GetMappingOptions {
  /** `HEROKU_APP_NAME` by default. */
  readonly appName?: string;
  /** `HEROKU_CONNECT_ORGANIZATION_ID` by default. */
  readonly organizationId?: string;
  /** Default now. A string keeps its offset and precision. */
  readonly exportedAt?: Date | string;
  /** Default 1, as every Heroku Connect export. */
  readonly version?: number;
}

/**
 * Build the Heroku Connect mapping for the hcTables in `tables` (an array, or
 * a module namespace / object whose values are scanned).
 *
 * @example
 * import * as salesforce from './salesforce.ts';
 * const mapping = getMapping(salesforce, { appName: 'my-app' });
 */
export function getMapping(tables: unknown, options: GetMappingOptions = {}): MappingDocument {
  const needsSettings = options.appName === undefined || options.organizationId === undefined;
  const settings = needsSettings ? readSettings() : undefined;
  const exportedAt = options.exportedAt ?? new Date();
  return {
    version: options.version ?? 1,
    connection: {
      organization_id: options.organizationId ?? settings?.organizationId ?? '',
      app_name: options.appName ?? settings?.appName ?? '',
      exported_at: typeof exportedAt === 'string' ? parseExportedAt(exportedAt) : formatExportedAt(exportedAt),
    },
    mappings: collectHcTables(tables).map((table) => ({
      object_name: sfObjectOf(table)!.objectName,
      config: mappingConfigOf(table),
    })),
  };
}

/** The mapping `config` of one hcTable. */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function mappingConfigOf(table: PgTable): MappingConfig {
  const object = sfObjectOf(table)!;
  const indexedByConfig = singleColumnIndexes(table);
  const fields: MappingConfig['fields'] = {};
  const indexes: MappingConfig['indexes'] = {};
  let upsertField: string | undefined;
  for (const { column, field } of sfColumnsOf(table)) {
    fields[field.sfName] = {};
    const configIndex = indexedByConfig.get(column.name);
    const unique = field.upsert || column.isUnique || configIndex === true;
    // A unique field must be indexed in Heroku Connect (django-heroku-connect fields.py).
    if (unique || field.index || configIndex !== undefined) indexes[field.sfName] = { unique };
    if (field.upsert) upsertField = field.sfName;
  }
  const config: MappingConfig = {
    access: object.access,
    sf_notify_enabled: object.notifyEnabled,
    sf_polling_seconds: object.pollingSeconds,
    sf_max_daily_api_calls: object.maxDailyApiCalls,
    fields,
    indexes,
  };
  if (upsertField !== undefined) config.upsert_field = upsertField;
  return config;
}

/**
 * The column an extraConfig index or unique is on, when Heroku Connect can
 * create it: one plain column, no WHERE clause (heroku-connect.md §4.1
 * `config.indexes` knows single fields only). Mapping and checks share it.
 */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function singleIndexedColumn(columns: readonly unknown[], where?: unknown): string | undefined {
  if (columns.length !== 1 || where !== undefined || isSql(columns[0])) return undefined;
  const name = (columns[0] as Partial<PgColumn>).name;
  return typeof name === 'string' ? name : undefined;
}

/** Column name → unique? for every index or unique in the table's extra config that Heroku Connect can create. */
function singleColumnIndexes(table: PgTable): Map<string, boolean> {
  const { indexes, uniqueConstraints } = tableConfigOf(table);
  const found = new Map<string, boolean>();
  const note = (column: string | undefined, unique: boolean) => {
    if (column !== undefined) found.set(column, (found.get(column) ?? false) || unique);
  };
  for (const index of indexes) note(singleIndexedColumn(index.config.columns, index.config.where), index.config.unique);
  for (const unique of uniqueConstraints) note(singleIndexedColumn(unique.columns), true);
  return found;
}
