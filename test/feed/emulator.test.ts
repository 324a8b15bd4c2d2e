/**
 * Salesforce-side changes reach a subscriber through the emulator: a record
 * created, updated and deleted in the org arrives with `sync()` as an
 * insert, an update and a delete; an app's own insert does not, and
 * Heroku Connect writing its sfid back does, as an update.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { startEmulator, type Emulator } from 'hc-drizzle/emulator';
import { installChangeFeed, isChangeOf, subscribeChanges, type Change, type ChangeSubscription } from 'hc-drizzle/feed';
import type { OpenDatabase } from '../../src/node/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { account, collector, poolOf } from './fixtures.ts';

for (const target of databaseTargets()) {
  describe(`Salesforce changes through the emulator on ${target.name}`, () => {
    let database: OpenDatabase;
    let emulator: Emulator;
    let subscription: ChangeSubscription;
    const changes = collector<Change<typeof account>>();
    before(async () => {
      database = await target.open();
      emulator = await startEmulator({ db: database.db, schema: { account } });
      await installChangeFeed(database.db, [account]);
      subscription = await subscribeChanges({ pool: poolOf(database as never), tables: [account], group: 'app', handler: (change) => changes.push(change) });
    });
    after(async () => {
      await subscription.stop();
      await emulator.close();
      await database.close();
    });

    it('delivers a record created, updated and deleted in Salesforce, once each sync brings it in', async () => {
      const id = await emulator.org.create('Account', { Name: 'Made in Salesforce', Credit_Limit__c: 1000, Closed_At__c: '2024-06-01T12:34:56.000+0000' });
      await emulator.sync();
      const [inserted] = await changes.until(1);
      assert.ok(inserted && isChangeOf(inserted, account) && inserted.op === 'insert');
      assert.deepEqual([inserted.row.sfid, inserted.row.name, inserted.row.creditLimit], [id, 'Made in Salesforce', 1000]);
      assert.deepEqual(inserted.row.closedAt, new Date('2024-06-01T12:34:56.000Z'));
      assert.ok(inserted.row.systemModstamp instanceof Date);

      await emulator.org.update('Account', id, { Credit_Limit__c: 5000 });
      await emulator.sync();
      const [, updated] = await changes.until(2);
      assert.ok(updated?.op === 'update');
      assert.deepEqual([updated.old.creditLimit, updated.row.creditLimit], [1000, 5000]);

      await emulator.org.delete('Account', id);
      await emulator.sync();
      const [, , deleted] = await changes.until(3);
      assert.deepEqual([deleted?.op, deleted?.row.sfid], ['delete', id]);
    });

    it("does not deliver the app's own insert, and delivers the sfid Heroku Connect writes back", async () => {
      const before = changes.items.length;
      const [row] = await database.db.insert(account).values({ name: 'Made in the app' }).returning();
      await emulator.sync();
      const [writeBack] = (await changes.until(before + 1)).slice(before);
      assert.ok(writeBack?.op === 'update');
      assert.equal(writeBack.old.sfid, null);
      const [synced] = await database.db.select().from(account).where(eq(account.id, row!.id));
      assert.equal(writeBack.row.sfid, synced!.sfid);
      assert.equal(changes.items.length, before + 1);
    });
  });
}
