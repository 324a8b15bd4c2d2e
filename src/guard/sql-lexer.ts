/**
 * PostgreSQL's lexer (src/backend/parser/scan.l), as far as telling SQL from
 * text goes: whitespace, `--` comments (ended by LF or CR) and nested block
 * comments, string constants (plain, `E''` with backslash escapes, `U&''`
 * with Unicode escapes and `UESCAPE`, `B''`/`X''`, and the continuation of a
 * string across a newline), dollar quotes, quoted identifiers (`""`,
 * `U&""`), unquoted words folded as PostgreSQL folds them (ASCII only), and
 * names truncated to 63 bytes as the server truncates them. Strings and
 * quoted identifiers come out decoded, so code hidden in escapes reads as code.
 *
 * `standardConformingStrings` false reads a plain `'...'` as PostgreSQL does
 * with `standard_conforming_strings = off`: backslashes escape.
 */

export type Token =
  | { readonly kind: 'word'; readonly text: string } // unquoted: folded to lower case, as PostgreSQL does
  | { readonly kind: 'identifier'; readonly text: string } // "quoted": exact
  | { readonly kind: 'string'; readonly text: string } // decoded contents
  | { readonly kind: 'symbol'; readonly text: string }; // one character of an operator or punctuation; numbers and parameters are '0'

/** NAMEDATALEN - 1: the bytes of a name PostgreSQL keeps. */
const NAME_BYTES = 63;

const SPACE = /[ \t\n\r\f\v]/;
const IDENT_CONT = /[A-Za-z_0-9$\u0080-\uffff]/;

// Character classes by code unit, on the lexer's hot path (a regular expression per character costs more).
function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13); // space, \t \n \v \f \r
}
function isIdentStartCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}
function isIdentContCode(c: number): boolean {
  return isIdentStartCode(c) || (c >= 48 && c <= 57) || c === 36;
}
function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/;
const DIGIT = /[0-9]/;
const HEX = /^[0-9A-Fa-f]$/;

/** `name` cut to 63 UTF-8 bytes at a character boundary, as PostgreSQL's truncate_identifier does. */
export function truncateName(name: string): string {
  if (name.length <= NAME_BYTES / 3) return name;
  let bytes = 0;
  let i = 0;
  while (i < name.length) {
    const code = name.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > NAME_BYTES) return name.slice(0, i);
    bytes += size;
    i += code >= 0x10000 ? 2 : 1;
  }
  return name;
}

/** PostgreSQL's downcase_identifier on a UTF-8 database: ASCII letters only. */
function foldWord(word: string): string {
  return /[A-Z]/.test(word) ? word.replace(/[A-Z]+/g, (upper) => upper.toLowerCase()) : word;
}

/** The index after a `--` comment starting at `at`: it ends before LF or CR. */
function lineCommentEnd(text: string, at: number): number {
  let i = at + 2;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The index after a block comment starting at `at` (they nest); the end of the text if unterminated. */
function blockCommentEnd(text: string, at: number): number {
  let depth = 1;
  let i = at + 2;
  while (i < text.length && depth > 0) {
    if (text[i] === '/' && text[i + 1] === '*') (depth++, (i += 2));
    else if (text[i] === '*' && text[i + 1] === '/') (depth--, (i += 2));
    else i++;
  }
  return i;
}

/**
 * Where a string continues after its closing quote at `at`: whitespace that
 * holds a newline (line comments allowed), then a quote. The index of that
 * quote, or -1.
 */
function continuationAt(text: string, at: number): number {
  let i = at;
  let newline = false;
  for (;;) {
    const c = text[i];
    if (c === '\n' || c === '\r') (newline = true), i++;
    else if (c === ' ' || c === '\t' || c === '\f' || c === '\v') i++;
    else if (c === '-' && text[i + 1] === '-') i = lineCommentEnd(text, i);
    else break;
  }
  return newline && text[i] === "'" ? i : -1;
}

/** Skip whitespace and comments from `at`. */
function skipSpace(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text[i];
    if (c !== undefined && SPACE.test(c)) i++;
    else if (c === '-' && text[i + 1] === '-') i = lineCommentEnd(text, i);
    else if (c === '/' && text[i + 1] === '*') i = blockCommentEnd(text, i);
    else return i;
  }
}

/**
 * The raw body of a quoted string from the opening quote at `at`, with its
 * continuations joined; `backslashes`: a backslash escapes the next character
 * (kept raw, decoded later). Returns the raw body and the index after it.
 */
