/**
 * Which tables a raw SQL text writes to. The text is read by a copy of
 * PostgreSQL's lexer (sql-lexer.ts), so comments, string literals and
 * dollar-quoted bodies never count as SQL, escapes are decoded and names are
 * folded and truncated as the server does; then the statements that change
 * table data (INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY ... FROM) yield
 * their target table, also inside CTEs, rule actions and plpgsql blocks.
 * A plain EXPLAIN runs nothing, so what it explains is skipped; EXPLAIN
 * ANALYZE runs it. Code is read as SQL too: `DO` blocks, the bodies of
 * functions and procedures being created, the SQL argument of dblink's
 * calls, and within code every string literal but a RAISE/ASSERT message
 * (dynamic SQL for `EXECUTE`).
 *
 * A text holding a backslash is read twice, with standard_conforming_strings
 * on and off, and writes under either reading count: the guard does not know
 * the session's setting.
 *
 * The text also tells what it does to the search_path (SET search_path,
 * set_config, SET ROLE for `"$user"`), so unqualified names can be resolved
 * the way the session resolves them. Results are cached by text.
 */
import { readsDifferentlyWithoutStandardStrings, tokenize, type Token } from './sql-lexer.ts';
import { TextCache } from './text-cache.ts';

/** How a statement writes to a table. */
export type WriteOperation = 'insert' | 'update' | 'delete' | 'merge' | 'truncate' | 'copy from';

/** A table a statement writes to, as written in the text. */
export interface WriteTarget {
  readonly operation: WriteOperation;
  /** The schema, when the name is qualified. */
  readonly schema: string | undefined;
  readonly name: string;
  /**
   * Where an unqualified name resolves. Absent: the session's search_path
   * when the statement runs. `'any'`: the body of a function or procedure
   * created for later, run with the search_path of its caller (or its own
   * SET clause, which ALTER FUNCTION may change), so any schema.
   */
  readonly searchPath?: 'any';
}

/** What a text does to the session's search_path. */
export interface SearchPathChange {
  /** Schemas (and roles, for `"$user"`) the text may put on the session's search_path. */
  readonly schemas: readonly string[];
  /** The text sets the search_path (or the role) to a value computed at run time. */
  readonly unknown: boolean;
}

/** A text's writes and what it does to the search_path. */
export interface SqlReading {
  readonly targets: readonly WriteTarget[];
  readonly searchPath: SearchPathChange;
}

type Resolution = WriteTarget['searchPath'];

// PostgreSQL's reserved and type/function-name keywords (pg_get_keywords() catcode R and T):
// unquoted, none of them starts a table name.
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column ' +
    'concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from ' +
    'full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime ' +
    'localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning right ' +
    'select session_user similar some symmetric table tablesample then to trailing true union unique user using variadic ' +
    'verbose when where window with'
  ).split(' '),
);

function isWord(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'word' && token.text === text;
}

function isSymbol(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'symbol' && token.text === text;
}

/** A possibly qualified name at `at` (`t`, `s.t`, `"S"."t"`, `db.s.t`), and the index after it. */
function nameAt(tokens: readonly Token[], at: number): { schema: string | undefined; name: string; end: number } | undefined {
  const parts: string[] = [];
  let i = at;
  for (;;) {
    const token = tokens[i];
    if (token === undefined || (token.kind !== 'word' && token.kind !== 'identifier')) return undefined;
    // After a dot any keyword is a name (attr_name is a ColLabel).
    if (token.kind === 'word' && parts.length === 0 && RESERVED.has(token.text)) return undefined;
    parts.push(token.text);
    i++;
    if (!isSymbol(tokens[i], '.')) break;
    i++;
  }
  const name = parts[parts.length - 1]!;
  return { schema: parts.length > 1 ? parts[parts.length - 2] : undefined, name, end: i };
}

