/**
 * `subscribeChanges()`: hand each change Heroku Connect made to a handler,
 * at least once per group, shared by every subscriber of the group in any
 * process (graphile-worker / pg-boss style claims with `skip locked`), in
 * commit order per record, acknowledged after the handler resolves, retried
 * with backoff and then parked. Woken by NOTIFY where the driver can LISTEN;
 * neon-http polls.
 */
import { randomUUID } from 'node:crypto';
import { InputError } from '../errors.ts';
import { changeOfRow, tableKey, type Change, type ResyncEvent } from './change.ts';
import { connectionOf, urlConnection, type FeedConnection, type FeedPool } from './connection.ts';
import { FEED_CHANNEL } from './ddl.ts';
import { ChangeParkedError, describeError, FeedConnectionError, FeedTableMissingError, HandlerTimeoutError, ResyncNotHandledError } from './errors.ts';
import { installOn } from './install.ts';
import { stopOptions, subscriberTuning, validGroupName, type SubscriberTuning } from './options.ts';
import {
  acknowledge,
  claim,
  extendLease,
  forgetHandled,
  millisecondsUntilDue,
  notifyFeed,
  recordFailures,
  release,
  type ClaimedRow,
  type FailedDelivery,
  type TableRef,
} from './queries.ts';
import { feedTablesOf, tableRefOf, type FeedTables, type TablesOf } from './tables.ts';
import type { PgTable } from '../compat.ts';

/** What a handler gets beside the change. */
export interface HandlerContext {
  /**
   * Aborted when the handler runs past `handlerTimeoutMs` (the attempt then
   * counts as failed) or past the bound of `stop()` (the change is given
   * back). Pass it to `fetch` and the like, so the work stops too.
   */
  readonly signal: AbortSignal;
}

/** Options of {@link ChangeSubscription.stop}. */
export interface StopOptions {
  /**
   * How long to wait for the handlers in progress (default 25 s: Heroku
   * sends SIGKILL 30 s after SIGTERM). Past it their signals are aborted,
   * their changes are given back to the group undelivered, and `stop()`
   * resolves.
   */
  readonly timeoutMs?: number;
}

/** Options of {@link subscribeChanges}. Give `url` or `pool`. */
export interface SubscribeChangesOptions<TTables extends FeedTables> {
  /** A postgres:// URL: the subscriber opens (and on `stop()` ends) a node-postgres pool of its own. */
  readonly url?: string;
  /**
   * A node-postgres or neon-serverless `Pool` (one of its connections is kept
   * for LISTEN), a `PGlite` instance, a neon-http `neon()` function (polls),
   * or a Drizzle database over one of those.
   */
  readonly pool?: FeedPool;
  /** The hcTables to follow (an array, or a module namespace). */
  readonly tables: TTables;
  /**
   * The subscriber group: every change reaches each group once (at least),
   * and within a group one subscriber handles it, whichever process it runs in.
   */
  readonly group: string;
  /**
   * Handles one change; the change is acknowledged when it resolves, retried
   * when it throws or does not settle within `handlerTimeoutMs`.
   */
  readonly handler: (change: Change<TablesOf<TTables>>, context: HandlerContext) => unknown;
  /**
   * Changes of a table may have been missed (a reload dropped the capture
   * triggers, or the table was truncated): re-read it. Retried like the handler.
   * Without it, the event is reported to `onError` and acknowledged.
   */
  readonly onResync?: (event: ResyncEvent<TablesOf<TTables>>, context: HandlerContext) => unknown;
  /** What went wrong while the subscriber keeps running (a parked change, a lost connection). Default: one line on stderr. */
  readonly onError?: (error: Error) => void;
  /** Changes claimed at once (default 100). */
  readonly batchSize?: number;
  /** Records handled at the same time by this subscriber; changes of one record never overlap (default 1). */
  readonly concurrency?: number;
  /** How long a claim holds without a heartbeat: a killed subscriber's changes go to others after it (default 30 s). */
  readonly leaseMs?: number;
  /** Attempts before a change is parked (default 8). */
  readonly maxAttempts?: number;
  /** Delay before the first retry, doubled each time (default 1 s)... */
  readonly retryDelayMs?: number;
  /** ...up to this (default 5 min). */
  readonly maxRetryDelayMs?: number;
  /** Look for work at least this often: the safety net under NOTIFY, or the polling interval of neon-http (default 30 s, 1 s when polling). */
  readonly pollIntervalMs?: number;
  /** How often the capture triggers are checked (and put back) and old deliveries forgotten (default 1 min). */
  readonly checkIntervalMs?: number;
  /** How long handled changes are kept (default 24 h). Parked and open ones are kept until handled. */
  readonly retentionMs?: number;
  /**
   * How long one call of `handler` (or `onResync`) may take (default 5 min).
   * Past it the attempt counts as failed (retried with backoff, then parked),
   * the call's `signal` is aborted and a `HandlerTimeoutError` goes to
   * `onError`; the record's later changes go on. A handler that ignores its
   * signal keeps running meanwhile.
   */
  readonly handlerTimeoutMs?: number;
}

