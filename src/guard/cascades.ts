/**
 * Writes that reach a read-only hcTable through a foreign key's action: a
 * read-only hcTable whose foreign key to an app table says `ON DELETE
 * CASCADE` (or `SET NULL`, `SET DEFAULT`, or the same `ON UPDATE`) is
 * changed by an ordinary delete or update of the app's row, and every table
 * referencing a truncated one is truncated by `TRUNCATE ... CASCADE`. The
 * app never names the Heroku Connect table, so the guard follows the
 * foreign keys the schema declares (check's E135 reports them) from each
 * read-only hcTable to the tables whose writes reach it, through app tables
 * too. Foreign keys that exist only in the database are not known here
 * (README, Limits).
 *
 * Also refused: DDL through the guarded db that adds such a foreign key
 * (`ALTER TABLE salesforce.contact ADD FOREIGN KEY ... ON DELETE CASCADE`).
 */
import { getTableConfig, getTableName, tableSchemaOf, type PgTable } from '../compat.ts';
import { definedHcTables, isReadOnlyTable } from '../metadata.ts';
import { tokenize, type Token } from './sql-lexer.ts';
import type { WriteTarget } from './sql-writes.ts';

/** The ways a write to a table can reach a read-only hcTable. */
type Reach = 'delete' | 'update' | 'truncate';

/** How a write to a table reaches a read-only hcTable: the table it changes, and the foreign key on the way. */
interface Path {
  readonly readOnly: PgTable;
  /** `ON DELETE CASCADE from public.regions`, for the refusal's message. */
  readonly how: string;
  /** For an update: the columns whose change sets the action off (the referenced ones); absent: any. */
  readonly columns?: ReadonlySet<string>;
}

/** A cascade found in a statement. */
export interface CascadeWrite {
  readonly table: PgTable;
  readonly operation: string;
}

const CHANGING_ACTIONS = new Set(['cascade', 'set null', 'set default']);

const nameOf = (table: PgTable) => `${tableSchemaOf(table)}.${getTableName(table)}`;

interface ForeignKeyEdge {
  /** The table holding the foreign key (whose rows the action changes). */
  readonly from: PgTable;
  readonly to: PgTable;
  readonly onDelete: string | undefined;
  readonly onUpdate: string | undefined;
  /** The referenced columns of `to`. */
  readonly columns: readonly string[];
}

function foreignKeysOf(table: PgTable): ForeignKeyEdge[] {
  let config: ReturnType<typeof getTableConfig>;
  try {
    config = getTableConfig(table);
  } catch {
    return []; // a table Drizzle cannot build (check's E130)
  }
  return config.foreignKeys.flatMap((foreignKey) => {
    try {
      const { foreignTable, foreignColumns } = foreignKey.reference();
      const columns = foreignColumns.map((column) => column.name);
      return [{ from: table, to: foreignTable, onDelete: foreignKey.onDelete, onUpdate: foreignKey.onUpdate, columns }];
    } catch {
      return [];
    }
  });
}

/**
 * For each table (by schema and name) the writes to it that reach a read-only
 * hcTable, found by following foreign keys out of the read-only hcTables:
 * a delete of `to` reaches `from` by ON DELETE CASCADE (as a delete) or SET
 * NULL / SET DEFAULT (as an update), an update of `to` by a changing ON
 * UPDATE action, and TRUNCATE `to` CASCADE by any foreign key.
 */