/** A relation_expr at `at`: `name`, `name *`, `only name`, `only (name)`. */
function relationAt(tokens: readonly Token[], at: number): { schema: string | undefined; name: string; end: number } | undefined {
  let i = at;
  if (isWord(tokens[i], 'only')) {
    i++;
    if (isSymbol(tokens[i], '(')) {
      const found = nameAt(tokens, i + 1);
      return found !== undefined && isSymbol(tokens[found.end], ')') ? { ...found, end: found.end + 1 } : undefined;
    }
  }
  const found = nameAt(tokens, i);
  if (found === undefined) return undefined;
  return isSymbol(tokens[found.end], '*') ? { ...found, end: found.end + 1 } : found;
}

/**
 * `update` at `at - 1` begins an UPDATE statement when what follows is
 * `[only] table [*] [[as] alias] set`. Row locks (`for [no key] update [of t]`),
 * the actions of `on conflict do update set` and of `merge ... then update set`,
 * and `on update cascade` / `before update on` are not of that shape.
 */
function updateTargetAt(tokens: readonly Token[], at: number): ReturnType<typeof relationAt> {
  const found = relationAt(tokens, at);
  if (found === undefined) return undefined;
  let i = found.end;
  if (isWord(tokens[i], 'as')) i += 2;
  else if (tokens[i]?.kind === 'identifier' || (tokens[i]?.kind === 'word' && tokens[i]!.text !== 'set' && !RESERVED.has(tokens[i]!.text))) i++;
  return isWord(tokens[i], 'set') ? found : undefined;
}

/** The index of the `;` ending the statement at `from` (or the end). */
function statementEnd(tokens: readonly Token[], from: number): number {
  let at = from;
  while (at < tokens.length && !isSymbol(tokens[at], ';')) at++;
  return at;
}

// Words after which a plpgsql or SQL statement begins (besides `;` and the start).
const STATEMENT_START_AFTER = new Set(['begin', 'then', 'else', 'loop', 'in', 'query']);

function startsStatement(tokens: readonly Token[], at: number): boolean {
  const previous = tokens[at - 1];
  return previous === undefined || isSymbol(previous, ';') || (previous.kind === 'word' && STATEMENT_START_AFTER.has(previous.text));
}

/**
 * For `explain` at `at`: the index where the explained statement ends when
 * EXPLAIN runs nothing (no ANALYZE, or ANALYZE false/off), else undefined.
 */
function plainExplainEnd(tokens: readonly Token[], at: number): number | undefined {
  let i = at + 1;
  if (isSymbol(tokens[i], '(')) {
    i++;
    while (i < tokens.length && !isSymbol(tokens[i], ')')) {
      const option = tokens[i]!;
      if (option.kind === 'word' && (option.text === 'analyze' || option.text === 'analyse')) {
        const value = tokens[i + 1];
        const off =
          value !== undefined &&
          (value.kind === 'word' || value.kind === 'string') &&
          ['false', 'off'].includes(value.text.toLowerCase());
        if (!off) return undefined;
      }
      while (i < tokens.length && !isSymbol(tokens[i], ',') && !isSymbol(tokens[i], ')')) i++;
      if (isSymbol(tokens[i], ',')) i++;
    }
  } else if (isWord(tokens[i], 'analyze') || isWord(tokens[i], 'analyse')) {
    return undefined;
  }
  // The explained statement ends at `;`, or at `loop` in `for r in explain ... loop`.
  while (i < tokens.length && !isSymbol(tokens[i], ';') && !isWord(tokens[i], 'loop')) i++;
  return i;
}

const RAISE_LEVELS = new Set(['debug', 'log', 'info', 'notice', 'warning', 'exception']);
const RAISE_OPTIONS = new Set(['message', 'detail', 'hint', 'errcode', 'column', 'constraint', 'datatype', 'table', 'schema']);

/**
 * The string literals of a plpgsql RAISE or ASSERT at `at` that are message
 * text, never run: RAISE's format, its `USING option = 'text'` values, and
 * ASSERT's message. Arguments stay code (they may reach EXECUTE).
 */