/** A running subscriber. */
export interface ChangeSubscription {
  /**
   * Stop claiming, let the handlers in progress finish (for at most
   * `timeoutMs`, default 25 s) and acknowledge them, give back at once what
   * was claimed but not started (and what was still running at the bound),
   * and close what the subscriber opened. Resolves when all that is done.
   * Calling it again returns the same promise. Do not await it inside a
   * handler: it waits for that handler (until the bound).
   */
  stop(options?: StopOptions): Promise<void>;
}

/**
 * Subscribe `handler` to the changes Heroku Connect makes to `tables`.
 * Resolves once the capture triggers are checked (and put back if a reload
 * dropped them), the group is registered and the subscriber listens.
 *
 * @throws {InputError} on bad options (no `url` nor `pool`, no hcTable, a bad number).
 * @example
 * const subscription = await subscribeChanges({
 *   url: process.env.DATABASE_URL,
 *   tables: [account],
 *   group: 'credit-limits',
 *   handler: async (change) => {
 *     if (change.op === 'update' && change.row.creditLimit !== change.old.creditLimit) await recompute(change.row.sfid);
 *   },
 * });
 * process.on('SIGTERM', () => subscription.stop());
 */
export async function subscribeChanges<const TTables extends FeedTables>(
  options: SubscribeChangesOptions<TTables>,
): Promise<ChangeSubscription> {
  if ((options.url === undefined) === (options.pool === undefined)) {
    throw new InputError('subscribeChanges needs exactly one of `url` and `pool`.');
  }
  if (typeof options.handler !== 'function') throw new InputError('subscribeChanges needs a `handler` function.');
  const tables = feedTablesOf(options.tables, 'subscribeChanges');
  const group = validGroupName(options.group);
  const tuning = subscriberTuning(options as unknown as Record<string, unknown>);
  const connection = options.url !== undefined ? await urlConnection(options.url) : connectionOf(options.pool!);
  const subscriber = new Subscriber(connection, tables, group, tuning, {
    handler: options.handler as Callbacks['handler'],
    onResync: options.onResync as Callbacks['onResync'],
    onError: reporter(options.onError),
  });
  try {
    await subscriber.start();
  } catch (error) {
    await connection.close();
    throw error;
  }
  return { stop: (stopOptions?: StopOptions) => subscriber.stop(stopOptions) };
}

/**
 * `onError`, or one line on stderr. An `onError` that throws must not stop
 * the subscriber (it is called from timers and from the loop's own error
 * path): what it throws is written to stderr beside the error it was given.
 */
function reporter(onError: ((error: Error) => void) | undefined): (error: Error) => void {
  const line = (error: Error) => console.error(`hc-drizzle feed: ${error.message}`);
  if (onError === undefined) return line;
  return (error) => {
    try {
      onError(error);
    } catch (thrown) {
      line(error);
      console.error(`hc-drizzle feed: onError threw: ${describeError(thrown)}`);
    }
  };
}

interface Callbacks {
  readonly handler: (change: Change, context: HandlerContext) => unknown;
  readonly onResync: ((event: ResyncEvent, context: HandlerContext) => unknown) | undefined;
  readonly onError: (error: Error) => void;
}

const RECONNECT_MAX_MS = 10_000;
const MIN_WAIT_MS = 10;

class Subscriber {
  private readonly id = randomUUID();
  private readonly refs: TableRef[];
  private readonly byKey: Map<string, PgTable>;
  private readonly pollMs: number;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  /** Set by a notification: claim again before sleeping. */
  private dirty = true;
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private unlisten: (() => Promise<void>) | undefined;
  private nextCheckAt = 0;
  private missing = new Set<string>();
  /** The calls of the handler in progress, each with what gives it up at stop()'s bound. */
  private readonly inFlight = new Map<AbortController, () => void>();
  /** stop()'s bound has passed: the handlers in progress were given up. */
  private givenUp = false;

