/**
 * Following an import until the connection leaves IMPORT_CONFIGURATION
 * (heroku-connect.md §4.2, django-heroku-connect's `--wait`), with a deadline
 * that bounds the whole wait: the pauses, every poll, its retries and their
 * backoff.
 */
import type { ConnectClient, ConnectId } from './client.ts';
import { ConnectApiError } from './errors.ts';
import type { Connection } from './replies.ts';

/** The state a connection holds while it imports a mapping. */
export const IMPORT_CONFIGURATION = 'IMPORT_CONFIGURATION';

/** Options of {@link waitForImport}. */
export interface WaitForImportOptions {
  /** Between polls; the first poll comes after one interval, so the import has begun. Default 10 000 (django-heroku-connect). */
  readonly intervalMs?: number;
  /** Give up after this long, whatever is in flight. Default 600 000. */
  readonly timeoutMs?: number;
  /** Called with each polled connection and the time waited so far. */
  readonly onPoll?: (connection: Connection, elapsedMs: number) => void;
  /** An outer deadline (a caller's whole command): the wait ends, unfinished, when it fires too. */
  readonly signal?: AbortSignal;
}

/** How a wait ended. */
export interface ImportOutcome {
  /** The connection as last polled; undefined when no poll answered before the deadline. */
  readonly connection: Connection | undefined;
  /** The last state seen (IMPORT_CONFIGURATION when no poll answered). */
  readonly state: string;
  /** False when the deadline passed with the connection still importing (or not answering). */
  readonly finished: boolean;
  readonly elapsedMs: number;
}

/**
 * Poll the connection until it leaves IMPORT_CONFIGURATION or the timeout passes.
 *
 * @throws {ConnectApiError} when a poll fails for another reason than the deadline.
 * @example
 * await client.importMapping(id, mapping);
 * const { state, finished } = await waitForImport(client, id, { intervalMs: 5000 });
 */
export async function waitForImport(client: ConnectClient, connectionId: ConnectId, options: WaitForImportOptions = {}): Promise<ImportOutcome> {
  const intervalMs = options.intervalMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const started = Date.now();
  const deadline = options.signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([AbortSignal.timeout(timeoutMs), options.signal]);
  let last: Connection | undefined;
  const outcome = (finished: boolean): ImportOutcome => ({
    connection: last,
    state: last?.state ?? IMPORT_CONFIGURATION,
    finished,
    elapsedMs: Date.now() - started,
  });
  for (;;) {
    const remaining = timeoutMs - (Date.now() - started);
    await pause(Math.max(0, Math.min(intervalMs, remaining)), deadline);
    if (deadline.aborted) return outcome(false);
    try {
      last = await client.getConnection(connectionId, { signal: deadline });
    } catch (error) {
      if (error instanceof ConnectApiError && error.failure === 'deadline' && deadline.aborted) return outcome(false);
      throw error;
    }
    options.onPoll?.(last, Date.now() - started);
    if (last.state !== IMPORT_CONFIGURATION) return outcome(true);
    if (Date.now() - started >= timeoutMs || deadline.aborted) return outcome(false);
  }
}

/** Wait `ms`, or less when `signal` fires first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