function reachingWrites(): Map<string, Map<Reach, Path>> {
  const reaches = new Map<PgTable, Map<Reach, Path>>();
  const edges: ForeignKeyEdge[] = [];
  const seen = new Set<PgTable>();
  const queue: PgTable[] = [];
  for (const table of definedHcTables()) {
    if (!isReadOnlyTable(table)) continue;
    const how = 'direct';
    reaches.set(
      table,
      new Map<Reach, Path>([
        ['delete', { readOnly: table, how }],
        ['update', { readOnly: table, how }],
        ['truncate', { readOnly: table, how }],
      ]),
    );
    queue.push(table);
  }
  while (queue.length > 0) {
    const table = queue.pop()!;
    if (seen.has(table)) continue;
    seen.add(table);
    for (const edge of foreignKeysOf(table)) {
      edges.push(edge);
      queue.push(edge.to);
    }
  }
  // Propagate to a fixed point (the graph is small: the schema's foreign keys out of read-only tables),
  // one foreign key further each pass, so the path a refusal names is a shortest one.
  let pending: [PgTable, Reach, Path][] = [];
  const add = (table: PgTable, reach: Reach, path: Path): boolean => {
    if (reaches.get(table)?.has(reach) === true || pending.some(([t, r]) => t === table && r === reach)) return false;
    pending.push([table, reach, path]);
    return true;
  };
  for (let changed = true; changed; ) {
    for (const [table, reach, path] of pending) {
      let known = reaches.get(table);
      if (known === undefined) reaches.set(table, (known = new Map()));
      known.set(reach, path);
    }
    pending = [];
    changed = false;
    for (const { from, to, onDelete, onUpdate, columns } of edges) {
      const known = reaches.get(from);
      if (known === undefined) continue;
      const via = (action: string) => `${action} from ${nameOf(to)} to ${nameOf(from)}`;
      const deleted = known.get('delete');
      const updated = known.get('update');
      const truncated = known.get('truncate');
      if (deleted !== undefined && onDelete === 'cascade') changed = add(to, 'delete', { readOnly: deleted.readOnly, how: via('ON DELETE CASCADE') }) || changed;
      if (updated !== undefined && onDelete !== undefined && onDelete !== 'cascade' && CHANGING_ACTIONS.has(onDelete)) {
        changed = add(to, 'delete', { readOnly: updated.readOnly, how: via(`ON DELETE ${onDelete.toUpperCase()}`) }) || changed;
      }
      if (updated !== undefined && onUpdate !== undefined && CHANGING_ACTIONS.has(onUpdate)) {
        const path = { readOnly: updated.readOnly, how: via(`ON UPDATE ${onUpdate.toUpperCase()}`), columns: new Set(columns) };
        const known = reaches.get(to)?.get('update') ?? pending.find(([t, r]) => t === to && r === 'update')?.[2];
        if (known?.columns !== undefined) {
          // Another foreign key into `to` with an ON UPDATE action: changing any of their columns reaches a read-only table.
          const before = known.columns.size;
          for (const column of columns) (known.columns as Set<string>).add(column);
          changed = known.columns.size !== before || changed;
        } else {
          changed = add(to, 'update', path) || changed;
        }
      }
      if (truncated !== undefined) changed = add(to, 'truncate', { readOnly: truncated.readOnly, how: via('a foreign key') }) || changed;
    }
  }
  const byName = new Map<string, Map<Reach, Path>>();
  for (const [table, known] of reaches) {
    // Read-only tables are refused directly; here only what reaches them from elsewhere.
    if (isReadOnlyTable(table)) {
      const cascaded = new Map([...known].filter(([, path]) => path.how !== 'direct'));
      if (cascaded.size > 0) byName.set(nameOf(table), cascaded);
    } else {
      byName.set(nameOf(table), known);
    }
  }
  return byName;
}

const registry = definedHcTables();
let builtFor = -1;
let reachingByName = new Map<string, Map<Reach, Path>>();
let tablesByName = new Map<string, PgTable[]>();

function current(): Map<string, Map<Reach, Path>> {
  if (registry.size !== builtFor) {
    reachingByName = reachingWrites();
    tablesByName = new Map();
    const readOnly = [...registry].filter((table) => isReadOnlyTable(table));
    for (const table of readOnly) tablesByName.set(getTableName(table), [...(tablesByName.get(getTableName(table)) ?? []), table]);
    builtFor = registry.size;
  }
  return reachingByName;
}

/** The tables a name may mean among those whose writes reach a read-only table (`matches` resolves unqualified names). */
type Matcher = (schema: string, target: Pick<WriteTarget, 'schema' | 'name' | 'searchPath'>) => boolean;

function reachOf(target: Pick<WriteTarget, 'schema' | 'name' | 'searchPath'>, reach: Reach, matches: Matcher): Path | undefined {
  for (const [qualified, known] of current()) {
    const dot = qualified.indexOf('.');
    const schema = qualified.slice(0, dot);
    if (qualified.slice(dot + 1) !== target.name || !matches(schema, target)) continue;
    const path = known.get(reach);
    if (path !== undefined) return path;
  }
  return undefined;
}

// Words that can only matter here; a text with none of them is not read again.
const MAY_CASCADE = /cascade|references|set\s+null|set\s+default/i;

/**
 * A write in `sqlText` that reaches a read-only hcTable through a foreign
 * key's action, else undefined. `targets` are the text's writes as the guard
 * read them; `matches` says whether a target may name a table of `schema`.
 */
