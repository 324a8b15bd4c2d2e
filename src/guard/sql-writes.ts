/**
 * Which tables a raw SQL text writes to. A small PostgreSQL tokenizer (not a
 * parser): comments, string literals and dollar-quoted bodies never count as
 * SQL, quoted identifiers keep their case, and the statements that change
 * table data (INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY ... FROM) yield
 * their target table, also inside CTEs. Code is read as SQL too: `DO` blocks
 * and the bodies of functions and procedures being created, and within code
 * every string literal (dynamic SQL for `EXECUTE`). Results are cached by
 * text, so a statement Drizzle sends again is never tokenized again.
 */
import { TextCache } from './text-cache.ts';

/** How a statement writes to a table. */
export type WriteOperation = 'insert' | 'update' | 'delete' | 'merge' | 'truncate' | 'copy from';

/** A table a statement writes to, as written in the text. */
export interface WriteTarget {
  readonly operation: WriteOperation;
  /** The schema, when the name is qualified. */
  readonly schema: string | undefined;
  readonly name: string;
}

type Token =
  | { readonly kind: 'word'; readonly text: string } // unquoted: folded to lower case, as PostgreSQL does
  | { readonly kind: 'identifier'; readonly text: string } // "quoted": exact
  | { readonly kind: 'string'; readonly text: string } // literal contents, kept for DO bodies
  | { readonly kind: 'symbol'; readonly text: string };

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(char)) {
      i++;
    } else if (char === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (char === '/' && next === '*') {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text.startsWith('/*', i)) (depth++, (i += 2));
        else if (text.startsWith('*/', i)) (depth--, (i += 2));
        else i++;
      }
    } else if (char === "'" || ((char === 'E' || char === 'e') && next === "'")) {
      const escapes = char !== "'";
      let j = escapes ? i + 2 : i + 1;
      let contents = '';
      while (j < text.length) {
        const c = text[j]!;
        if (escapes && c === '\\') {
          contents += text[j + 1] ?? '';
          j += 2;
        } else if (c === "'" && text[j + 1] === "'") {
          contents += "'";
          j += 2;
        } else if (c === "'") {
          j++;
          break;
        } else {
          contents += c;
          j++;
        }
      }
      tokens.push({ kind: 'string', text: contents });
      i = j;
    } else if (char === '"' || ((char === 'U' || char === 'u') && next === '&' && text[i + 2] === '"')) {
      let j = char === '"' ? i + 1 : i + 3;
      let name = '';
      while (j < text.length) {
        if (text[j] === '"' && text[j + 1] === '"') (name += '"'), (j += 2);
        else if (text[j] === '"') break;
        else name += text[j++];
      }
      tokens.push({ kind: 'identifier', text: name });
      i = j + 1;
    } else if (char === '$' && DOLLAR_TAG.test(text.slice(i, i + 64))) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64))![0];
      const end = text.indexOf(tag, i + tag.length);
      const stop = end === -1 ? text.length : end;
      tokens.push({ kind: 'string', text: text.slice(i + tag.length, stop) });
      i = end === -1 ? text.length : end + tag.length;
    } else if (WORD_START.test(char)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j).toLowerCase() });
      i = j;
    } else if (char === '$' || /[0-9]/.test(char)) {
      // Parameters ($1) and numbers: never names, skipped as one symbol.
      let j = i + 1;
      while (j < text.length && /[0-9.eE_]/.test(text[j]!)) j++;
      tokens.push({ kind: 'symbol', text: '0' });
      i = j;
    } else {
      tokens.push({ kind: 'symbol', text: char });
      i++;
    }
  }
  return tokens;
}

function isWord(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'word' && token.text === text;
}

function isSymbol(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'symbol' && token.text === text;
}

// Reserved words never name a table without quotes: `update` followed by one is
// not a table update (`on conflict do update set`, `... for update of t`).
const NOT_A_NAME = new Set(['set', 'on', 'or', 'from', 'where', 'of', 'nowait', 'skip', 'returning', 'only', 'table', 'select', 'values']);

/** A possibly qualified name at `at` (`t`, `s.t`, `"S"."t"`, `db.s.t`), and the index after it. */
function nameAt(tokens: readonly Token[], at: number): { schema: string | undefined; name: string; end: number } | undefined {
  const parts: string[] = [];
  let i = at;
  for (;;) {
    const token = tokens[i];
    if (token === undefined || (token.kind !== 'word' && token.kind !== 'identifier')) return undefined;
    if (token.kind === 'word' && parts.length === 0 && NOT_A_NAME.has(token.text)) return undefined;
    parts.push(token.text);
    i++;
    if (!isSymbol(tokens[i], '.')) break;
    i++;
  }
  const name = parts[parts.length - 1]!;
  return { schema: parts.length > 1 ? parts[parts.length - 2] : undefined, name, end: i };
}

