/**
 * The SOQL the emulator answers: `SELECT fields | COUNT() FROM Object
 * [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET n]`, with `=`, `!=`, `<>`,
 * `<`, `<=`, `>`, `>=`, `LIKE`, `IN`, `NOT IN`, `INCLUDES`, `EXCLUDES`,
 * `AND`, `OR`, `NOT`, parentheses, and string, number, boolean, null, date,
 * datetime and date-literal (TODAY, LAST_N_DAYS:n, ...) values. Field names
 * are case-insensitive; text compares case-insensitively, as Salesforce does.
 * Bad syntax is MALFORMED_QUERY, an unknown object INVALID_TYPE, an unknown
 * field INVALID_FIELD, with Salesforce's row/column pointer.
 */
import { SalesforceApiError } from './errors.ts';
import type { OrgField, OrgObject } from './objects.ts';
import { parseDateTime, type FieldValue, type RecordFields } from './values.ts';

type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'date'; readonly value: string }
  | { readonly kind: 'datetime'; readonly value: number }
  /** A date literal: the [start, end) range of days it covers, in UTC. */
  | { readonly kind: 'range'; readonly start: number; readonly end: number; readonly text: string };

type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'compare'; readonly field: OrgField; readonly operator: string; readonly values: readonly Literal[] };

/** A parsed query. */
export interface SoqlQuery {
  readonly object: OrgObject;
  /** The selected fields, in order; empty for `COUNT()`. */
  readonly fields: readonly OrgField[];
  readonly count: boolean;
  readonly where?: Condition;
  readonly orderBy: readonly { readonly field: OrgField; readonly descending: boolean; readonly nullsLast: boolean }[];
  readonly limit?: number;
  readonly offset?: number;
}

interface Token {
  readonly kind: 'word' | 'string' | 'number' | 'date' | 'datetime' | 'symbol' | 'end';
  readonly text: string;
  readonly at: number;
}

const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'INCLUDES', 'EXCLUDES']);

function malformed(query: string, at: number, message: string): SalesforceApiError {
  return new SalesforceApiError(400, [{ errorCode: 'MALFORMED_QUERY', message: pointer(query, at, message), fields: [] }]);
}

/** Salesforce's error text: the query's line, a caret, and where. */
function pointer(query: string, at: number, message: string): string {
  const before = query.slice(0, at);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = query.slice(lineStart).split('\n')[0] ?? '';
  const column = at - lineStart + 1;
  return `\n${line}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:${row}:Column:${column}\n${message}`;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < query.length) {
    const char = query[at]!;
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    const rest = query.slice(at);
    const date = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))?/.exec(rest);
    if (date !== null) {
      tokens.push({ kind: date[0].length > 10 ? 'datetime' : 'date', text: date[0], at });
      at += date[0].length;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?/.exec(rest);
    if (number !== null) {
      tokens.push({ kind: 'number', text: number[0], at });
      at += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*(?::\d+)?/.exec(rest);
    if (word !== null) {
      tokens.push({ kind: 'word', text: word[0], at });
      at += word[0].length;
      continue;
    }
    if (char === "'") {
      let value = '';
      let end = at + 1;
      for (; end < query.length; end++) {
        const next = query[end]!;
        if (next === "'") break;
        if (next === '\\') {
          const escaped = query[++end];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', _: '\\_', '%': '\\%' };
          if (escaped === undefined || map[escaped] === undefined) throw malformed(query, end, 'Invalid string literal: bad escape sequence');
          value += map[escaped];
        } else {
          value += next;
        }
      }
      if (end >= query.length) throw malformed(query, at, 'unexpected token: unterminated string');
      tokens.push({ kind: 'string', text: value, at });
      at = end + 1;
      continue;
    }
    const symbol = /^(?:<=|>=|!=|<>|[=<>(),.*])/.exec(rest);
    if (symbol !== null) {
      tokens.push({ kind: 'symbol', text: symbol[0], at });
      at += symbol[0].length;
      continue;
    }
    throw malformed(query, at, `unexpected token: '${char}'`);
  }
  tokens.push({ kind: 'end', text: '<EOF>', at: query.length });
  return tokens;
}

const DAY = 86_400_000;

function startOfDay(time: number): number {
  return Math.floor(time / DAY) * DAY;
}

/** TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n, THIS_WEEK, THIS_MONTH, THIS_YEAR (UTC). */
function dateLiteral(text: string, now: number): Literal | undefined {
  const today = startOfDay(now);
  const upper = text.toUpperCase();
  const range = (start: number, end: number): Literal => ({ kind: 'range', start, end, text });
  const n = /^(LAST|NEXT)_N_DAYS:(\d+)$/.exec(upper);
  if (n !== null) {
    const days = Number(n[2]);
    return n[1] === 'LAST' ? range(today - (days - 1) * DAY, today + DAY) : range(today, today + (days + 1) * DAY);
  }
  const date = new Date(today);
  switch (upper) {
    case 'TODAY':
      return range(today, today + DAY);
    case 'YESTERDAY':
      return range(today - DAY, today);
    case 'TOMORROW':
      return range(today + DAY, today + 2 * DAY);
    case 'THIS_WEEK': {
      const start = today - date.getUTCDay() * DAY;
      return range(start, start + 7 * DAY);
    }
    case 'THIS_MONTH':
      return range(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
    case 'THIS_YEAR':
      return range(Date.UTC(date.getUTCFullYear(), 0, 1), Date.UTC(date.getUTCFullYear() + 1, 0, 1));
    default:
      return undefined;
  }
}

/**
 * Parse `query` against the org's objects.
 *
 * @throws {SalesforceApiError} MALFORMED_QUERY, INVALID_TYPE or INVALID_FIELD, as Salesforce answers.
 */
export function parseSoql(query: string, objectNamed: (name: string) => OrgObject | undefined, now = Date.now()): SoqlQuery {
  const tokens = tokenize(query);
  let position = 0;
  const peek = () => tokens[position]!;
  const next = () => tokens[position++]!;
  const isWord = (token: Token, word: string) => token.kind === 'word' && token.text.toUpperCase() === word;
  const expectWord = (word: string) => {
    const token = next();
    if (!isWord(token, word)) throw malformed(query, token.at, `unexpected token: '${token.text}'`);
  };
  const expectSymbol = (symbol: string) => {
    const token = next();
    if (token.kind !== 'symbol' || token.text !== symbol) throw malformed(query, token.at, `unexpected token: '${token.text}'`);
  };

  expectWord('SELECT');
  const selected: Token[] = [];
  let count = false;
  if (isWord(peek(), 'COUNT') && tokens[position + 1]?.text === '(') {
    next();
    next();
    expectSymbol(')');
    count = true;
  } else {
    do {
      const token = next();
      if (token.kind !== 'word' || KEYWORDS.has(token.text.toUpperCase())) throw malformed(query, token.at, `unexpected token: '${token.text}'`);
      if (peek().text === '.') throw invalidField(query, token.at, `Relationship fields such as ${token.text}.${tokens[position + 1]?.text ?? ''} are not supported by the hc-drizzle emulator`);
      selected.push(token);
    } while (peek().text === ',' && next());
  }
  expectWord('FROM');
  const objectToken = next();
  if (objectToken.kind !== 'word') throw malformed(query, objectToken.at, `unexpected token: '${objectToken.text}'`);
  const object = objectNamed(objectToken.text);
  if (object === undefined) {
    throw new SalesforceApiError(400, [
      {
        errorCode: 'INVALID_TYPE',
        message: pointer(query, objectToken.at, `sObject type '${objectToken.text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`),
        fields: [],
      },
    ]);
  }
  const fieldOf = (token: Token): OrgField => {
    if (token.kind !== 'word') throw malformed(query, token.at, `unexpected token: '${token.text}'`);
    const field = object.field(token.text);
    if (field === undefined) {
      throw invalidField(
        query,
        token.at,
        `No such column '${token.text}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return field;
  };
  const fields = selected.map(fieldOf);

  const literal = (): Literal => {
    const token = next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text };
      case 'number':
        return { kind: 'number', value: Number(token.text) };
      case 'date':
        return { kind: 'date', value: token.text };
      case 'datetime':
        return { kind: 'datetime', value: parseDateTime(token.text)!.getTime() };
      case 'word': {
        const upper = token.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
        if (upper === 'NULL') return { kind: 'null' };
        const date = dateLiteral(token.text, now);
        if (date !== undefined) return date;
        break;
      }
    }
    throw malformed(query, token.at, `unexpected token: '${token.text}'`);
  };
  const checkType = (field: OrgField, value: Literal, at: number) => {
    if (value.kind === 'null') return;
    const numeric = ['double', 'currency', 'percent', 'int'].includes(field.type);
    const temporal = field.type === 'date' || field.type === 'datetime';
    const fits = numeric
      ? value.kind === 'number'
      : field.type === 'boolean'
        ? value.kind === 'boolean'
        : temporal
          ? value.kind === 'date' || value.kind === 'datetime' || value.kind === 'range'
          : value.kind === 'string';
    if (!fits) {
      const type = numeric ? 'number' : field.type === 'boolean' ? 'boolean' : field.type === 'date' ? 'date' : field.type === 'datetime' ? 'dateTime' : 'string';
      const hint = temporal || numeric || field.type === 'boolean' ? ' and should not be enclosed in quotes' : '';
      throw invalidField(query, at, `value of filter criterion for field '${field.name}' must be of type ${type}${hint}`);
    }
  };

  const primary = (): Condition => {
    if (peek().text === '(') {
      next();
      const inner = orCondition();
      expectSymbol(')');
      return inner;
    }
    if (isWord(peek(), 'NOT')) {
      next();
      return { kind: 'not', operand: primary() };
    }
    const fieldToken = next();
    const field = fieldOf(fieldToken);
    const operatorToken = next();
    let operator = operatorToken.text.toUpperCase();
    if (operator === 'NOT' && isWord(peek(), 'IN')) {
      next();
      operator = 'NOT IN';
    }
    if (['IN', 'NOT IN', 'INCLUDES', 'EXCLUDES'].includes(operator)) {
      expectSymbol('(');
      const values: Literal[] = [];
      do {
        const at = peek().at;
        const value = literal();
        checkType(field, value, at);
        values.push(value);
      } while (peek().text === ',' && next());
      expectSymbol(')');
      return { kind: 'compare', field, operator, values };
    }
    if (!['=', '!=', '<>', '<', '<=', '>', '>=', 'LIKE'].includes(operator)) throw malformed(query, operatorToken.at, `unexpected token: '${operatorToken.text}'`);
    const at = peek().at;
    const value = literal();
    if (operator === 'LIKE' && value.kind !== 'string') throw invalidField(query, at, `invalid operator on field '${field.name}': LIKE takes a string`);
    checkType(field, value, at);
    return { kind: 'compare', field, operator: operator === '<>' ? '!=' : operator, values: [value] };
  };
  const andCondition = (): Condition => {
    let left = primary();
    while (isWord(peek(), 'AND')) {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const orCondition = (): Condition => {
    let left = andCondition();
    while (isWord(peek(), 'OR')) {
      next();
      left = { kind: 'or', left, right: andCondition() };
    }
    return left;
  };

  let where: Condition | undefined;
  if (isWord(peek(), 'WHERE')) {
    next();
    where = orCondition();
  }
  const orderBy: { field: OrgField; descending: boolean; nullsLast: boolean }[] = [];
  if (isWord(peek(), 'ORDER')) {
    next();
    expectWord('BY');
    do {
      const field = fieldOf(next());
      let descending = false;
      if (isWord(peek(), 'ASC') || isWord(peek(), 'DESC')) descending = next().text.toUpperCase() === 'DESC';
      let nullsLast = descending;
      if (isWord(peek(), 'NULLS')) {
        next();
        const which = next();
        if (!isWord(which, 'FIRST') && !isWord(which, 'LAST')) throw malformed(query, which.at, `unexpected token: '${which.text}'`);
        nullsLast = which.text.toUpperCase() === 'LAST';
      }
      orderBy.push({ field, descending, nullsLast });
    } while (peek().text === ',' && next());
  }
  const integer = (): number => {
    const token = next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw malformed(query, token.at, `unexpected token: '${token.text}'`);
    return Number(token.text);
  };
  let limit: number | undefined;
  let offset: number | undefined;
  if (isWord(peek(), 'LIMIT')) {
    next();
    limit = integer();
  }
  if (isWord(peek(), 'OFFSET')) {
    next();
    offset = integer();
  }
  const end = peek();
  if (end.kind !== 'end') throw malformed(query, end.at, `unexpected token: '${end.text}'`);
  return { object, fields, count, ...(where === undefined ? {} : { where }), orderBy, ...(limit === undefined ? {} : { limit }), ...(offset === undefined ? {} : { offset }) };
}

function invalidField(query: string, at: number, message: string): SalesforceApiError {
  return new SalesforceApiError(400, [{ errorCode: 'INVALID_FIELD', message: pointer(query, at, message), fields: [] }]);
}

/** A value made comparable: numbers and times as numbers, text lower-cased. */
function comparable(field: OrgField, value: FieldValue): number | string | boolean | null {
  if (value === null) return null;
  if (field.type === 'datetime' && typeof value === 'string') return parseDateTime(value)?.getTime() ?? null;
  if (typeof value === 'string') return value.toLowerCase();
  return value;
}

function literalValue(field: OrgField, literal: Literal): number | string | boolean | null {
  switch (literal.kind) {
    case 'null':
      return null;
    case 'string':
      return literal.value.toLowerCase();
    case 'date':
      return field.type === 'datetime' ? Date.parse(`${literal.value}T00:00:00Z`) : literal.value;
    case 'datetime':
      return field.type === 'date' ? new Date(literal.value).toISOString().slice(0, 10) : literal.value;
    case 'range':
      return literal.start;
    default:
      return literal.value;
  }
}

function likeMatches(value: string, pattern: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && i + 1 < pattern.length) regex += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (char === '%') regex += '.*';
    else if (char === '_') regex += '.';
    else regex += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`, 'is').test(value);
}

function compareOne(field: OrgField, operator: string, raw: FieldValue, literal: Literal): boolean {
  const value = comparable(field, raw);
  if (literal.kind === 'range') {
    // A date literal covers whole days: equality means "within", order compares with its ends.
    const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(`${value}T00:00:00Z`) : null;
    if (time === null) return operator === '!=';
    switch (operator) {
      case '=':
        return time >= literal.start && time < literal.end;
      case '!=':
        return time < literal.start || time >= literal.end;
      case '<':
        return time < literal.start;
      case '<=':
        return time < literal.end;
      case '>':
        return time >= literal.end;
      default:
        return time >= literal.start;
    }
  }
  const target = literalValue(field, literal);
  if (operator === 'LIKE') return typeof raw === 'string' && likeMatches(raw, (literal as { value: string }).value);
  if (value === null || target === null) {
    if (operator === '=') return value === target;
    if (operator === '!=') return value !== target;
    return false;
  }
  switch (operator) {
    case '=':
      return value === target;
    case '!=':
      return value !== target;
    case '<':
      return value < target;
    case '<=':
      return value <= target;
    case '>':
      return value > target;
    default:
      return value >= target;
  }
}

function matches(condition: Condition, record: RecordFields): boolean {
  switch (condition.kind) {
    case 'and':
      return matches(condition.left, record) && matches(condition.right, record);
    case 'or':
      return matches(condition.left, record) || matches(condition.right, record);
    case 'not':
      return !matches(condition.operand, record);
    case 'compare': {
      const { field, operator, values } = condition;
      const raw = record[field.name] ?? null;
      if (operator === 'IN') return values.some((value) => compareOne(field, '=', raw, value));
      if (operator === 'NOT IN') return raw !== null && values.every((value) => !compareOne(field, '=', raw, value));
      if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
        const chosen = new Set(typeof raw === 'string' ? raw.toLowerCase().split(';') : []);
        // Each value may be 'a;b': all of those must be chosen.
        const any = values.some((value) => value.kind === 'string' && value.value.toLowerCase().split(';').every((part) => chosen.has(part)));
        return operator === 'INCLUDES' ? any : !any;
      }
      return compareOne(field, operator, raw, values[0]!);
    }
  }
}

/** Run a parsed query over an object's records (not deleted ones, unless given). */
export function runSoql(query: SoqlQuery, records: readonly RecordFields[]): { totalSize: number; records: RecordFields[]; ids: string[] } {
  let found = query.where === undefined ? [...records] : records.filter((record) => matches(query.where!, record));
  if (query.orderBy.length > 0) {
    found.sort((a, b) => {
      for (const { field, descending, nullsLast } of query.orderBy) {
        const left = comparable(field, a[field.name] ?? null);
        const right = comparable(field, b[field.name] ?? null);
        if (left === right) continue;
        if (left === null) return nullsLast ? 1 : -1;
        if (right === null) return nullsLast ? -1 : 1;
        const order = left < right ? -1 : 1;
        return descending ? -order : order;
      }
      return 0;
    });
  }
  if (query.offset !== undefined) found = found.slice(query.offset);
  if (query.limit !== undefined) found = found.slice(0, query.limit);
  if (query.count) return { totalSize: found.length, records: [], ids: [] };
  return {
    totalSize: found.length,
    records: found.map((record) => Object.fromEntries(query.fields.map((field) => [field.name, record[field.name] ?? null]))),
    ids: found.map((record) => String(record['Id'])),
  };
}