function quotedBody(text: string, at: number, backslashes: boolean): { raw: string; end: number } {
  let raw = '';
  let i = at + 1;
  for (;;) {
    if (i >= text.length) return { raw, end: i };
    const c = text[i]!;
    if (backslashes && c === '\\') {
      raw += text.slice(i, i + 2);
      i += 2;
    } else if (c === "'" && text[i + 1] === "'") {
      raw += "''";
      i += 2;
    } else if (c === "'") {
      const next = continuationAt(text, i + 1);
      if (next === -1) return { raw, end: i + 1 };
      i = next + 1;
    } else {
      // Copy the run of ordinary characters at once.
      let j = i + 1;
      while (j < text.length) {
        const k = text.charCodeAt(j);
        if (k === 39 || (backslashes && k === 92)) break;
        j++;
      }
      raw += text.slice(i, j);
      i = j;
    }
  }
}

function fromCodePoint(code: number): string {
  // A surrogate written as an escape is kept as one UTF-16 unit: two of them make the pair PostgreSQL combines.
  return code > 0x10ffff ? '\ufffd' : code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code);
}

/** The contents of an `E'...'` body (or a plain one read with standard_conforming_strings off). */
function decodeEscapes(raw: string): string {
  if (!raw.includes('\\') && !raw.includes("''")) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "'" && raw[i + 1] === "'") {
      out += "'";
      i++;
      continue;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = raw[++i];
    if (e === undefined) break;
    const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (simple[e] !== undefined) out += simple[e];
    else if (/[0-7]/.test(e)) {
      let digits = e;
      while (digits.length < 3 && /[0-7]/.test(raw[i + 1] ?? '')) digits += raw[++i];
      out += String.fromCharCode(parseInt(digits, 8) & 0xff);
    } else if (e === 'x' && HEX.test(raw[i + 1] ?? '')) {
      let digits = raw[++i]!;
      if (HEX.test(raw[i + 1] ?? '')) digits += raw[++i];
      out += String.fromCharCode(parseInt(digits, 16));
    } else if ((e === 'u' || e === 'U') && /^[0-9A-Fa-f]+$/.test(raw.slice(i + 1, i + 1 + (e === 'u' ? 4 : 8)))) {
      const size = e === 'u' ? 4 : 8;
      out += fromCodePoint(parseInt(raw.slice(i + 1, i + 1 + size), 16));
      i += size;
    } else out += e;
  }
  return out;
}

/** The contents of a `U&'...'` or `U&"..."` body with escape character `escape` (`doubled`: the quote that doubles). */
function decodeUnicode(raw: string, escape: string, doubled: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === doubled && raw[i + 1] === doubled) {
      out += doubled;
      i++;
    } else if (c === escape) {
      if (raw[i + 1] === escape) {
        out += escape;
        i++;
      } else if (raw[i + 1] === '+' && /^[0-9A-Fa-f]{6}$/.test(raw.slice(i + 2, i + 8))) {
        out += fromCodePoint(parseInt(raw.slice(i + 2, i + 8), 16));
        i += 7;
      } else if (/^[0-9A-Fa-f]{4}$/.test(raw.slice(i + 1, i + 5))) {
        out += fromCodePoint(parseInt(raw.slice(i + 1, i + 5), 16));
        i += 4;
      } else out += c; // PostgreSQL rejects it: the text does not run
    } else out += c;
  }
  return out;
}

/** After a `U&` literal ending at `at`: the escape character of a `UESCAPE 'c'` clause, and the index after it. */
function uescapeAt(text: string, at: number): { escape: string; end: number } {
  const i = skipSpace(text, at);
  if (/^uescape/i.test(text.slice(i, i + 7)) && !IDENT_CONT.test(text[i + 7] ?? ' ')) {
    const quote = skipSpace(text, i + 7);
    if (text[quote] === "'") {
      const { raw, end } = quotedBody(text, quote, false);
      return { escape: raw.length === 1 ? raw : '\\', end };
    }
  }
  return { escape: '\\', end: at };
}

/** The quoted identifier body from the `"` at `at`: raw, and the index after the closing quote. */
function identifierBody(text: string, at: number): { raw: string; end: number } {
  let raw = '';
  let i = at + 1;
  while (i < text.length) {
    if (text[i] === '"' && text[i + 1] === '"') (raw += '""'), (i += 2);
    else if (text[i] === '"') return { raw, end: i + 1 };
    else raw += text[i++];
  }
  return { raw, end: i };
}

