/**
 * Reading the hstore text Heroku Connect stores in `values` and `old`
 * (heroku-connect.md §3.1: `"key"=>"value"` pairs, `NULL` unquoted, every
 * value text), as django-heroku-connect does with psycopg2's parser.
 */
import { HcDrizzleError } from '../errors.ts';

/** Parse hstore text into an object; `null` and `''` give `{}`. */
export function parseHstore(text: string | null): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  if (text === null) return result;
  // One pass with indexOf and slices, no closures: the emulator's write-out parses two of these per log.
  let at = skipSpace(text, 0);
  while (at < text.length) {
    const key = readQuoted(text, at);
    at = skipSpace(text, quotedEnd);
    if (text.charCodeAt(at) !== 61 /* = */ || text.charCodeAt(at + 1) !== 62 /* > */) notHstore(text, at);
    at = skipSpace(text, at + 2);
    const first = text.charCodeAt(at);
    if ((first === 78 || first === 110) /* N, n */ && text.slice(at, at + 4).toUpperCase() === 'NULL') {
      result[key] = null;
      at += 4;
    } else {
      result[key] = readQuoted(text, at);
      at = quotedEnd;
    }
    at = skipSpace(text, at);
    if (text.charCodeAt(at) === 44 /* , */) at++;
    else if (at < text.length) notHstore(text, at);
    at = skipSpace(text, at);
  }
  return result;
}

function notHstore(text: string, at: number): never {
  throw new HcDrizzleError('HC_HSTORE', `Not hstore text at character ${at + 1}: ${JSON.stringify(text.slice(0, 80))}.`, {
    exitCode: 1,
  });
}

/** The first position from `at` that is not white space. */
function skipSpace(text: string, at: number): number {
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(text[at]!))) at++;
    else break;
  }
  return at;
}

/** Where the last {@link readQuoted} ended (just after its closing quote). */
let quotedEnd = 0;

/** The `"..."` string at `at`, backslash escaping the character after it; sets {@link quotedEnd}. */
function readQuoted(text: string, at: number): string {
  if (text.charCodeAt(at) !== 34 /* " */) notHstore(text, at);
  let value = '';
  let from = at + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    const slash = text.indexOf('\\', from);
    if (slash !== -1 && (quote === -1 || slash < quote)) {
      if (slash + 1 >= text.length) notHstore(text, text.length);
      value += text.slice(from, slash) + text[slash + 1];
      from = slash + 2;
      continue;
    }
    if (quote === -1) notHstore(text, text.length);
    quotedEnd = quote + 1;
    return value + text.slice(from, quote);
  }
}