  constructor(
    private readonly connection: FeedConnection,
    tables: readonly PgTable[],
    private readonly group: string,
    private readonly tuning: SubscriberTuning,
    private readonly callbacks: Callbacks,
  ) {
    this.refs = tables.map(tableRefOf);
    this.byKey = new Map(tables.map((table) => [tableKey(table), table]));
    this.pollMs = tuning.pollIntervalMs ?? (connection.listen === undefined ? 1_000 : 30_000);
  }

  async start(): Promise<void> {
    await this.check();
    await this.listen();
    this.loopDone = this.loop();
  }

  stop(options?: StopOptions): Promise<void> {
    let timeoutMs: number;
    try {
      timeoutMs = stopOptions(options).timeoutMs;
    } catch (error) {
      return Promise.reject(error);
    }
    this.stopped ??= (async () => {
      this.stopping = true;
      this.wakeUp?.();
      const bound = setTimeout(() => this.giveUpInFlight(timeoutMs), timeoutMs);
      try {
        await this.loopDone;
      } finally {
        clearTimeout(bound);
      }
      await this.unlisten?.().catch(() => {});
      await this.connection.close();
    })();
    return this.stopped;
  }

  /** stop()'s bound has passed: abort the handlers in progress; their changes are given back. */
  private giveUpInFlight(timeoutMs: number): void {
    const reason = Object.assign(new Error(`The subscriber stopped: the handler did not settle within stop()'s ${timeoutMs} ms.`), { name: 'AbortError' });
    this.givenUp = true;
    for (const [controller, giveUp] of this.inFlight) {
      controller.abort(reason);
      giveUp();
    }
  }

  /** Capture triggers in place (reinstalled, with a resync, if a reload dropped them), group registered, old deliveries forgotten. */
  private async check(): Promise<void> {
    const statuses = await installOn(this.connection, this.refs, [this.group], true);
    for (const status of statuses) {
      const key = `${status.schema}.${status.name}`;
      if (status.status === 'missing') {
        if (!this.missing.has(key)) this.callbacks.onError(new FeedTableMissingError(key));
        this.missing.add(key);
      } else {
        this.missing.delete(key);
      }
    }
    await forgetHandled(this.connection, this.tuning.retentionMs);
    this.nextCheckAt = Date.now() + this.tuning.checkIntervalMs;
  }

  private async listen(): Promise<void> {
    const { listen } = this.connection;
    if (listen === undefined || this.stopping) return;
    this.unlisten = await listen(
      FEED_CHANNEL,
      (payload) => {
        if (this.byKey.has(payload)) this.wake();
      },
      (error) => {
        this.unlisten = undefined;
        if (this.stopping) return;
        this.callbacks.onError(new FeedConnectionError('keep listening', error));
        void this.relisten();
      },
    );
  }