function messageStrings(tokens: readonly Token[], at: number, found: Set<number>): void {
  const end = statementEnd(tokens, at);
  const isWhole = (i: number) => tokens[i]?.kind === 'string' && (i + 1 === end || isSymbol(tokens[i + 1], ',') || isWord(tokens[i + 1], 'using'));
  if (isWord(tokens[at], 'raise')) {
    let i = at + 1;
    if (tokens[i]?.kind === 'word' && RAISE_LEVELS.has(tokens[i]!.text)) i++;
    if (isWhole(i)) found.add(i);
    for (; i < end; i++) {
      if (!isWord(tokens[i], 'using')) continue;
      for (let j = i + 1; j < end; j++) {
        const option = tokens[j]!;
        if (option.kind !== 'word' || !RAISE_OPTIONS.has(option.text)) continue;
        let value = j + 1;
        if (isSymbol(tokens[value], ':')) value++;
        if (isSymbol(tokens[value], '=') && isWhole(value + 1)) found.add(value + 1);
      }
      break;
    }
  } else if (end - 1 > at && tokens[end - 1]?.kind === 'string' && isSymbol(tokens[end - 2], ',')) {
    found.add(end - 1); // assert condition, 'message'
  }
}

/** A search_path value as a list (`'a, "B"'` -> a, B). */
function pathElements(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .map((part) => (part.startsWith('"') && part.endsWith('"') && part.length > 1 ? part.slice(1, -1).replaceAll('""', '"') : part.toLowerCase()))
    .filter((part) => part !== '');
}

/**
 * The values of `set ... search_path to|= v [, v]` with `search_path` at
 * `at`: the schemas named, and the index after them. `default` stands for
 * PostgreSQL's default (`"$user", public`).
 */
function setValuesAt(tokens: readonly Token[], at: number): { schemas: string[]; end: number } {
  const schemas: string[] = [];
  let i = at + 1;
  if (!isWord(tokens[i], 'to') && !isSymbol(tokens[i], '=')) return { schemas, end: i };
  i++;
  for (;;) {
    const value = tokens[i];
    if (value === undefined) break;
    if (value.kind === 'word' && value.text === 'default') schemas.push('$user', 'public');
    else if (value.kind === 'word' || value.kind === 'identifier') schemas.push(value.text);
    else if (value.kind === 'string') schemas.push(...pathElements(value.text));
    else if (!isSymbol(value, '0')) break;
    i++;
    if (!isSymbol(tokens[i], ',')) break;
    i++;
  }
  return { schemas, end: i };
}

interface Accumulator {
  readonly targets: WriteTarget[];
  readonly schemas: string[];
  unknown: boolean;
}

/**
 * Read `tokens`: targets, and search_path changes, into `out`. Inside code
 * (all of it when `code`, else a DO block or a function or procedure being
 * created) string literals may be SQL run later, so they are read as code too.
 * `path` is how unqualified names in this text resolve.
 */