/** The index after a number starting at `at` (`12`, `1_000`, `1.5e-3`, `.5`, `0x1F`). */
function numberEnd(text: string, at: number): number {
  let i = at;
  if (text[i] === '0' && /[xXoObB]/.test(text[i + 1] ?? '') && /[0-9A-Fa-f_]/.test(text[i + 2] ?? '')) {
    i += 2;
    while (/[0-9A-Fa-f_]/.test(text[i] ?? '')) i++;
    return i;
  }
  while (/[0-9_]/.test(text[i] ?? '')) i++;
  if (text[i] === '.' && text[i + 1] !== '.') {
    i++;
    while (/[0-9_]/.test(text[i] ?? '')) i++;
  }
  if (/[eE]/.test(text[i] ?? '')) {
    const sign = /[+-]/.test(text[i + 1] ?? '') ? 1 : 0;
    if (DIGIT.test(text[i + 1 + sign] ?? '')) {
      i += 1 + sign;
      while (/[0-9_]/.test(text[i] ?? '')) i++;
    }
  }
  return i;
}

/** `text` as PostgreSQL's lexer reads it. */
export function tokenize(text: string, standardConformingStrings = true): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isSpaceCode(code)) {
      i++;
      continue;
    }
    const char = text[i]!;
    const next = text[i + 1];
    if (char === '-' && next === '-') {
      i = lineCommentEnd(text, i);
    } else if (char === '/' && next === '*') {
      i = blockCommentEnd(text, i);
    } else if (char === "'") {
      const { raw, end } = quotedBody(text, i, !standardConformingStrings);
      tokens.push({ kind: 'string', text: standardConformingStrings ? raw.replaceAll("''", "'") : decodeEscapes(raw) });
      i = end;
    } else if ((char === 'E' || char === 'e') && next === "'") {
      const { raw, end } = quotedBody(text, i + 1, true);
      tokens.push({ kind: 'string', text: decodeEscapes(raw) });
      i = end;
    } else if ((char === 'B' || char === 'b' || char === 'X' || char === 'x' || char === 'N' || char === 'n') && next === "'") {
      // Bit strings hold no code; N'' is a plain string.
      const plain = char === 'N' || char === 'n';
      const { raw, end } = quotedBody(text, i + 1, plain && !standardConformingStrings);
      tokens.push({ kind: 'string', text: plain && !standardConformingStrings ? decodeEscapes(raw) : raw.replaceAll("''", "'") });
      i = end;
    } else if ((char === 'U' || char === 'u') && next === '&' && (text[i + 2] === "'" || text[i + 2] === '"')) {
      const isString = text[i + 2] === "'";
      const body = isString ? quotedBody(text, i + 2, false) : identifierBody(text, i + 2);
      const { escape, end } = uescapeAt(text, body.end);
      const decoded = decodeUnicode(body.raw, escape, isString ? "'" : '"');
      tokens.push(isString ? { kind: 'string', text: decoded } : { kind: 'identifier', text: truncateName(decoded) });
      i = end;
    } else if (char === '"') {
      const { raw, end } = identifierBody(text, i);
      tokens.push({ kind: 'identifier', text: truncateName(raw.replaceAll('""', '"')) });
      i = end;
    } else if (char === '$' && next !== undefined && !DIGIT.test(next) && DOLLAR_TAG.test(text.slice(i, i + 66))) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 66))![0];
      const end = text.indexOf(tag, i + tag.length);
      tokens.push({ kind: 'string', text: text.slice(i + tag.length, end === -1 ? text.length : end) });
      i = end === -1 ? text.length : end + tag.length;
    } else if (isIdentStartCode(code)) {
      let j = i + 1;
      while (j < text.length && isIdentContCode(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'word', text: truncateName(foldWord(text.slice(i, j))) });
      i = j;
    } else if (char === '$' && next !== undefined && DIGIT.test(next)) {
      let j = i + 1;
      while (j < text.length && DIGIT.test(text[j]!)) j++;
      tokens.push({ kind: 'symbol', text: '0' });
      i = j;
    } else if (isDigitCode(code) || (char === '.' && next !== undefined && DIGIT.test(next))) {
      tokens.push({ kind: 'symbol', text: '0' });
      i = numberEnd(text, i);
    } else {
      tokens.push({ kind: 'symbol', text: char });
      i++;
    }
  }
  return tokens;
}

/** Whether reading `text` with standard_conforming_strings off could differ from reading it on. */
export function readsDifferentlyWithoutStandardStrings(text: string): boolean {
  return text.includes('\\');
}
