/**
 * The emulator's own connection in the Heroku Connect API: its mappings are
 * the hcTables' (config from `getMapping`), an import changes their polling
 * settings, an export returns them, reload refills a table from the org,
 * and the errors endpoints list the trigger log's failed writes.
 */
import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { executeRows, type AnyPgDatabase } from '../../compat.ts';
import { qualified } from '../../dev/sql-text.ts';
import { mappingConfigOf } from '../../mapping/get-mapping.ts';
import { formatExportedAt } from '../../mapping/exported-at.ts';
import { TRIGGER_LOG_STATE, type WriteAlgorithm } from '../../trigger-log/constants.ts';
import type { Org } from '../org/org.ts';
import type { MappedTable } from '../sync/mapped-tables.ts';
import type { ConnectHooks, ConnectWriteError } from './connect-api.ts';
import { stableUuid, type ConnectConnection, type ConnectMapping, type ConnectionSpec } from './connection.ts';

/** Heroku Connect's feature flags as a connection reports them, with the write algorithm's (heroku-connect.md §3.5, §5.3). */
export function featuresOf(algorithm: WriteAlgorithm): Record<string, boolean> {
  return { poll_db_no_merge: algorithm === 'ordered', poll_external_ids: false, rest_count_only: false, disable_bulk_writes: false, ucs_basic_collation_index: false };
}

/** The spec of the emulated connection: a stable id, the org, the write algorithm. */
export function emulatedConnectionSpec(org: Org, mappings: readonly MappedTable[], appName: string, algorithm: WriteAlgorithm): ConnectionSpec {
  const schemaName = mappings[0]?.schema ?? 'salesforce';
  return { id: stableUuid(`${org.organizationId}/${schemaName}`), app: appName, schemaName, features: featuresOf(algorithm), organizationId: org.organizationId, importPolls: 0 };
}

/** The connection's mapping of a table. */
export function mappingOf(mapping: MappedTable, index: number): ConnectMapping {
  return {
    id: stableUuid(`${mapping.sqlName}/${mapping.object.name}`),
    _id: index + 1,
    objectName: mapping.object.name,
    state: 'DATA_SYNCED',
    config: { ...mappingConfigOf(mapping.table), revision: 1, applied_at: new Date().toISOString() },
  };
}

const ImportedMapping = v.looseObject({
  object_name: v.string(),
  config: v.looseObject({
    access: v.optional(v.string()),
    sf_notify_enabled: v.optional(v.boolean()),
    sf_polling_seconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    sf_max_daily_api_calls: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    fields: v.optional(v.record(v.string(), v.unknown())),
  }),
});
const ImportedDocument = v.looseObject({ mappings: v.array(ImportedMapping) });

