/**
 * Turning a table name found in SQL text into the read-only hcTable it names,
 * and the refusal itself. Names resolve against every hcTable defined in the
 * process (metadata's registry) and against tables embedded in the statement.
 */
import { getTableName, isPgTable, isSql, originalTableNameOf, tableSchemaOf, type PgTable, type SQL } from '../compat.ts';
import { WriteNotSupportedError } from '../errors.ts';
import { definedHcTables, isReadOnlyTable, sfObjectOf } from '../metadata.ts';
import { WRITE_TARGETS_CACHE_SIZE, writeTargetsOf } from './sql-writes.ts';
import { TextCache } from './text-cache.ts';
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
const registry = definedHcTables();
let indexedCount = -1;
let readOnlyByName = new Map<string, PgTable[]>();

function readOnlyTablesNamed(name: string): readonly PgTable[] {
  if (registry.size !== indexedCount) {
    readOnlyByName = new Map();
    for (const table of registry) {
      if (!isReadOnlyTable(table)) continue;
      const tableName = getTableName(table);
      readOnlyByName.set(tableName, [...(readOnlyByName.get(tableName) ?? []), table]);
    }
    indexedCount = registry.size;
  }
  return readOnlyByName.get(name) ?? NO_TABLES;
}

const NO_TABLES: readonly PgTable[] = Object.freeze([]);

function matches(table: PgTable, schema: string | undefined, name: string): boolean {
  return getTableName(table) === name && (schema === undefined || tableSchemaOf(table) === schema);
}

/** The first write in `sqlText` to a read-only hcTable, among `embedded` and then the registry. */
function firstReadOnlyWrite(sqlText: string, embedded: readonly PgTable[]): { table: PgTable; operation: string } | undefined {
  for (const { operation, schema, name } of writeTargetsOf(sqlText)) {
    for (const candidate of embedded) {
      if (isReadOnlyTable(candidate) && matches(candidate, schema, name)) return { table: candidate, operation };
    }
    for (const candidate of readOnlyTablesNamed(name)) {
      if (matches(candidate, schema, name)) return { table: candidate, operation };
    }
  }
  return undefined;
}

// What each statement text met, as of a registry size: the session asks this
// of every statement, so a text seen before costs one lookup.
interface Verdict {
  readonly registrySize: number;
  readonly write: { table: PgTable; operation: string } | undefined;
}
const verdicts = new TextCache<Verdict>(WRITE_TARGETS_CACHE_SIZE);

/**
 * Refuse `sqlText` if it writes to a read-only hcTable. An unqualified name
 * is taken to mean the hcTable of that name in its own Heroku Connect schema,
 * whatever the session's `search_path`: refusing is the safe reading.
 * `embedded` are tables the statement's SQL object holds (found by object, not name).
 */
export function refuseWritingSql(sqlText: string, embedded: readonly PgTable[] = NO_TABLES): void {
  const write = readOnlyWriteIn(sqlText, embedded);
  if (write !== undefined) refuseWrite(write.table, write.operation);
}

/** A write to a read-only hcTable. */
export interface ReadOnlyWrite {
  readonly table: PgTable;
  readonly operation: string;
}

/**
 * The first write in `sqlText` to a read-only hcTable, whether or not
 * restrictions are lifted (what {@link refuseWritingSql} refuses), else undefined.
 */
export function readOnlyWriteIn(sqlText: string, embedded: readonly PgTable[] = NO_TABLES): ReadOnlyWrite | undefined {
  if (embedded.length > 0) return firstReadOnlyWrite(sqlText, embedded);
  let verdict = verdicts.get(sqlText);
  if (verdict === undefined || verdict.registrySize !== registry.size) {
    verdict = { registrySize: registry.size, write: firstReadOnlyWrite(sqlText, NO_TABLES) };
    verdicts.set(sqlText, verdict);
  }
  return verdict.write;
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