export function cascadeWriteIn(sqlText: string, targets: readonly WriteTarget[], matches: Matcher): CascadeWrite | undefined {
  const known = current();
  if (known.size === 0) return undefined;
  for (const target of targets) {
    const reaches: Reach[] =
      target.operation === 'delete' ? ['delete']
      : target.operation === 'update' ? ['update']
      : target.operation === 'merge' ? ['delete', 'update']
      : target.operation === 'insert' && /do\s+update/i.test(sqlText) ? ['update'] // INSERT ... ON CONFLICT DO UPDATE
      : [];
    for (const reach of reaches) {
      const path = reachOf(target, reach, matches);
      if (path === undefined) continue;
      // An update sets the action off only when it changes a referenced column.
      if (target.operation === 'update' && path.columns !== undefined && !assignsAny(sqlText, target.name, path.columns)) continue;
      if (target.operation === 'insert' && (path.columns === undefined || !upsertAssignsAny(sqlText, path.columns))) continue;
      return { table: path.readOnly, operation: `${target.operation} of ${target.schema === undefined ? target.name : `${target.schema}.${target.name}`} (${path.how})` };
    }
  }
  if (!MAY_CASCADE.test(sqlText)) return undefined;
  return statementCascades(tokenize(sqlText), matches, 0);
}

/** The name at `at` (`t`, `s.t`), and the index after it. */
function relationAt(tokens: readonly Token[], at: number): { schema: string | undefined; name: string; end: number } | undefined {
  let i = at;
  if (tokens[i]?.kind === 'word' && tokens[i]!.text === 'only') i++;
  const parts: string[] = [];
  for (;;) {
    const token = tokens[i];
    if (token === undefined || (token.kind !== 'word' && token.kind !== 'identifier')) break;
    parts.push(token.text);
    i++;
    if (tokens[i]?.kind !== 'symbol' || tokens[i]!.text !== '.') break;
    i++;
  }
  if (parts.length === 0) return undefined;
  if (tokens[i]?.kind === 'symbol' && tokens[i]!.text === '*') i++;
  return { schema: parts.length > 1 ? parts[parts.length - 2] : undefined, name: parts[parts.length - 1]!, end: i };
}

const isWordAt = (tokens: readonly Token[], at: number, text: string) => tokens[at]?.kind === 'word' && tokens[at]!.text === text;

function statementEndFrom(tokens: readonly Token[], at: number): number {
  let end = at;
  while (end < tokens.length && !(tokens[end]!.kind === 'symbol' && tokens[end]!.text === ';')) end++;
  return end;
}

/** A changing referential action in tokens[from, to): `on delete cascade`, `on update set null`, ... */
function changingActionIn(tokens: readonly Token[], from: number, to: number): string | undefined {
  for (let i = from; i + 2 < to + 1; i++) {
    if (!isWordAt(tokens, i, 'on') || !(isWordAt(tokens, i + 1, 'delete') || isWordAt(tokens, i + 1, 'update'))) continue;
    const event = tokens[i + 1]!.text.toUpperCase();
    if (isWordAt(tokens, i + 2, 'cascade')) return `ON ${event} CASCADE`;
    if (isWordAt(tokens, i + 2, 'set') && (isWordAt(tokens, i + 3, 'null') || isWordAt(tokens, i + 3, 'default'))) {
      return `ON ${event} SET ${tokens[i + 3]!.text.toUpperCase()}`;
    }
  }
  return undefined;
}

/**
 * `TRUNCATE a, b ... CASCADE` and `ALTER TABLE t ... REFERENCES ... ON
 * DELETE CASCADE` in the tokens, and in every string literal (code run
 * later: DO blocks, function bodies, EXECUTE): reading strings as SQL can
 * only refuse more.
 */
function statementCascades(tokens: readonly Token[], matches: Matcher, depth: number): CascadeWrite | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'string' && depth < 4 && MAY_CASCADE.test(token.text)) {
      const inner = statementCascades(tokenize(token.text), matches, depth + 1);
      if (inner !== undefined) return inner;
      continue;
    }
    if (token.kind !== 'word') continue;
    if (token.text === 'truncate') {
      const end = statementEndFrom(tokens, i);
      let cascade = false;
      for (let j = i + 1; j < end; j++) if (isWordAt(tokens, j, 'cascade')) cascade = true;
      if (!cascade) continue;
      let at = isWordAt(tokens, i + 1, 'table') ? i + 2 : i + 1;
      for (;;) {
        const found = relationAt(tokens, at);
        if (found === undefined) break;
        // In code run later (a function body), an unqualified name may be in any schema.
        const path = reachOf(depth > 0 ? { ...found, searchPath: 'any' } : found, 'truncate', matches);
        if (path !== undefined) {
          const named = found.schema === undefined ? found.name : `${found.schema}.${found.name}`;
          return { table: path.readOnly, operation: `truncate of ${named} cascade (${path.how})` };
        }
        if (!(tokens[found.end]?.kind === 'symbol' && tokens[found.end]!.text === ',')) break;
        at = found.end + 1;
      }
    } else if (token.text === 'alter' && isWordAt(tokens, i + 1, 'table')) {
      let at = i + 2;
      if (isWordAt(tokens, at, 'if') && isWordAt(tokens, at + 1, 'exists')) at += 2;
      const found = relationAt(tokens, at);
      if (found === undefined) continue;
      const end = statementEndFrom(tokens, found.end);
      let referencesAt = -1;
      for (let j = found.end; j < end; j++) if (isWordAt(tokens, j, 'references')) referencesAt = j;
      if (referencesAt === -1) continue;
      const action = changingActionIn(tokens, found.end, end);
      if (action === undefined) continue;
      const added = addedForeignKeyTarget(depth > 0 ? { ...found, searchPath: 'any' } : found, matches);
      if (added !== undefined) return { table: added, operation: `alter table adding a foreign key with ${action}` };
    }
  }
  return undefined;
}

