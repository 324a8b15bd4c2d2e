/**
 * Following an import until the connection leaves IMPORT_CONFIGURATION
 * (heroku-connect.md §4.2, django-heroku-connect's `--wait`), with a deadline.
 */
import type { ConnectClient } from './client.ts';
import type { Connection } from './replies.ts';

/** The state a connection holds while it imports a mapping. */
export const IMPORT_CONFIGURATION = 'IMPORT_CONFIGURATION';

/** Options of {@link waitForImport}. */
export interface WaitForImportOptions {
  /** Between polls; the first poll comes after one interval, so the import has begun. Default 10 000 (django-heroku-connect). */
  readonly intervalMs?: number;
  /** Give up after this long. Default 600 000. */
  readonly timeoutMs?: number;
  /** Called with each polled connection and the time waited so far. */
  readonly onPoll?: (connection: Connection, elapsedMs: number) => void;
}

/** How a wait ended. */
export interface ImportOutcome {
  /** The connection as last polled. */
  readonly connection: Connection;
  /** False when the deadline passed with the connection still importing. */
  readonly finished: boolean;
  readonly elapsedMs: number;
}

/**
 * Poll the connection until it leaves IMPORT_CONFIGURATION or the timeout passes.
 *
 * @example
 * await client.importMapping(id, mapping);
 * const { connection, finished } = await waitForImport(client, id, { intervalMs: 5000 });
 */
export async function waitForImport(client: ConnectClient, connectionId: string, options: WaitForImportOptions = {}): Promise<ImportOutcome> {
  const intervalMs = options.intervalMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const started = Date.now();
  for (;;) {
    const remaining = timeoutMs - (Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(intervalMs, remaining))));
    const connection = await client.getConnection(connectionId);
    const elapsedMs = Date.now() - started;
    options.onPoll?.(connection, elapsedMs);
    if (connection.state !== IMPORT_CONFIGURATION) return { connection, finished: true, elapsedMs };
    if (elapsedMs >= timeoutMs) return { connection, finished: false, elapsedMs };
  }
}