/** What the emulated connection's API calls do. */
export function emulatedConnectionHooks(
  db: AnyPgDatabase,
  org: Org,
  mappings: readonly MappedTable[],
  reload: (mapping: MappedTable, done: () => void) => void,
): ConnectHooks {
  const tableOf = (objectName: string) => mappings.find((mapping) => mapping.object.name.toLowerCase() === objectName.toLowerCase());
  return {
    import(connection, document) {
      const parsed = v.safeParse(ImportedDocument, document);
      if (!parsed.success) return `The mapping document is not valid: ${parsed.issues[0]!.message} at ${v.getDotPath(parsed.issues[0]!) ?? 'the top'}.`;
      for (const imported of parsed.output.mappings) {
        const table = tableOf(imported.object_name);
        if (table === undefined) return `The emulator has no hcTable for ${imported.object_name}: add it to the schema and restart the emulator.`;
        const current = mappingConfigOf(table.table);
        if (imported.config.access !== undefined && imported.config.access !== current.access) {
          return `${imported.object_name} is ${current.access} in the hcTables; the emulator can't change a mapping's access (its triggers): change the hcTable and restart.`;
        }
        const unknown = Object.keys(imported.config.fields ?? {}).filter((field) => table.object.field(field)?.column === undefined);
        if (unknown.length > 0) return `${imported.object_name} has no column for ${unknown.join(', ')} in the hcTables: add the fields and restart the emulator.`;
      }
      // Import is a PATCH: mappings the document leaves out stay as they are.
      for (const imported of parsed.output.mappings) {
        const table = tableOf(imported.object_name)!;
        let mapping = connection.mappings.find((candidate) => candidate.objectName === table.object.name);
        if (mapping === undefined) connection.mappings.push((mapping = mappingOf(table, mappings.indexOf(table))));
        const { access: _access, fields: _fields, ...settings } = imported.config;
        const revision = Number(mapping.config['revision'] ?? 0) + 1;
        mapping.config = { ...mapping.config, ...settings, revision, applied_at: new Date().toISOString() };
      }
      return undefined;
    },
    export(connection) {
      return {
        version: 1,
        connection: {
          app_name: connection.spec.app,
          organization_id: org.organizationId,
          exported_at: formatExportedAt(new Date()),
          features: connection.features,
          api_version: '62.0',
          name: connection.name,
          logplex_log_enabled: false,
        },
        mappings: connection.mappings.map((mapping) => {
          const { revision: _revision, ...config } = mapping.config;
          return { object_name: mapping.objectName, config };
        }),
      };
    },
    reload(_connection, mapping) {
      const table = tableOf(mapping.objectName);
      if (table === undefined) return;
      reload(table, () => {
        mapping.state = 'DATA_SYNCED';
      });
    },
    async errors(connection, mapping) {
      const tables = mapping === undefined ? connection.mappings.map((one) => tableOf(one.objectName)).filter((one) => one !== undefined) : [tableOf(mapping.objectName)].filter((one) => one !== undefined);
      const results: ConnectWriteError[] = [];
      for (const schema of new Set(tables.map((table) => table.schema))) {
        const names = tables.filter((table) => table.schema === schema).map((table) => table.name);
        const rows = await executeRows<{ id: number; table_name: string; record_id: number | null; sf_message: string | null; created_at: string }>(
          db,
          sql`select id, table_name, record_id, sf_message, to_json(created_at) #>> '{}' as created_at from (
                select * from ${sql.raw(qualified(schema, '_trigger_log'))} union all select * from ${sql.raw(qualified(schema, '_trigger_log_archive'))}) logs
              where state = ${TRIGGER_LOG_STATE.FAILED} and created_at > now() - interval '24 hours'
                and table_name in (select jsonb_array_elements_text(${JSON.stringify(names)}::jsonb)) order by id`,
        );
        for (const row of rows) results.push({ id: row.id, table_name: row.table_name, record_id: row.record_id, message: row.sf_message ?? '', created_at: row.created_at });
      }
      return results;
    },
    // The mappings' counts, before the API shows them.
    async refresh(connection) {
      for (const mapping of connection.mappings) {
        const table = tableOf(mapping.objectName);
        if (table === undefined) continue;
        const log = sql.raw(qualified(table.schema, '_trigger_log'));
        const [counts] = await executeRows<{ db: number; sf: number; pending: number; errors: number }>(
          db,
          sql`select (select count(*)::int from ${sql.raw(table.sqlName)}) as db,
                     (select count(*)::int from ${sql.raw(qualified(org.schema, 'record'))} where object_name = ${table.object.name} and not is_deleted) as sf,
                     (select count(*)::int from ${log} where table_name = ${table.name} and state in ('NEW', 'PENDING')) as pending,
                     (select count(*)::int from (select state, created_at from ${log} where table_name = ${table.name}
                        union all select state, created_at from ${sql.raw(qualified(table.schema, '_trigger_log_archive'))} where table_name = ${table.name}) logs
                      where state = 'FAILED' and created_at > now() - interval '24 hours') as errors`,
        );
        mapping.counts = counts!;
      }
    },
  };
}
