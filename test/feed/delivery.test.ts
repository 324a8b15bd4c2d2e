/**
 * How changes are delivered: at least once per group, shared by the
 * subscribers of a group, in commit order per record, acknowledged after the
 * handler resolves, retried with backoff then parked, resumed after a
 * restart, and forgotten after the retention.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import {
  ChangeParkedError,
  dismissParkedChanges,
  HandlerTimeoutError,
  feedStatus,
  listParkedChanges,
  retryParkedChanges,
  subscribeChanges,
  type Change,
  type ChangeSubscription,
} from 'hc-drizzle/feed';
import { setupTestDatabase, type HcTestDatabase } from 'hc-drizzle/testing';
import { asHerokuConnect } from 'hc-drizzle/trigger-log';
import { databaseTargets } from '../support/databases.ts';
import { account, collector, poolOf, resetFeed, sfidOf } from './fixtures.ts';

type AccountChange = Change<typeof account>;

for (const target of databaseTargets()) {
  describe(`change delivery on ${target.name}`, () => {
    let database: HcTestDatabase;
    const running: ChangeSubscription[] = [];
    const subscribe = async (options: Omit<Parameters<typeof subscribeChanges<[typeof account]>>[0], 'pool' | 'tables'>) => {
      const subscription = await subscribeChanges({ pool: poolOf(database), tables: [account], ...options });
      running.push(subscription);
      return subscription;
    };
    const stopAll = async () => {
      await Promise.all(running.splice(0).map((subscription) => subscription.stop()));
    };
    const fromSalesforce = (work: Parameters<typeof asHerokuConnect>[1]) => asHerokuConnect(database.db, work);
    const insertAccounts = (count: number, from = 1) =>
      fromSalesforce((tx) =>
        tx.insert(account).values(Array.from({ length: count }, (_, n) => ({ sfid: sfidOf('001', from + n), name: `Account ${from + n}` }))),
      );

    before(async () => {
      database = await setupTestDatabase({ account }, { url: target.name === 'postgres' ? process.env['DATABASE_URL'] : undefined });
    });
    after(async () => {
      await stopAll();
      await database.close();
    });
    beforeEach(async () => {
      await stopAll();
      await resetFeed(database);
    });

    it("hands each record's changes over in commit order, while records interleave and run concurrently", async () => {
      const changes = collector<AccountChange>();
      await subscribe({
        group: 'app',
        concurrency: 4,
        batchSize: 7,
        handler: async (change) => {
          // Uneven handler times: a later change of a record must still wait for the earlier one.
          await new Promise((resolve) => setTimeout(resolve, Number(change.id) % 3));
          changes.push(change);
        },
      });
      await insertAccounts(3);
      for (let step = 1; step <= 5; step++) {
        for (let n = 1; n <= 3; n++) {
          await fromSalesforce((tx) => tx.update(account).set({ employees: step }).where(eq(account.sfid, sfidOf('001', n))));
        }
      }
      await changes.until(18);
      for (let n = 1; n <= 3; n++) {
        const ofRecord = changes.items.filter((change) => change.row.sfid === sfidOf('001', n)).map((change) => change.row.employees);
        assert.deepEqual(ofRecord, [null, 1, 2, 3, 4, 5], `record ${n}`);
      }
    });

    it('shares a group between two subscribers: each change is handled once, and both take part', async () => {
      const handled = new Map<string, string>();
      const changes = collector<AccountChange>();
      const handlerOf = (name: string) => async (change: AccountChange) => {
        assert.equal(handled.has(change.id), false, `change ${change.id} handled twice`);
        handled.set(change.id, name);
        await new Promise((resolve) => setTimeout(resolve, 2));
        changes.push(change);
      };
      await subscribe({ group: 'shared', batchSize: 5, handler: handlerOf('first') });
      await subscribe({ group: 'shared', batchSize: 5, handler: handlerOf('second') });
      await insertAccounts(200);
      await changes.until(200);
      assert.equal(handled.size, 200);
      const shares = [...handled.values()].reduce((counts, name) => counts.set(name, (counts.get(name) ?? 0) + 1), new Map<string, number>());
      assert.ok((shares.get('first') ?? 0) > 0 && (shares.get('second') ?? 0) > 0, `shares ${JSON.stringify([...shares])}`);
    });

    it('gives every group every change', async () => {
      const billing = collector<AccountChange>();
      const search = collector<AccountChange>();
      await subscribe({ group: 'billing', handler: (change) => billing.push(change) });
      await subscribe({ group: 'search', handler: (change) => search.push(change) });
      await insertAccounts(20);
      await Promise.all([billing.until(20), search.until(20)]);
      assert.deepEqual(
        billing.items.map((change) => change.id),
        search.items.map((change) => change.id),
      );
    });

    it('retries a failing handler with growing delays, parks the change, lets the record go on, and retries it on request', async () => {
      const attempts: { attempt: number; at: number }[] = [];
      const errors = collector<Error>();
      const changes = collector<AccountChange>();
      let healthy = false;
      await subscribe({
        group: 'app',
        maxAttempts: 3,
        retryDelayMs: 40,
        onError: (error) => errors.push(error),
        handler: (change) => {
          if (change.op === 'insert' && change.row.sfid === sfidOf('001', 1) && !healthy) {
            attempts.push({ attempt: change.attempt, at: performance.now() });
            throw new Error('the billing service is down');
          }
          changes.push(change);
        },
      });
      await insertAccounts(2);
      await fromSalesforce((tx) => tx.update(account).set({ name: 'Renamed' }).where(eq(account.sfid, sfidOf('001', 1))));

      const [parked] = await errors.until(1);
      assert.ok(parked instanceof ChangeParkedError);
      assert.equal(parked.attempts, 3);
      assert.equal(parked.group, 'app');
      assert.match(parked.message, /^Parked change \d+ of salesforce\.account for the group app after 3 failed attempts: Error: the billing service is down$/);
      assert.deepEqual(attempts.map((entry) => entry.attempt), [1, 2, 3]);
      // Backoff: the first retry waits at least half of 40 ms, the second half of 80 ms.
      assert.ok(attempts[1]!.at - attempts[0]!.at >= 18, `first delay ${attempts[1]!.at - attempts[0]!.at}`);
      assert.ok(attempts[2]!.at - attempts[1]!.at >= 38, `second delay ${attempts[2]!.at - attempts[1]!.at}`);

      // The other record was not held up, and the parked record's update went on after the parking.
      await changes.until(2);
      assert.deepEqual(changes.items.map((change) => [change.op, change.row.name]).sort(), [['insert', 'Account 2'], ['update', 'Renamed']]);

      const [listed, ...more] = await listParkedChanges(database.db, { group: 'app' });
      assert.equal(more.length, 0);
      assert.equal(listed?.id, parked.changeId);
      assert.equal(listed?.op, 'insert');
      assert.equal(listed?.table, 'salesforce.account');
      assert.equal(listed?.row?.['name'], 'Account 1');
      assert.equal(listed?.attempts, 3);
      assert.equal(listed?.lastError, 'Error: the billing service is down');
      assert.equal((await feedStatus(database.db)).groups[0]?.parked, 1);

      healthy = true;
      assert.equal(await retryParkedChanges(database.db, { group: 'app', ids: [parked.changeId] }), 1);
      const [, , retried] = await changes.until(3);
      assert.equal(retried?.id, parked.changeId);
      assert.equal(retried?.attempt, 1);
      assert.deepEqual(await listParkedChanges(database.db), []);
    });

    it('holds the later changes of a record while an earlier one waits for its retry', async () => {
      const changes = collector<AccountChange>();
      let failuresLeft = 1;
      await subscribe({
        group: 'app',
        retryDelayMs: 60,
        handler: (change) => {
          if (change.op === 'insert' && failuresLeft-- > 0) throw new Error('not yet');
          changes.push(change);
        },
      });
      await insertAccounts(1);
      await fromSalesforce((tx) => tx.update(account).set({ name: 'Second' }).where(eq(account.sfid, sfidOf('001', 1))));
      await changes.until(2);
      assert.deepEqual(changes.items.map((change) => [change.op, change.attempt]), [['insert', 2], ['update', 1]]);
    });

    it('resumes after a restart from where the group stopped', async () => {
      const first = collector<AccountChange>();
      const subscription = await subscribe({ group: 'app', handler: (change) => first.push(change) });
      await insertAccounts(1);
      await first.until(1);
      await subscription.stop();
      await insertAccounts(3, 2);
      const second = collector<AccountChange>();
      await subscribe({ group: 'app', handler: (change) => second.push(change) });
      await second.until(3);
      assert.deepEqual(second.items.map((change) => change.row.name), ['Account 2', 'Account 3', 'Account 4']);
    });

    it('lets the handler in progress finish on stop(), acknowledges it, and gives back the rest at once', async () => {
      let release!: () => void;
      const started = collector<AccountChange>();
      const subscription = await subscribe({
        group: 'app',
        batchSize: 10,
        leaseMs: 60_000,
        handler: async (change) => {
          started.push(change);
          await new Promise<void>((resolve) => (release = resolve));
        },
      });
      await insertAccounts(10);
      await started.until(1);
      const stopped = subscription.stop();
      release();
      await stopped;
      assert.equal(started.items.length, 1);
      const rest = collector<AccountChange>();
      // The lease is a minute: the rest arrives at once only because it was given back.
      await subscribe({ group: 'app', handler: (change) => rest.push(change) });
      await rest.until(9, 5_000);
      assert.deepEqual(rest.items.map((change) => change.row.name), Array.from({ length: 9 }, (_, n) => `Account ${n + 2}`));
    });

    it('gives up a handler that never settles after handlerTimeoutMs: its signal is aborted, the attempt fails, the change is parked and the record goes on', async () => {
      const errors = collector<Error>();
      const changes = collector<AccountChange>();
      const aborted: unknown[] = [];
      await subscribe({
        group: 'app',
        handlerTimeoutMs: 150,
        maxAttempts: 2,
        retryDelayMs: 0,
        onError: (error) => errors.push(error),
        handler: (change, { signal }) => {
          if (change.op === 'insert') {
            signal.addEventListener('abort', () => aborted.push(signal.reason));
            return new Promise(() => {}); // hangs for ever
          }
          changes.push(change);
          return undefined;
        },
      });
      await insertAccounts(1);
      await fromSalesforce((tx) => tx.update(account).set({ name: 'Renamed' }).where(eq(account.sfid, sfidOf('001', 1))));

      // Two timed-out attempts, then the parking.
      const [first, second, parked] = await errors.until(3);
      for (const error of [first, second]) {
        assert.ok(error instanceof HandlerTimeoutError, String(error));
        assert.match(error.message, /^The handler of change \d+ of salesforce\.account for the group app did not settle within 150 ms: the attempt counts as failed, and its signal is aborted\.$/);
      }
      assert.ok(parked instanceof ChangeParkedError);
      assert.equal(parked.attempts, 2);
      assert.match(parked.message, /after 2 failed attempts: HandlerTimeoutError: The handler of change/);
      assert.equal(aborted.length, 2);
      assert.ok(aborted.every((reason) => reason instanceof HandlerTimeoutError));

      // The record was not held for ever: its update came after the parking.
      const [update] = await changes.until(1);
      assert.equal(update?.op, 'update');
      assert.equal(update?.row.name, 'Renamed');
      const [listed] = await listParkedChanges(database.db, { group: 'app' });
      assert.equal(listed?.id, parked.changeId);
      assert.match(listed?.lastError ?? '', /^HandlerTimeoutError: /);
    });

    it('bounds stop(): a handler that never settles is aborted at timeoutMs and its change given back, undelivered, at once', async () => {
      const started = collector<AccountChange>();
      let reason: unknown;
      const subscription = await subscribe({
        group: 'app',
        batchSize: 10,
        leaseMs: 60_000,
        handler: (change, { signal }) => {
          started.push(change);
          signal.addEventListener('abort', () => (reason = signal.reason));
          return new Promise(() => {});
        },
      });
      await insertAccounts(3);
      await started.until(1);
      await assert.rejects(subscription.stop({ timeoutMs: -1 }), { name: 'InputError', message: 'stop(): timeoutMs must be at least 0.' });
      await subscription.stop({ timeoutMs: 100 });
      assert.equal(started.items.length, 1);
      assert.ok(reason instanceof Error);
      assert.equal((reason as Error).name, 'AbortError');
      assert.match((reason as Error).message, /did not settle within stop\(\)'s 100 ms/);
      // Stopping again is the same, settled stop.
      await subscription.stop();

      // The lease is a minute: the changes arrive at once only because they were given back, the cut one as a first attempt.
      const rest = collector<AccountChange>();
      await subscribe({ group: 'app', handler: (change) => rest.push(change) });
      await rest.until(3, 5_000);
      assert.deepEqual(rest.items.map((change) => [change.row.name, change.attempt]), [['Account 1', 1], ['Account 2', 1], ['Account 3', 1]]);
    });

    it('keeps delivering when onError itself throws', async () => {
      const changes = collector<AccountChange>();
      const reported: Error[] = [];
      const written: string[] = [];
      const write = console.error;
      console.error = (line: unknown) => written.push(String(line));
      try {
        await subscribe({
          group: 'app',
          maxAttempts: 1,
          onError: (error) => {
            reported.push(error);
            throw new Error('the error tracker is down');
          },
          handler: (change) => {
            if (change.row.name === 'Account 1') throw new Error('bad record');
            changes.push(change);
          },
        });
        await insertAccounts(2);
        await changes.until(1);
        await insertAccounts(1, 3);
        await changes.until(2);
      } finally {
        console.error = write;
      }
      assert.deepEqual(changes.items.map((change) => change.row.name), ['Account 2', 'Account 3']);
      assert.ok(reported[0] instanceof ChangeParkedError);
      assert.ok(written.some((line) => line === 'hc-drizzle feed: onError threw: Error: the error tracker is down'), written.join('\n'));
    });

    it('forgets handled changes after the retention, and keeps parked ones', async () => {
      const changes = collector<AccountChange>();
      const errors = collector<Error>();
      await subscribe({
        group: 'app',
        maxAttempts: 1,
        retentionMs: 0,
        checkIntervalMs: 100,
        onError: (error) => errors.push(error),
        handler: (change) => {
          if (change.row.name === 'Account 1') throw new Error('rejected');
          changes.push(change);
        },
      });
      await insertAccounts(3);
      await Promise.all([changes.until(2), errors.until(1)]);
      const count = async () =>
        (await database.query<{ changes: number; deliveries: number }>(
          `select (select count(*)::int from hc_drizzle_feed.change) as changes, (select count(*)::int from hc_drizzle_feed.delivery) as deliveries`,
        ))[0];
      for (let wait = 0; wait < 100 && (await count())?.changes !== 1; wait++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(await count(), { changes: 1, deliveries: 1 });
      assert.equal((await listParkedChanges(database.db))[0]?.row?.['name'], 'Account 1');
      assert.equal(await dismissParkedChanges(database.db, { table: account }), 1);
      assert.deepEqual(await listParkedChanges(database.db), []);
    });

    it('delivers a burst of 10,000 changes, each record in order', async () => {
      const seen = new Map<string, string[]>();
      let count = 0;
      let done!: () => void;
      const all = new Promise<void>((resolve) => (done = resolve));
      await subscribe({
        group: 'burst',
        batchSize: 500,
        handler: (change) => {
          const ops = seen.get(change.row.sfid!) ?? [];
          ops.push(change.op);
          seen.set(change.row.sfid!, ops);
          if (++count === 10_000) done();
        },
      });
      const started = performance.now();
      await insertAccounts(5_000);
      await fromSalesforce((tx) => tx.update(account).set({ name: sql`${account.name} || ' renamed'` }));
      await all;
      const seconds = (performance.now() - started) / 1000;
      assert.equal(count, 10_000);
      assert.equal(seen.size, 5_000);
      for (const [sfid, ops] of seen) assert.deepEqual(ops, ['insert', 'update'], sfid);
      process.stdout.write(`# ${target.name}: 10,000 changes delivered in ${seconds.toFixed(2)} s\n`);
    });
  });
}
