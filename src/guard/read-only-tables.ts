/**
 * Turning a table name found in SQL text into the read-only hcTable it names,
 * and the refusal itself. Names resolve against every hcTable defined in the
 * process (metadata's registry) and against tables embedded in the statement;
 * unqualified names the way the session's search_path may resolve them.
 */
import { getTableName, isPgTable, isSql, originalTableNameOf, tableSchemaOf, type PgTable, type SQL } from '../compat.ts';
import { WriteNotSupportedError } from '../errors.ts';
import { definedHcTables, isReadOnlyTable, sfObjectOf } from '../metadata.ts';
import { cascadeWriteIn } from './cascades.ts';
import { preparedWriteIn, rememberPreparedWrite } from './sql-prepared.ts';
import { NO_SEARCH_PATH_CHANGE, WRITE_TARGETS_CACHE_SIZE, readSql, type SearchPathChange, type WriteTarget } from './sql-writes.ts';
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

/**
 * The schemas a session's unqualified names may resolve to, as far as the
 * guard knows: PostgreSQL's default `"$user", public` (with the role's name
 * for `"$user"` when the driver's configuration gives it), widened by every
 * search_path or role the guarded db's statements set (on any connection of
 * the pool, at any time: the set only grows), or any schema once a statement
 * sets it to a value computed at run time or the connection options set it.
 */
export class SessionSearchPath {
  readonly #schemas = new Set<string>(['public']);
  #any = false;
  /** Verdicts by statement text, valid for this path and a registry size. */
  verdicts = new TextCache<Verdict>(WRITE_TARGETS_CACHE_SIZE);

  constructor(options: { readonly roles?: readonly string[]; readonly any?: boolean } = {}) {
    for (const role of options.roles ?? []) this.#schemas.add(role);
    this.#any = options.any === true;
  }

  /** Whether an unqualified name may resolve to `schema`. */
  reaches(schema: string): boolean {
    return this.#any || this.#schemas.has(schema);
  }

  /** Take in what a statement does to the search_path. */
  widen(change: SearchPathChange): void {
    let changed = false;
    if (change.unknown && !this.#any) changed = this.#any = true;
    for (const schema of change.schemas) {
      if (schema === '$user' || this.#schemas.has(schema)) continue;
      this.#schemas.add(schema);
      changed = true;
    }
    if (changed) this.verdicts = new TextCache<Verdict>(WRITE_TARGETS_CACHE_SIZE);
  }
}

/** For sessions the guard knows nothing of: an unqualified name may be in any schema. */
const UNKNOWN_PATH = new SessionSearchPath({ any: true });

/** Whether `candidate` is the table a target names, unqualified names resolved per `path`. */
function matches(candidate: PgTable, target: WriteTarget, path: SessionSearchPath): boolean {
  return getTableName(candidate) === target.name && inSchema(tableSchemaOf(candidate), target, path);
}

/** Whether a target may name a table of `schema`, unqualified names resolved per `path`. */
function inSchema(schema: string, target: Pick<WriteTarget, 'schema' | 'searchPath'>, path: SessionSearchPath): boolean {
  if (target.schema !== undefined) return schema === target.schema;
  return target.searchPath === 'any' || path.reaches(schema);
}

/** The first write in `targets` to a read-only hcTable, among `embedded` and then the registry. */
function firstReadOnlyWrite(
  targets: readonly WriteTarget[],
  embedded: readonly PgTable[],
  path: SessionSearchPath,
): { table: PgTable; operation: string } | undefined {
  for (const target of targets) {
    for (const candidate of embedded) {
      if (isReadOnlyTable(candidate) && matches(candidate, target, path)) return { table: candidate, operation: target.operation };
    }
    for (const candidate of readOnlyTablesNamed(target.name)) {
      if (matches(candidate, target, path)) return { table: candidate, operation: target.operation };
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

/**
 * Refuse `sqlText` if it writes to a read-only hcTable. A qualified name
 * must match the hcTable's schema; an unqualified one resolves the way the
 * session's search_path may resolve it (`path`; without one, any schema:
 * refusing is the safe reading). A statement that sets the search_path
 * widens `path` first. `embedded` are tables the statement's SQL object
 * holds (found by object, not name).
 */
export function refuseWritingSql(sqlText: string, embedded: readonly PgTable[] = NO_TABLES, path: SessionSearchPath = UNKNOWN_PATH): void {
  const write = readOnlyWriteIn(sqlText, embedded, path);
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
export function readOnlyWriteIn(
  sqlText: string,
  embedded: readonly PgTable[] = NO_TABLES,
  path: SessionSearchPath = UNKNOWN_PATH,
): ReadOnlyWrite | undefined {
  // `EXECUTE p` of a statement prepared to write while restrictions were lifted (sql-prepared.ts).
  const write = preparedWriteIn<ReadOnlyWrite>(sqlText) ?? verdictOf(sqlText, embedded, path);
  if (write !== undefined) rememberPreparedWrite(sqlText, write);
  return write;
}

function verdictOf(sqlText: string, embedded: readonly PgTable[], path: SessionSearchPath): ReadOnlyWrite | undefined {
  let verdict = embedded.length > 0 ? undefined : path.verdicts.get(sqlText);
  if (verdict !== undefined && verdict.registrySize === registry.size) return verdict.write;
  const reading = readSql(sqlText);
  if (reading.searchPath !== NO_SEARCH_PATH_CHANGE) path.widen(reading.searchPath);
  const write =
    firstReadOnlyWrite(reading.targets, embedded, path) ??
    // A write that changes a read-only table through a foreign key's action (cascades.ts).
    cascadeWriteIn(sqlText, reading.targets, (schema, target) => inSchema(schema, target, path));
  if (embedded.length === 0) {
    verdict = { registrySize: registry.size, write };
    path.verdicts.set(sqlText, verdict);
  }
  return write;
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
