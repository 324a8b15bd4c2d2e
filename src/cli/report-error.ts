/** The one place errors become a line on stderr and an exit code. */
import { HcDrizzleError } from '../errors.ts';
import { databaseErrorOf, databaseRefusal, firstLine } from '../database-error.ts';
import { neutraliseTerminalControls } from '../http/display.ts';

/**
 * One of our errors, also when it comes from another copy of hc-drizzle (a
 * schema file loaded as CommonJS gets the CommonJS build).
 */
function isHcDrizzleError(error: unknown): error is HcDrizzleError {
  if (error instanceof HcDrizzleError) return true;
  const { code, exitCode } = (error ?? {}) as { code?: unknown; exitCode?: unknown };
  return error instanceof Error && typeof code === 'string' && code.startsWith('HC_') && (exitCode === 1 || exitCode === 2);
}

/**
 * Write `error` as one sentence (the stack and every cause only with
 * --verbose); return the exit code. `redact` hides the secrets the command
 * knows; terminal controls in the text are shown as escapes.
 */
export function reportError(error: unknown, stderr: NodeJS.WritableStream, verbose: boolean, redact: (text: string) => string = (text) => text): number {
  const known = isHcDrizzleError(error);
  const write = (text: string) => stderr.write(neutraliseTerminalControls(redact(text)));
  const database = known ? undefined : databaseErrorOf(error);
  if (database !== undefined) {
    // The server's one-line reason; the failed SQL text and its parameters (row data) only with --verbose.
    write(`hc-drizzle: ${databaseRefusal(error)}.\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    write(`hc-drizzle: ${known ? message : `unexpected error: ${firstLine(message)}${message.includes('\n') && !verbose ? ' (--verbose shows the rest)' : ''}`}\n`);
  }
  if (verbose) {
    for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
      write(`${depth === 0 ? '' : 'Caused by: '}${current.stack ?? current.message}\n`);
    }
  }
  if (known) return error.exitCode;
  // A query the data or the database's shape refused (22: bad data; 42: no such table, column...; 3F: no such schema) is bad input.
  return database !== undefined && /^(?:22|42|3F)/.test(database.code) ? 2 : 1;
}
