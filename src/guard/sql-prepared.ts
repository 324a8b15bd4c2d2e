/**
 * SQL-level prepared statements made while restrictions were lifted:
 * `PREPARE p AS DELETE FROM salesforce."user"` run inside
 * `withoutWriteRestrictions` is let through, and `EXECUTE p` names no table.
 * The permission belongs to the call, so the guard remembers which names
 * were prepared to write a read-only table and checks `EXECUTE p` (and
 * `EXPLAIN ANALYZE EXECUTE p`) like the write itself, until `DEALLOCATE`.
 * Names are per connection in PostgreSQL; remembered here for all of them,
 * which can only refuse more.
 */
import { tokenize, type Token } from './sql-lexer.ts';
import { writeRestrictionsLifted } from './write-restrictions.ts';

/** What a remembered statement writes (the refusal it gets). */
interface PreparedWrite<W> {
  readonly write: W;
}

const prepared = new Map<string, PreparedWrite<unknown>>();

const isWord = (token: Token | undefined, text: string) => token !== undefined && token.kind === 'word' && token.text === text;
const isName = (token: Token | undefined): token is Token => token !== undefined && (token.kind === 'word' || token.kind === 'identifier');

/**
 * Remember the names `sqlText` prepares, when restrictions are lifted and
 * the text writes `write` (a text that does not write prepares nothing to fear).
 */
export function rememberPreparedWrite<W>(sqlText: string, write: W): void {
  if (!/prepare/i.test(sqlText) || !writeRestrictionsLifted()) return;
  const tokens = tokenize(sqlText);
  for (let i = 0; i < tokens.length; i++) {
    if (isWord(tokens[i], 'prepare') && isName(tokens[i + 1]) && !isWord(tokens[i - 1], 'deallocate')) {
      prepared.set(tokens[i + 1]!.text, { write });
    }
  }
}

/** The write a remembered statement that `sqlText` executes would make; forgets what it deallocates. */
export function preparedWriteIn<W>(sqlText: string): W | undefined {
  if (prepared.size === 0) return undefined;
  if (!/execute|deallocate/i.test(sqlText)) return undefined;
  const tokens = tokenize(sqlText);
  let found: W | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (isWord(tokens[i], 'deallocate')) {
      const at = isWord(tokens[i + 1], 'prepare') ? i + 2 : i + 1;
      if (isWord(tokens[at], 'all')) prepared.clear();
      else if (isName(tokens[at])) prepared.delete(tokens[at]!.text);
    } else if (found === undefined && isWord(tokens[i], 'execute') && isName(tokens[i + 1])) {
      found = prepared.get(tokens[i + 1]!.text)?.write as W | undefined;
    }
  }
  return found;
}