function readTokens(tokens: readonly Token[], code: boolean, path: Resolution, out: Accumulator): void {
  let codeEnd = code ? tokens.length : -1;
  let bodyPath: Resolution = path;
  let skipUntil = -1;
  const messages = new Set<number>();
  const add = (operation: WriteOperation, found: ReturnType<typeof nameAt>): number | undefined => {
    if (found === undefined) return undefined;
    const target: WriteTarget = { operation, schema: found.schema, name: found.name };
    out.targets.push(found.schema === undefined && path !== undefined ? { ...target, searchPath: path } : target);
    return found.end;
  };
  for (let i = 0; i < tokens.length; i++) {
    if (i < skipUntil) continue;
    const token = tokens[i]!;
    if (token.kind === 'string') {
      if (i < codeEnd && !messages.has(i)) readText(token.text, true, bodyPath, out);
      continue;
    }
    if (token.kind === 'identifier' && token.text === 'search_path' && (isWord(tokens[i - 1], 'set') || isWord(tokens[i - 2], 'set'))) {
      out.schemas.push(...setValuesAt(tokens, i).schemas);
      continue;
    }
    // Keywords are words; a function name may be quoted (`"set_config"(...)`).
    if (token.kind !== 'word' && !(token.kind === 'identifier' && token.text === 'set_config')) continue;
    switch (token.text) {
      case 'insert':
        if (isWord(tokens[i + 1], 'into')) add('insert', nameAt(tokens, i + 2));
        break;
      case 'delete':
        if (isWord(tokens[i + 1], 'from')) add('delete', relationAt(tokens, i + 2));
        break;
      case 'update':
        add('update', updateTargetAt(tokens, i + 1));
        break;
      case 'merge':
        if (isWord(tokens[i + 1], 'into')) add('merge', relationAt(tokens, i + 2));
        break;
      case 'truncate': {
        // TRUNCATE [TABLE] a [, b] ... with relation_exprs.
        let at = isWord(tokens[i + 1], 'table') ? i + 2 : i + 1;
        for (;;) {
          const end = add('truncate', relationAt(tokens, at));
          if (end === undefined || !isSymbol(tokens[end], ',')) break;
          at = end + 1;
        }
        break;
      }
      case 'copy': {
        // COPY [BINARY] t [(columns)] FROM ...; `COPY (query) TO` only reads (its query is scanned anyway).
        const found = nameAt(tokens, isWord(tokens[i + 1], 'binary') ? i + 2 : i + 1);
        if (found === undefined) break;
        let at = found.end;
        if (isSymbol(tokens[at], '(')) {
          while (at < tokens.length && !isSymbol(tokens[at], ')')) at++;
          at++;
        }
        if (isWord(tokens[at], 'from')) add('copy from', found);
        break;
      }
      case 'explain': {
        if (!startsStatement(tokens, i)) break;
        const end = plainExplainEnd(tokens, i);
        if (end !== undefined) skipUntil = end;
        break;
      }
      case 'raise':
      case 'assert':
        if (i < codeEnd && startsStatement(tokens, i)) messageStrings(tokens, i, messages);
        break;
      case 'do': {
        // An anonymous code block runs its body now (`do [language l] 'body'`).
        if (!startsStatement(tokens, i)) break;
        codeEnd = Math.max(codeEnd, statementEnd(tokens, i + 1));
        bodyPath = path;
        break;
      }
      case 'create': {
        // A function or procedure runs its body later, with whatever search_path it has then: its caller's,
        // or its own SET clause, which ALTER FUNCTION can change or reset, so an unqualified name may be in
        // any schema (`create [or replace] function|procedure ... as 'body'`). A `begin atomic` or `return`
        // body is plain SQL whose names are bound now, scanned as the text goes on.
        const kind = tokens[isWord(tokens[i + 1], 'or') ? i + 3 : i + 1];
        if (!isWord(kind, 'function') && !isWord(kind, 'procedure')) break;
        codeEnd = Math.max(codeEnd, statementEnd(tokens, i + 1));
        bodyPath = 'any';
        break;
      }
      case 'dblink':
      case 'dblink_exec':
      case 'dblink_send_query':
      case 'dblink_open': {
        // dblink runs its SQL argument on a connection of its own, possibly to this database: read the call's strings as code.
        if (!isSymbol(tokens[i + 1], '(')) break;
        let depth = 0;
        let end = i + 1;
        for (; end < tokens.length; end++) {
          if (isSymbol(tokens[end], '(')) depth++;
          else if (isSymbol(tokens[end], ')') && --depth === 0) break;
        }
        if (end > codeEnd) {
          codeEnd = end;
          bodyPath = 'any';
        }
        break;
      }
      case 'search_path':
        // SET [SESSION|LOCAL] search_path, ALTER ROLE|DATABASE|FUNCTION ... SET search_path, SET clauses of functions.
        if (isWord(tokens[i - 1], 'set') || isWord(tokens[i - 2], 'set')) out.schemas.push(...setValuesAt(tokens, i).schemas);
        break;
      case 'role':
      case 'authorization': {
        // SET [SESSION|LOCAL] ROLE r, SET SESSION AUTHORIZATION r: `"$user"` becomes r.
        const isSet = isWord(tokens[i - 1], 'set') || isWord(tokens[i - 2], 'set');
        if (!isSet || (token.text === 'authorization' && !isWord(tokens[i - 1], 'session'))) break;
        const value = tokens[i + 1];
        if (value?.kind === 'word' || value?.kind === 'identifier' || value?.kind === 'string') out.schemas.push(value.text);
        break;
      }
      case 'set_config': {
        // set_config('search_path' | 'role' | ..., value, local): read literal arguments, else unknown.
        if (!isSymbol(tokens[i + 1], '(')) break;
        const setting = tokens[i + 2];
        const value = tokens[i + 4];
        if (setting?.kind !== 'string') {
          out.unknown = true;
          break;
        }
        const name = setting.text.trim().toLowerCase();
        if (name !== 'search_path' && name !== 'role' && name !== 'session_authorization') break;
        if (!isSymbol(tokens[i + 3], ',') || value?.kind !== 'string') out.unknown = true;
        else out.schemas.push(...(name === 'search_path' ? pathElements(value.text) : [value.text]));
        break;
      }
    }
  }
}