  private async relisten(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      // Its own timer: the loop's wait keeps its wake-up (and stop() does not wait for this).
      await new Promise((resolve) => setTimeout(resolve, Math.min(RECONNECT_MAX_MS, 100 * 2 ** attempt)).unref());
      if (this.stopping) return;
      try {
        await this.listen();
        this.wake(); // notifications may have been missed meanwhile
        return;
      } catch (error) {
        this.callbacks.onError(new FeedConnectionError('listen again', error));
      }
    }
  }

  private wake(): void {
    this.dirty = true;
    this.wakeUp?.();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (Date.now() >= this.nextCheckAt) await this.check();
        this.dirty = false;
        const rows = await claim(this.connection, {
          group: this.group,
          subscriber: this.id,
          leaseMs: this.tuning.leaseMs,
          limit: this.tuning.batchSize,
          tables: this.refs,
        });
        failures = 0;
        if (rows.length > 0) {
          await this.handleBatch(rows);
          continue;
        }
        const due = await millisecondsUntilDue(this.connection, this.group, this.refs);
        // Due now but not claimed: another subscriber is claiming it this moment; look again shortly.
        await this.sleep(Math.min(Math.max(due ?? Infinity, MIN_WAIT_MS), this.pollMs, this.nextCheckAt - Date.now()));
      } catch (error) {
        failures++;
        this.callbacks.onError(new FeedConnectionError('claim changes', error));
        await this.pause(Math.min(RECONNECT_MAX_MS, 100 * 2 ** failures));
      }
    }
  }

  /** Wait `ms`, or less if a notification comes (or came since the last claim). */
  private sleep(ms: number): Promise<void> {
    if (this.dirty) return Promise.resolve();
    return this.pause(ms);
  }

  /** Wait `ms`; `wake()` and `stop()` cut it short. */
  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wakeUp = done;
    });
  }

  private async handleBatch(rows: ClaimedRow[]): Promise<void> {
    const { connection, group, id: subscriber, tuning } = this;
    const heartbeat = setInterval(() => {
      extendLease(connection, group, subscriber, tuning.leaseMs).catch((error: unknown) =>
        this.callbacks.onError(new FeedConnectionError('extend its lease', error)),
      );
    }, Math.max(50, Math.floor(tuning.leaseMs / 3)));
    const done: string[] = [];
    const failed: FailedDelivery[] = [];
    const released: string[] = [];
    try {
      const records = new Map<string, ClaimedRow[]>();
      for (const row of [...rows].sort((a, b) => compareIds(a.id, b.id))) {
        const list = records.get(row.record_key);
        if (list === undefined) records.set(row.record_key, [row]);
        else list.push(row);
      }
      await eachLimited([...records.values()], tuning.concurrency, async (changes) => {
        for (const [at, row] of changes.entries()) {
          if (this.stopping) {
            released.push(...changes.slice(at).map((change) => change.id));
            return;
          }
          try {
            if ((await this.deliverBounded(row)) === 'cut') {
              // stop()'s bound passed while it ran: given back, not counted as an attempt.
              released.push(...changes.slice(at).map((change) => change.id));
              return;
            }
            done.push(row.id);
          } catch (error) {
            failed.push(this.failure(row, error));
            // Later changes of this record wait for this one: commit order per record.
            released.push(...changes.slice(at + 1).map((change) => change.id));
            return;
          }
        }
      });
    } finally {
      clearInterval(heartbeat);
    }
    await acknowledge(connection, group, subscriber, done);
    await recordFailures(connection, group, subscriber, failed);
    await release(connection, group, subscriber, released);
    if (this.stopping && released.length > 0) {
      // Wake the group's other subscribers for what this one gave back.
      const givenBack = new Set(released);
      const keys = new Set(rows.filter((row) => givenBack.has(row.id)).map((row) => this.refKeyOf(row)));
      for (const key of keys) await notifyFeed(connection, key);
    }
  }

  private refKeyOf(row: ClaimedRow): string {
    return `${row.table_schema}.${row.table_name}`;
  }

  /**
   * Deliver `row` within `handlerTimeoutMs` (a HandlerTimeoutError past it);
   * 'cut' when stop()'s bound passes first.
   */
  private async deliverBounded(row: ClaimedRow): Promise<'done' | 'cut'> {
    const controller = new AbortController();
    // One promise per call (not one shared by all): a shared one would keep a reaction per delivery until stop().
    let giveUp!: () => void;
    const cut = new Promise<'cut'>((resolve) => (giveUp = () => resolve('cut')));
    if (this.givenUp) giveUp();
    this.inFlight.set(controller, giveUp);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new HandlerTimeoutError(row.id, this.group, this.refKeyOf(row), this.tuning.handlerTimeoutMs);
        controller.abort(error);
        this.callbacks.onError(error);
        reject(error);
      }, this.tuning.handlerTimeoutMs);
    });
    try {
      return await Promise.race([this.deliver(row, { signal: controller.signal }).then(() => 'done' as const), timeout, cut]);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  private async deliver(row: ClaimedRow, context: HandlerContext): Promise<void> {
    const table = this.byKey.get(this.refKeyOf(row));
    if (table === undefined) throw new Error(`The subscriber does not follow ${this.refKeyOf(row)}.`);
    const change = changeOfRow(row, table, this.group);
    if (!('reason' in change)) {
      await this.callbacks.handler(change, context);
      return;
    }
    if (this.callbacks.onResync !== undefined) await this.callbacks.onResync(change, context);
    else this.callbacks.onError(new ResyncNotHandledError(this.refKeyOf(row), change.reason, change.since));
  }

  private failure(row: ClaimedRow, error: unknown): FailedDelivery {
    const park = row.attempt >= this.tuning.maxAttempts;
    if (park) this.callbacks.onError(new ChangeParkedError(row.id, this.group, this.refKeyOf(row), row.attempt, error));
    const delay = Math.min(this.tuning.maxRetryDelayMs, this.tuning.retryDelayMs * 2 ** (row.attempt - 1));
    // Half fixed, half random: subscribers that failed together do not retry together.
    return { id: row.id, delayMs: park ? 0 : Math.round(delay / 2 + (Math.random() * delay) / 2), park, error: describeError(error) };
  }
}

/** Compare bigint ids given as text. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Run `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
