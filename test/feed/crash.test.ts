/**
 * A subscriber that dies holding changes: what it claimed goes to the rest
 * of its group once its lease runs out, in order. On PostgreSQL the
 * subscriber is a real process killed with SIGKILL; PGlite lives in one
 * process, so there the dead subscriber is a claim nobody heartbeats.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { subscribeChanges, type Change, type ChangeSubscription } from 'hc-drizzle/feed';
import { setupTestDatabase, type HcTestDatabase } from 'hc-drizzle/testing';
import { asHerokuConnect } from 'hc-drizzle/trigger-log';
import { connectionOf } from '../../src/feed/connection.ts';
import { claim } from '../../src/feed/queries.ts';
import { installChangeFeed } from 'hc-drizzle/feed';
import { account, collector, poolOf, sfidOf } from './fixtures.ts';

const LEASE_MS = 1_000;
const CHILD = fileURLToPath(new URL('./support/subscriber-process.ts', import.meta.url));
const url = process.env['DATABASE_URL'] || undefined;

describe('a subscriber that dies', () => {
  let database: HcTestDatabase;
  let survivor: ChangeSubscription | undefined;
  const fromSalesforce = (name: string, n: number) =>
    asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: sfidOf('001', n), name }));

  describe('on postgres (kill -9 of its process)', { skip: url === undefined && 'DATABASE_URL is not set' }, () => {
    before(async () => {
      database = await setupTestDatabase({ account }, { url });
    });
    after(async () => {
      await survivor?.stop();
      await database.close();
    });

    it('hands what the killed process held to the rest of the group once the lease runs out, in order per record', async () => {
      const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
      const target = new URL(url!);
      target.pathname = `/${name}`;
      // Both changes are there before the process starts, so it claims both and
      // dies in the first: the second was held but never started.
      await installChangeFeed(database.db, [account], { groups: ['app'] });
      await fromSalesforce('Hang on', 1);
      await asHerokuConnect(database.db, (tx) => tx.update(account).set({ name: 'After the crash' }).where(eq(account.sfid, sfidOf('001', 1))));
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: { ...process.env, FEED_URL: target.toString(), FEED_GROUP: 'app', FEED_LEASE_MS: String(LEASE_MS) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const first = (await lines.next()).value as string;
      const held = JSON.parse(first === 'ready' ? ((await lines.next()).value as string) : first) as { id: string; name: string; attempt: number };
      assert.deepEqual([held.name, held.attempt], ['Hang on', 1]);
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      const [, signal] = await exited;
      assert.equal(signal, 'SIGKILL');

      const changes = collector<Change<typeof account>>();
      const started = performance.now();
      survivor = await subscribeChanges({ url: target.toString(), tables: [account], group: 'app', handler: (change) => changes.push(change) });
      await changes.until(2);
      assert.deepEqual(
        changes.items.map((change) => [change.id, change.row.name, change.attempt]),
        [[held.id, 'Hang on', 2], [String(Number(held.id) + 1), 'After the crash', 1]],
      );
      assert.ok(performance.now() - started < LEASE_MS + 5_000);
    });
  });

  describe('on pglite (a claim nobody heartbeats)', () => {
    before(async () => {
      database = await setupTestDatabase({ account }, { url: undefined });
    });
    after(async () => {
      await survivor?.stop();
      await database.close();
    });

    it('redelivers what a dead subscriber claimed once its lease runs out', async () => {
      await installChangeFeed(database.db, [account], { groups: ['app'] });
      await fromSalesforce('Claimed by the dead', 1);
      await fromSalesforce('Behind it', 2);
      const dead = await claim(connectionOf(poolOf(database)), {
        group: 'app',
        subscriber: 'a subscriber that died',
        leaseMs: LEASE_MS,
        limit: 1,
        tables: [{ schema: 'salesforce', name: 'account' }],
      });
      assert.equal(dead.length, 1);
      const changes = collector<Change<typeof account>>();
      survivor = await subscribeChanges({ pool: poolOf(database), tables: [account], group: 'app', handler: (change) => changes.push(change) });
      // The unclaimed change comes at once; the dead one's after its lease.
      const [first] = await changes.until(1);
      assert.equal(first?.row.name, 'Behind it');
      const [, second] = await changes.until(2, LEASE_MS + 5_000);
      assert.deepEqual([second?.row.name, second?.attempt], ['Claimed by the dead', 2]);
    });
  });
});