/** The read-only table a foreign key added to `target` would let app writes change: the table itself, or one its changes reach. */
function addedForeignKeyTarget(target: Pick<WriteTarget, 'schema' | 'name' | 'searchPath'>, matches: Matcher): PgTable | undefined {
  current();
  for (const table of tablesByName.get(target.name) ?? []) {
    if (matches(tableSchemaOf(table), target)) return table;
  }
  return (reachOf(target, 'delete', matches) ?? reachOf(target, 'update', matches))?.readOnly;
}

/**
 * Whether an `UPDATE <name> [[AS] alias] SET ...` in `sqlText` assigns one of
 * `columns` (`SET a = 1, (b, c) = (...)`); true when that cannot be read.
 */
function assignsAny(sqlText: string, name: string, columns: ReadonlySet<string>): boolean {
  const tokens = tokenize(sqlText);
  let found = false;
  for (let i = 0; i < tokens.length; i++) {
    if (!isWordAt(tokens, i, 'update')) continue;
    const target = relationAt(tokens, i + 1);
    if (target === undefined || target.name !== name) continue;
    let at = target.end;
    while (at < tokens.length && !isWordAt(tokens, at, 'set')) {
      if (tokens[at]!.kind === 'symbol') return true; // not the shape read here
      at++;
    }
    found = true;
    if (listAssignsAny(tokens, at, columns)) return true;
  }
  return !found;
}

/** Whether an `ON CONFLICT ... DO UPDATE SET ...` in `sqlText` assigns one of `columns`. */
function upsertAssignsAny(sqlText: string, columns: ReadonlySet<string>): boolean {
  const tokens = tokenize(sqlText);
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (isWordAt(tokens, i, 'do') && isWordAt(tokens, i + 1, 'update') && isWordAt(tokens, i + 2, 'set') && listAssignsAny(tokens, i + 2, columns)) return true;
  }
  return false;
}

/** Whether the assignment list after the `set` at `setAt` assigns one of `columns`. */
function listAssignsAny(tokens: readonly Token[], setAt: number, columns: ReadonlySet<string>): boolean {
  let at = setAt;
  // The assignment list, to FROM / WHERE / RETURNING / the end, at parenthesis depth 0.
  let depth = 0;
  let expectingColumn = true;
  for (at++; at < tokens.length; at++) {
    const token = tokens[at]!;
    if (token.kind === 'symbol') {
      if (token.text === '(') {
        if (depth === 0 && expectingColumn) {
          // `(a, b) = (...)`: every name up to the closing parenthesis is assigned.
          for (at++; at < tokens.length && !(tokens[at]!.kind === 'symbol' && tokens[at]!.text === ')'); at++) {
            const inner = tokens[at]!;
            if ((inner.kind === 'word' || inner.kind === 'identifier') && columns.has(inner.text)) return true;
          }
          expectingColumn = false;
          continue;
        }
        depth++;
      } else if (token.text === ')') {
        if (depth === 0) break;
        depth--;
      } else if (token.text === ',' && depth === 0) {
        expectingColumn = true;
      } else if (token.text === ';' && depth === 0) {
        break;
      }
      continue;
    }
    if (depth === 0 && token.kind === 'word' && (token.text === 'from' || token.text === 'where' || token.text === 'returning')) break;
    if (expectingColumn && depth === 0) {
      if ((token.kind === 'word' || token.kind === 'identifier') && columns.has(token.text)) return true;
      expectingColumn = false;
    }
  }
  return false;
}