function skipWord(tokens: readonly Token[], at: number, word: string): number {
  return isWord(tokens[at], word) ? at + 1 : at;
}

// `update` that is not a statement: row locks (`for update`, `for no key update`)
// and the actions of `on conflict do update` / `merge ... then update`.
const UPDATE_NOT_A_STATEMENT_AFTER = new Set(['for', 'key', 'do', 'then']);

/** The index of the `;` ending the statement at `from` (or the end). */
function statementEnd(tokens: readonly Token[], from: number): number {
  let at = from;
  while (at < tokens.length && !isSymbol(tokens[at], ';')) at++;
  return at;
}

/**
 * `text`'s targets, in order of appearance. Inside code (all of `text` when
 * `code`, else a DO block or a function or procedure being created) string
 * literals may be SQL run later, so they are read as code too.
 */
function targetsIn(text: string, code = false): WriteTarget[] {
  const tokens = tokenize(text);
  const targets: WriteTarget[] = [];
  let codeEnd = code ? tokens.length : -1;
  const add = (operation: WriteOperation, at: number): number => {
    const found = nameAt(tokens, at);
    if (found === undefined) return at;
    targets.push({ operation, schema: found.schema, name: found.name });
    return found.end;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'string' && i < codeEnd) targets.push(...targetsIn(token.text, true));
    if (token.kind !== 'word') continue;
    const previous = tokens[i - 1];
    switch (token.text) {
      case 'insert':
        if (isWord(tokens[i + 1], 'into')) add('insert', i + 2);
        break;
      case 'delete':
        if (isWord(tokens[i + 1], 'from')) add('delete', skipWord(tokens, i + 2, 'only'));
        break;
      case 'update':
        if (previous?.kind === 'word' && UPDATE_NOT_A_STATEMENT_AFTER.has(previous.text)) break;
        add('update', skipWord(tokens, i + 1, 'only'));
        break;
      case 'merge':
        if (isWord(tokens[i + 1], 'into')) add('merge', skipWord(tokens, i + 2, 'only'));
        break;
      case 'truncate': {
        // TRUNCATE [TABLE] [ONLY] a [*] [, [ONLY] b [*]] ...
        let at = skipWord(tokens, i + 1, 'table');
        for (;;) {
          const end = add('truncate', skipWord(tokens, at, 'only'));
          if (end === at) break;
          at = isSymbol(tokens[end], '*') ? end + 1 : end;
          if (!isSymbol(tokens[at], ',')) break;
          at++;
        }
        break;
      }
      case 'copy': {
        // COPY t [(columns)] FROM ...; `COPY (query) TO` only reads (its query is scanned anyway).
        const found = nameAt(tokens, i + 1);
        if (found === undefined) break;
        let at = found.end;
        if (isSymbol(tokens[at], '(')) {
          while (at < tokens.length && !isSymbol(tokens[at], ')')) at++;
          at++;
        }
        if (isWord(tokens[at], 'from')) targets.push({ operation: 'copy from', schema: found.schema, name: found.name });
        break;
      }
      case 'do': {
        // An anonymous code block runs its body (`do [language l] 'body'`).
        if (previous !== undefined && !isSymbol(previous, ';')) break;
        codeEnd = Math.max(codeEnd, statementEnd(tokens, i + 1));
        break;
      }
      case 'create': {
        // A function or procedure runs its body later (`create [or replace] function|procedure ... as 'body'`);
        // a `begin atomic` body is plain SQL, scanned as the text goes on.
        const kind = tokens[isWord(tokens[i + 1], 'or') ? i + 3 : i + 1];
        if (isWord(kind, 'function') || isWord(kind, 'procedure')) codeEnd = Math.max(codeEnd, statementEnd(tokens, i + 1));
        break;
      }
    }
  }
  return targets;
}

/** How many distinct statement texts keep their parse (oldest forgotten first). */
export const WRITE_TARGETS_CACHE_SIZE = 1000;

const cache = new TextCache<readonly WriteTarget[]>(WRITE_TARGETS_CACHE_SIZE);
const NONE: readonly WriteTarget[] = Object.freeze([]);

/**
 * The tables `sqlText` writes to, in order of appearance. Tokenizes each
 * distinct text once; the last {@link WRITE_TARGETS_CACHE_SIZE} texts stay cached.
 *
 * @example
 * writeTargetsOf('with d as (delete from salesforce."user" returning id) select * from d');
 * // [{ operation: 'delete', schema: 'salesforce', name: 'user' }]
 */
export function writeTargetsOf(sqlText: string): readonly WriteTarget[] {
  let targets = cache.get(sqlText);
  if (targets === undefined) {
    const found = targetsIn(sqlText);
    targets = found.length === 0 ? NONE : Object.freeze(found);
    cache.set(sqlText, targets);
  }
  return targets;
}
