/**
 * Turning a table name found in SQL text into the read-only hcTable it names,
 * and the refusal itself. Names resolve against every hcTable defined in the
 * process (metadata's registry) and against tables embedded in the statement.
 */
import { getTableName, isPgTable, isSql, originalTableNameOf, tableSchemaOf, type PgTable, type SQL } from '../compat.ts';
import { WriteNotSupportedError } from '../errors.ts';
import { definedHcTables, isReadOnlyTable, sfObjectOf } from '../metadata.ts';
import { writeTargetsOf } from './sql-writes.ts';
import { writeRestrictionsLifted } from './write-restrictions.ts';

/** `schema.table` as Drizzle qualifies it (`public` for pgTable); an alias is named by its table. */
export function qualifiedNameOf(table: PgTable): string {
  return `${tableSchemaOf(table)}.${originalTableNameOf(table)}`;
}

/** Throw {@link WriteNotSupportedError} for `table`, unless restrictions are lifted (tests). */
export function refuseWrite(table: PgTable, operation: string): void {
  if (writeRestrictionsLifted()) return;
  throw new WriteNotSupportedError(qualifiedNameOf(table), sfObjectOf(table)?.objectName ?? '', operation);
}

// Read-only hcTables by table name, rebuilt when the registry grows (tables are
// defined at import time, so this settles after start-up).
let indexedCount = -1;
let readOnlyByName = new Map<string, PgTable[]>();

function readOnlyTablesNamed(name: string): readonly PgTable[] {
  const registry = definedHcTables();
  if (registry.size !== indexedCount) {
    readOnlyByName = new Map();
    for (const table of registry) {
      if (!isReadOnlyTable(table)) continue;
      const tableName = getTableName(table);
      readOnlyByName.set(tableName, [...(readOnlyByName.get(tableName) ?? []), table]);
    }
    indexedCount = registry.size;
  }
  return readOnlyByName.get(name) ?? [];
}

function matches(table: PgTable, schema: string | undefined, name: string): boolean {
  return getTableName(table) === name && (schema === undefined || tableSchemaOf(table) === schema);
}

/**
 * Refuse `sqlText` if it writes to a read-only hcTable. An unqualified name
 * is taken to mean the hcTable of that name in its own Heroku Connect schema,
 * whatever the session's `search_path`: refusing is the safe reading.
 */
export function refuseWritingSql(sqlText: string, embedded: readonly PgTable[] = []): void {
  const targets = writeTargetsOf(sqlText);
  for (const { operation, schema, name } of targets) {
    const table =
      embedded.find((candidate) => isReadOnlyTable(candidate) && matches(candidate, schema, name)) ??
      readOnlyTablesNamed(name).find((candidate) => matches(candidate, schema, name));
    if (table !== undefined) refuseWrite(table, operation);
  }
}

/** The read-only hcTables an SQL object embeds (`sql\`delete from ${user}\``), nested SQL included. */
export function embeddedReadOnlyTables(query: SQL, found: PgTable[] = []): PgTable[] {
  for (const chunk of query.queryChunks) {
    if (isPgTable(chunk)) {
      if (isReadOnlyTable(chunk)) found.push(chunk);
    } else if (isSql(chunk)) {
      embeddedReadOnlyTables(chunk, found);
    }
  }
  return found;
}
