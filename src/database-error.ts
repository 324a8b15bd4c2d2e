/**
 * The PostgreSQL error behind a failed query, as one line. Drizzle wraps the
 * driver's error in "Failed query: <sql> params: <values>"; the SQL text and
 * its parameters (row data) stay out of what the CLI and the admin page's
 * server log print by default.
 */

/** @internal The PostgreSQL error behind `error`, if any: it has a SQLSTATE code and a severity. */
export function databaseErrorOf(error: unknown): { code: string; message: string } | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    const { code, severity } = current as { code?: unknown; severity?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string') return { code, message: current.message };
  }
  return undefined;
}

/** @internal `the database refused a query: <reason> (SQLSTATE <code>)`, or undefined when no PostgreSQL error is behind `error`. */
export function databaseRefusal(error: unknown): string | undefined {
  const database = databaseErrorOf(error);
  return database === undefined ? undefined : `the database refused a query: ${firstLine(database.message)} (SQLSTATE ${database.code})`;
}

/** @internal */
export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]!.trim();
}
