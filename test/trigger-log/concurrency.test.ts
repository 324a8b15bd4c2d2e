/**
 * Two workers retrying the same 1,000 failed logs at once requeue each log
 * exactly once (rows are locked with `for update skip locked`). On
 * PostgreSQL the two run on two connections; PGlite serializes them.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { retryFailed, triggerLog, triggerLogArchive, type WriteAlgorithm } from 'hc-drizzle/trigger-log';
import { setupTestDatabase, type HcTestDatabase } from 'hc-drizzle/testing';
import { databaseTargets } from '../support/databases.ts';
import { account } from './fixtures.ts';

const COUNT = 1000;

for (const target of databaseTargets()) {
  describe(`concurrent retries on ${target.name}`, () => {
    let database: HcTestDatabase;
    before(async () => {
      database = await setupTestDatabase({ account }, { url: target.name === 'postgres' ? process.env['DATABASE_URL'] : undefined });
    });
    after(() => database.close());
    beforeEach(async () => {
      await database.reset();
      const rows = Array.from({ length: COUNT }, (_, n) => ({ name: `Account ${n}` }));
      await database.db.insert(account).values(rows);
      await database.exec(`update salesforce._trigger_log set state = 'FAILED', sf_message = 'UNABLE_TO_LOCK_ROW'`);
    });

    const total = (result: { live: number; archived: number }) => result.live + result.archived;

    for (const writeAlgorithm of ['merged', 'ordered'] as const satisfies readonly WriteAlgorithm[]) {
      it(`requeues each live log once when two ${writeAlgorithm} retries race`, async () => {
        const results = await Promise.all([
          retryFailed(database.db, {}, { writeAlgorithm }),
          retryFailed(database.db, {}, { writeAlgorithm }),
        ]);
        assert.equal(total(results[0]) + total(results[1]), COUNT);
        const [counts] = await database.query<{ failed: number; live: number }>(
          `select count(*) filter (where state = 'FAILED')::int as failed, count(*)::int as live from salesforce._trigger_log`,
        );
        // merged: the same rows, back to NEW; ordered: one re-capture per log, never two.
        assert.deepEqual(counts, { failed: 0, live: writeAlgorithm === 'merged' ? COUNT : 2 * COUNT });
      });
    }

    it('skips the logs another worker holds, and finds none left once it commits', async () => {
      await database.exec(`insert into salesforce._trigger_log_archive select * from salesforce._trigger_log; delete from salesforce._trigger_log`);
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const first = database.db.transaction(async (tx) => {
        const result = await retryFailed(tx, {}, { writeAlgorithm: 'merged' });
        locked();
        await tx.execute(sql`select pg_sleep(0.3)`);
        return result;
      });
      await lockTaken;
      const second = await retryFailed(database.db, {}, { writeAlgorithm: 'merged' });
      const third = await retryFailed(database.db, {}, { writeAlgorithm: 'merged' });
      assert.deepEqual(await first, { live: 0, archived: COUNT });
      assert.deepEqual([second, third], [{ live: 0, archived: 0 }, { live: 0, archived: 0 }]);
      assert.equal(await database.db.$count(triggerLog), COUNT);
      assert.equal(await database.db.$count(triggerLogArchive, sql`state = 'REQUEUED'`), COUNT);
    });
  });
}
