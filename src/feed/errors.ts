/** What a subscriber reports through `onError` (it keeps running). */
import { HcDrizzleError } from '../errors.ts';

/** A change whose handler kept failing was parked: it waits for `retryParkedChanges`. */
export class ChangeParkedError extends HcDrizzleError {
  /** The change id. */
  readonly changeId: string;
  readonly group: string;
  /** The table, schema-qualified. */
  readonly table: string;
  readonly attempts: number;

  constructor(changeId: string, group: string, table: string, attempts: number, cause: unknown) {
    super(
      'HC_FEED_PARKED',
      `Parked change ${changeId} of ${table} for the group ${group} after ${attempts} failed attempt${attempts === 1 ? '' : 's'}: ${describeError(cause)}`,
      { exitCode: 1, cause },
    );
    this.changeId = changeId;
    this.group = group;
    this.table = table;
    this.attempts = attempts;
  }
}

/**
 * A handler did not settle within `handlerTimeoutMs`: the delivery counts as
 * a failed attempt (retried, then parked) and the handler's `signal` is
 * aborted with this error. The handler's own work may still be running.
 */
export class HandlerTimeoutError extends HcDrizzleError {
  readonly changeId: string;
  readonly group: string;
  readonly table: string;
  readonly timeoutMs: number;
  constructor(changeId: string, group: string, table: string, timeoutMs: number) {
    super(
      'HC_FEED_HANDLER_TIMEOUT',
      `The handler of change ${changeId} of ${table} for the group ${group} did not settle within ${timeoutMs} ms: the attempt counts as failed, and its signal is aborted.`,
      { exitCode: 1 },
    );
    this.changeId = changeId;
    this.group = group;
    this.table = table;
    this.timeoutMs = timeoutMs;
  }
}

/** A subscribed table does not exist (yet): a reload in progress, or a mapping not created. Checked again later. */
export class FeedTableMissingError extends HcDrizzleError {
  readonly table: string;
  constructor(table: string) {
    super('HC_FEED_TABLE_MISSING', `The table ${table} does not exist: its changes are not captured until it is back (a reload in progress?).`, {
      exitCode: 1,
    });
    this.table = table;
  }
}

/** Changes of a table may have been missed and the subscriber has no `onResync`. */
export class ResyncNotHandledError extends HcDrizzleError {
  readonly table: string;
  readonly reason: string;
  readonly since: Date | null;
  constructor(table: string, reason: string, since: Date | null) {
    super(
      'HC_FEED_RESYNC',
      `Changes of ${table} may have been missed (${reason}${since === null ? '' : ` since ${since.toISOString()}`}): give subscribeChanges an onResync handler to catch up.`,
      { exitCode: 1 },
    );
    this.table = table;
    this.reason = reason;
    this.since = since;
  }
}

/** The subscriber's own work failed (a lost connection, say); it retries with backoff. */
export class FeedConnectionError extends HcDrizzleError {
  constructor(what: string, cause: unknown) {
    super('HC_FEED_CONNECTION', `The change feed could not ${what}: ${describeError(cause)} (retrying).`, { exitCode: 1, cause });
  }
}

/** One line for an error a handler threw (stored with the delivery; kept short). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}
