/** The one place errors become a line on stderr and an exit code. */
import { HcDrizzleError } from '../errors.ts';
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
  const message = error instanceof Error ? error.message : String(error);
  const write = (text: string) => stderr.write(neutraliseTerminalControls(redact(text)));
  write(`hc-drizzle: ${known ? message : `unexpected error: ${message}`}\n`);
  if (verbose) {
    for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
      write(`${depth === 0 ? '' : 'Caused by: '}${current.stack ?? current.message}\n`);
    }
  }
  return known ? error.exitCode : 1;
}
