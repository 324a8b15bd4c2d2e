/** The one place errors become a line on stderr and an exit code. */
import { HcDrizzleError } from '../errors.ts';

/** Write `error` as one sentence (a stack trace only with --verbose); return the exit code. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream, verbose: boolean): number {
  const known = error instanceof HcDrizzleError || (error as { code?: unknown })?.code === 'HC_INPUT';
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`hc-drizzle: ${known ? message : `unexpected error: ${message}`}\n`);
  if (verbose && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  return error instanceof HcDrizzleError ? error.exitCode : 1;
}