/** Read `text` (as code when `code`) under both readings of backslashes when they differ. */
function readText(text: string, code: boolean, path: Resolution, out: Accumulator): void {
  readTokens(tokenize(text, true), code, path, out);
  if (readsDifferentlyWithoutStandardStrings(text)) readTokens(tokenize(text, false), code, path, out);
}

/** Each target once, in order of first appearance. */
function distinct(targets: readonly WriteTarget[]): WriteTarget[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const key = `${target.operation}\u0000${target.schema ?? ''}\u0000${target.name}\u0000${String(target.searchPath ?? '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How many distinct statement texts keep their parse (oldest forgotten first). */
export const WRITE_TARGETS_CACHE_SIZE = 1000;

const cache = new TextCache<SqlReading>(WRITE_TARGETS_CACHE_SIZE);
const NO_TARGETS: readonly WriteTarget[] = Object.freeze([]);
/** The change of a text that leaves the search_path alone (one object: compare by identity). */
export const NO_SEARCH_PATH_CHANGE: SearchPathChange = Object.freeze({ schemas: Object.freeze([]) as readonly string[], unknown: false });
const NOTHING: SqlReading = Object.freeze({ targets: NO_TARGETS, searchPath: NO_SEARCH_PATH_CHANGE });

/**
 * A text without any of these (in any case) writes nothing and leaves the
 * search_path alone: keywords cannot be escaped, split by a comment or spelled
 * with other letters (PostgreSQL folds ASCII only), code bodies need `do` or
 * `create`, and a name spelled with escapes needs `U&`. Most reads skip the lexer.
 */
const MAY_WRITE = /insert|update|delete|merge|truncate|copy|do|create|search_path|set_config|role|authorization|dblink|u&/i;

/** The writes in `sqlText` and what it does to the search_path; each distinct text is read once while cached. */
export function readSql(sqlText: string): SqlReading {
  let reading = cache.get(sqlText);
  if (reading === undefined && !MAY_WRITE.test(sqlText)) reading = NOTHING;
  if (reading === undefined) {
    const out: Accumulator = { targets: [], schemas: [], unknown: false };
    readText(sqlText, false, undefined, out);
    reading =
      out.targets.length === 0 && out.schemas.length === 0 && !out.unknown
        ? NOTHING
        : Object.freeze({
            targets: out.targets.length === 0 ? NO_TARGETS : Object.freeze(distinct(out.targets)),
            searchPath: out.schemas.length === 0 && !out.unknown ? NO_SEARCH_PATH_CHANGE : Object.freeze({ schemas: Object.freeze([...new Set(out.schemas)]), unknown: out.unknown }),
          });
    cache.set(sqlText, reading);
  }
  return reading;
}

/**
 * The tables `sqlText` writes to, in order of appearance. Tokenizes each
 * distinct text once; the last {@link WRITE_TARGETS_CACHE_SIZE} texts stay cached.
 *
 * @example
 * writeTargetsOf('with d as (delete from salesforce."user" returning id) select * from d');
 * // [{ operation: 'delete', schema: 'salesforce', name: 'user' }]
 */
export function writeTargetsOf(sqlText: string): readonly WriteTarget[] {
  return readSql(sqlText).targets;
}
