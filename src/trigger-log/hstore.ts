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
  let at = 0;
  const fail = (): never => {
    throw new HcDrizzleError('HC_HSTORE', `Not hstore text at character ${at + 1}: ${JSON.stringify(text.slice(0, 80))}.`, {
      exitCode: 1,
    });
  };
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const quoted = (): string => {
    if (text[at] !== '"') fail();
    let value = '';
    for (at++; at < text.length; at++) {
      const char = text[at]!;
      if (char === '"') {
        at++;
        return value;
      }
      value += char === '\\' ? (text[++at] ?? fail()) : char;
    }
    return fail();
  };
  skipSpace();
  while (at < text.length) {
    const key = quoted();
    skipSpace();
    if (text.slice(at, at + 2) !== '=>') fail();
    at += 2;
    skipSpace();
    if (text.slice(at, at + 4).toUpperCase() === 'NULL') {
      result[key] = null;
      at += 4;
    } else {
      result[key] = quoted();
    }
    skipSpace();
    if (text[at] === ',') at++;
    else if (at < text.length) fail();
    skipSpace();
  }
  return result;
}
