/**
 * The emulated connection's sync: one cycle writes out, then polls in, as
 * Heroku Connect does. `sync()` runs one cycle on demand (tests); realtime
 * mode runs cycles on its own: a write-out when the trigger log's NOTIFY
 * fires and every `intervalSeconds`, each object's poll when its
 * `pollingSeconds` have passed, or as soon as the org changes it when
 * `notifyEnabled` (accelerated polling, heroku-connect.md §7). Cycles never
 * overlap.
 */
import { sql } from 'drizzle-orm';
import type { AnyPgDatabase } from '../../compat.ts';
import { qualified } from '../../dev/sql-text.ts';
import type { WriteAlgorithm } from '../../trigger-log/constants.ts';
import { asHerokuConnect, triggerLogChannel } from '../../trigger-log/conventions.ts';
import type { Org } from '../org/org.ts';
import { listenForLogs } from './listen.ts';
import type { MappedTable } from './mapped-tables.ts';
import { pollIn, type PollInResult } from './poll-in.ts';
import { writeOut, type WriteOutResult } from './write-out.ts';

/** What one cycle did. */
export interface SyncResult {
  /** Trigger log entries written to Salesforce. */
  readonly writtenOut: WriteOutResult;
  /** Salesforce changes applied to the tables. */
  readonly polledIn: PollInResult;
  /** Nothing was done: the connection is paused. */
  readonly paused: boolean;
  /** Nothing was done: the org is unavailable (a fault). */
  readonly orgUnavailable: boolean;
}

/** Options of the engine. */
export interface SyncOptions {
  /** The connection's write algorithm now. */
  readonly writeAlgorithm: () => WriteAlgorithm;
  /** The mappings the connection has now, with their current polling settings. */
  readonly mappings: () => readonly MappedTable[];
  /** Trigger log entries per write transaction. */
  readonly batchSize: number;
  /** Whether the connection is paused now. */
  readonly isPaused: () => boolean;
  /** Told of each cycle that did something, and of errors in realtime cycles. */
  readonly report: (event: { readonly kind: 'cycle'; readonly result: SyncResult } | { readonly kind: 'error'; readonly error: unknown }) => void;
}

const NOTHING: PollInResult = { inserted: 0, updated: 0, deleted: 0 };

/** The sync engine of one emulated connection. */
export class SyncEngine {
  readonly #db: AnyPgDatabase;
  readonly #org: Org;
  readonly #options: SyncOptions;
  #queue: Promise<unknown> = Promise.resolve();
  #writeRequested = false;
  readonly #pollsRequested = new Set<string>();
  readonly #lastPoll = new Map<string, number>();
  #stopRealtime: (() => Promise<void>) | undefined;

  constructor(db: AnyPgDatabase, org: Org, options: SyncOptions) {
    this.#db = db;
    this.#org = org;
    this.#options = options;
  }

  get #mappings(): readonly MappedTable[] {
    return this.#options.mappings();
  }

  /** Run after the cycles queued so far. */
  #serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** One cycle: write out every NEW log, then poll the given objects (default all). */
  sync(poll?: readonly MappedTable[], write = true): Promise<SyncResult> {
    return this.#serially(async () => {
      const idle = { writtenOut: { success: 0, failed: 0, merged: 0 }, polledIn: NOTHING };
      if (this.#options.isPaused()) return { ...idle, paused: true, orgUnavailable: false };
      if (this.#org.faults.isUnavailable) return { ...idle, paused: false, orgUnavailable: true };
      const mappings = this.#mappings;
      const writtenOut = write ? await writeOut(this.#db, this.#org, mappings, this.#options.writeAlgorithm(), this.#options.batchSize) : idle.writtenOut;
      const polledIn = { ...NOTHING };
      // A mapping deleted since the poll was asked for is not polled.
      for (const mapping of (poll ?? mappings).filter((one) => mappings.some((current) => current.object === one.object))) {
        const result = await pollIn(this.#db, this.#org, mapping);
        this.#lastPoll.set(mapping.object.name, Date.now());
        polledIn.inserted += result.inserted;
        polledIn.updated += result.updated;
        polledIn.deleted += result.deleted;
      }
      return { writtenOut, polledIn, paused: false, orgUnavailable: false };
    });
  }

  /**
   * Run on its own until {@link stopRealtime}: wake on the trigger log's
   * NOTIFY, every `intervalSeconds`, and on org changes to notify-enabled objects.
   */
  async startRealtime(intervalSeconds: number): Promise<void> {
    const channels = [...new Set(this.#mappings.map((mapping) => triggerLogChannel(mapping.schema)))];
    const unlisten = await listenForLogs(this.#db, channels, () => this.#request(true, []));
    const stopChanges = this.#org.onChange((objects) => {
      const accelerated = this.#mappings.filter((mapping) => mapping.notifyEnabled && objects.has(mapping.object.name));
      if (accelerated.length > 0) this.#request(false, accelerated);
    });
    const timer = setInterval(() => this.#request(true, this.#duePolls()), Math.max(1, intervalSeconds) * 1000);
    // Start as Heroku Connect does on connecting: whatever is queued, and a first poll of each object.
    this.#request(true, this.#mappings);
    this.#stopRealtime = async () => {
      clearInterval(timer);
      stopChanges();
      await unlisten();
    };
  }

  /**
   * Reload a mapping's table as Heroku Connect does: empty it and load every
   * record of its object again (in Heroku Connect's session, not logged).
   */
  reload(mapping: MappedTable): Promise<PollInResult> {
    return this.#serially(async () => {
      await asHerokuConnect(this.#db, async (tx) => {
        await tx.execute(sql`delete from ${sql.raw(mapping.sqlName)}`);
        await tx.execute(sql`delete from ${sql.raw(qualified(this.#org.schema, 'poll'))} where object_name = ${mapping.object.name}`);
      });
      const result = await pollIn(this.#db, this.#org, mapping);
      this.#lastPoll.set(mapping.object.name, Date.now());
      return result;
    });
  }

  /** The mappings whose polling interval has passed. */
  #duePolls(): MappedTable[] {
    const now = Date.now();
    return this.#mappings.filter((mapping) => now - (this.#lastPoll.get(mapping.object.name) ?? 0) >= mapping.pollingSeconds * 1000);
  }

  /** Ask for a cycle; requests that arrive while one is queued join it. */
  #request(write: boolean, polls: readonly MappedTable[]): void {
    const pending = this.#writeRequested || this.#pollsRequested.size > 0;
    this.#writeRequested ||= write;
    for (const mapping of polls) this.#pollsRequested.add(mapping.object.name);
    if (pending) return;
    void this.#serially(async () => {
      const write = this.#writeRequested;
      const polls = this.#mappings.filter((mapping) => this.#pollsRequested.has(mapping.object.name));
      this.#writeRequested = false;
      this.#pollsRequested.clear();
      return { write, polls };
    }).then(({ write, polls }) =>
      this.sync(polls, write).then(
        (result) => {
          const { writtenOut: w, polledIn: p } = result;
          if (w.success + w.failed + w.merged + p.inserted + p.updated + p.deleted > 0) this.#options.report({ kind: 'cycle', result });
        },
        (error: unknown) => this.#options.report({ kind: 'error', error }),
      ),
    );
  }

  /** Stop realtime mode and wait for the cycle in progress. */
  async stopRealtime(): Promise<void> {
    await this.#stopRealtime?.();
    this.#stopRealtime = undefined;
    await this.#queue;
  }
}
