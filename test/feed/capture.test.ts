/**
 * What the change feed captures: Heroku Connect's inserts, updates and
 * deletes (not the application's), typed as the table's rows; and how it
 * survives a reload that drops the capture triggers.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import {
  FeedTableMissingError,
  installChangeFeed,
  isChangeOf,
  ResyncNotHandledError,
  subscribeChanges,
  type Change,
  type ChangeSubscription,
  type ResyncEvent,
} from 'hc-drizzle/feed';
import { setupTestDatabase, type HcTestDatabase } from 'hc-drizzle/testing';
import { hcTable, sfText } from 'hc-drizzle';
import { asHerokuConnect } from 'hc-drizzle/trigger-log';
import { tableDdl } from '../../src/dev/table-ddl.ts';
import { tableTriggersDdl } from '../../src/dev/triggers-ddl.ts';
import { databaseTargets } from '../support/databases.ts';
import { account, collector, contact, poolOf, resetFeed, sfidOf } from './fixtures.ts';

const SFID = sfidOf('001', 1);

for (const target of databaseTargets()) {
  describe(`change capture on ${target.name}`, () => {
    let database: HcTestDatabase;
    let subscription: ChangeSubscription | undefined;
    before(async () => {
      database = await setupTestDatabase({ account, contact }, { url: target.name === 'postgres' ? process.env['DATABASE_URL'] : undefined });
    });
    after(async () => {
      await subscription?.stop();
      await database.close();
    });
    beforeEach(async () => {
      await subscription?.stop();
      subscription = undefined;
      await resetFeed(database);
    });

    it("delivers Heroku Connect's inserts, updates and deletes as typed rows, and none of the application's writes", async () => {
      const changes = collector<Change<typeof account | typeof contact>>();
      subscription = await subscribeChanges({ pool: poolOf(database), tables: [account, contact], group: 'app', handler: (change) => changes.push(change) });
      await database.db.insert(account).values({ name: 'Typed by a person', sfid: sfidOf('001', 9) });
      await database.db.update(account).set({ name: 'Edited by a person' });
      await asHerokuConnect(database.db, (tx) =>
        tx.insert(account).values({
          sfid: SFID,
          name: 'Acme',
          creditLimit: 2500.5,
          employees: 12,
          active: true,
          renewsOn: '2025-03-31',
          closedAt: new Date('2024-06-01T12:34:56.789Z'),
          systemModstamp: new Date('2024-06-01T12:35:00.000Z'),
        }),
      );
      await asHerokuConnect(database.db, (tx) => tx.update(account).set({ creditLimit: 5000 }).where(eq(account.sfid, SFID)));
      await asHerokuConnect(database.db, (tx) => tx.delete(account).where(eq(account.sfid, SFID)));
      await asHerokuConnect(database.db, (tx) => tx.insert(contact).values({ sfid: sfidOf('003', 1), lastName: 'Lovelace' }));

      const [inserted, updated, deleted, contactInserted] = await changes.until(4);
      assert.equal(changes.items.length, 4);
      assert.deepEqual(
        changes.items.map((change) => [change.op, change.table === account ? 'account' : 'contact']),
        [['insert', 'account'], ['update', 'account'], ['delete', 'account'], ['insert', 'contact']],
      );
      assert.ok(inserted && isChangeOf(inserted, account) && inserted.op === 'insert');
      assert.equal(inserted.row.name, 'Acme');
      assert.equal(inserted.row.creditLimit, 2500.5);
      assert.equal(inserted.row.employees, 12);
      assert.equal(inserted.row.active, true);
      assert.equal(inserted.row.renewsOn, '2025-03-31');
      assert.deepEqual(inserted.row.closedAt, new Date('2024-06-01T12:34:56.789Z'));
      assert.deepEqual(inserted.row.systemModstamp, new Date('2024-06-01T12:35:00.000Z'));
      assert.equal(inserted.row.hcLastop, 'SYNCED');
      assert.equal(inserted.old, undefined);
      assert.ok(inserted.at instanceof Date && Math.abs(inserted.at.getTime() - Date.now()) < 60_000);
      assert.equal(inserted.attempt, 1);
      assert.equal(inserted.group, 'app');

      assert.ok(updated && isChangeOf(updated, account) && updated.op === 'update');
      assert.equal(updated.row.creditLimit, 5000);
      assert.equal(updated.old.creditLimit, 2500.5);
      assert.deepEqual(updated.old.closedAt, new Date('2024-06-01T12:34:56.789Z'));

      assert.ok(deleted && isChangeOf(deleted, account) && deleted.op === 'delete');
      assert.equal(deleted.row.creditLimit, 5000);
      assert.equal(deleted.row.sfid, SFID);

      assert.ok(contactInserted && isChangeOf(contactInserted, contact));
      assert.equal(contactInserted.row.lastName, 'Lovelace');
      assert.ok(Number(inserted.id) < Number(updated.id) && Number(updated.id) < Number(deleted.id));
    });

    it("skips an update that only touches Heroku Connect's bookkeeping columns", async () => {
      await asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: SFID, name: 'Acme' }));
      const changes = collector<Change<typeof account>>();
      subscription = await subscribeChanges({ pool: poolOf(database), tables: [account], group: 'app', handler: (change) => changes.push(change) });
      await asHerokuConnect(database.db, (tx) => tx.update(account).set({ hcLastop: 'INSERTED', hcErr: null }).where(eq(account.sfid, SFID)));
      await asHerokuConnect(database.db, (tx) => tx.update(account).set({ name: 'Acme Corp' }).where(eq(account.sfid, SFID)));
      await changes.until(1);
      await subscription.stop();
      assert.deepEqual(
        changes.items.map((change) => [change.op, change.row.name]),
        [['update', 'Acme Corp']],
      );
    });

    it('installs idempotently, and keeps changes for a group named at install before its subscriber starts', async () => {
      const first = await installChangeFeed(database.db, [account], { groups: ['billing'] });
      const second = await installChangeFeed(database.db, { account, notATable: 42 });
      assert.deepEqual(first.tables, [{ schema: 'salesforce', name: 'account', status: 'installed' }]);
      assert.deepEqual(second.tables, [{ schema: 'salesforce', name: 'account', status: 'ok' }]);
      const triggers = await database.query<{ tgname: string }>(
        `select tgname from pg_trigger where tgrelid = 'salesforce.account'::regclass and tgname like 'hc_drizzle_feed%' order by 1`,
      );
      assert.deepEqual(triggers.map((row) => row.tgname), ['hc_drizzle_feed_capture', 'hc_drizzle_feed_truncate']);

      await asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: SFID, name: 'Before any subscriber' }));
      const changes = collector<Change<typeof account>>();
      subscription = await subscribeChanges({ pool: poolOf(database), tables: [account], group: 'billing', handler: (change) => changes.push(change) });
      const [change] = await changes.until(1);
      assert.equal(change?.row.name, 'Before any subscriber');
    });

    it('refuses, in one sentence, a table that does not exist', async () => {
      const lead = hcTable('Lead', { lastName: sfText('LastName') });
      await assert.rejects(installChangeFeed(database.db, [account, lead]), {
        name: 'InputError',
        message: 'The table salesforce.lead does not exist: is its mapping created (or the development schema)?',
      });
      // Nothing was put on the tables that do exist.
      const [row] = await database.query<{ count: number }>(
        `select count(*)::int as count from pg_trigger where tgrelid = 'salesforce.account'::regclass and tgname like 'hc_drizzle_feed%'`,
      );
      assert.equal(row?.count, 0);
    });

    it('puts the triggers back when subscribing after they were dropped, and tells the group since when it may have missed changes', async () => {
      await installChangeFeed(database.db, [account], { groups: ['app'] });
      const [{ checkedMs }] = (await database.query<{ checkedMs: number }>(
        `select floor(extract(epoch from checked_at) * 1000)::float8 as "checkedMs" from hc_drizzle_feed.captured_table`,
      )) as [{ checkedMs: number }];
      await database.exec('drop trigger hc_drizzle_feed_capture on salesforce.account');
      await asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: sfidOf('001', 2), name: 'Missed' }));

      const resyncs = collector<ResyncEvent<typeof account>>();
      const changes = collector<Change<typeof account>>();
      subscription = await subscribeChanges({
        pool: poolOf(database),
        tables: [account],
        group: 'app',
        handler: (change) => changes.push(change),
        onResync: (event) => resyncs.push(event),
      });
      const [event] = await resyncs.until(1);
      assert.equal(event?.table, account);
      assert.equal(event?.reason, 'trigger-missing');
      // The last time the install saw the triggers in place, to the millisecond.
      assert.equal(event?.since?.getTime(), checkedMs);
      await asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: sfidOf('001', 3), name: 'Captured again' }));
      const [change] = await changes.until(1);
      assert.equal(change?.row.name, 'Captured again');
      assert.equal(changes.items.length, 1);
    });

    it('follows a reload that drops and recreates the table: reports it missing, then reinstalls and sends a resync', async () => {
      const resyncs = collector<ResyncEvent<typeof account>>();
      const errors = collector<Error>();
      const changes = collector<Change<typeof account>>();
      subscription = await subscribeChanges({
        pool: poolOf(database),
        tables: [account],
        group: 'app',
        checkIntervalMs: 100,
        handler: (change) => changes.push(change),
        onResync: (event) => resyncs.push(event),
        onError: (error) => errors.push(error),
      });
      await database.exec(
        'drop table salesforce.account; drop function salesforce.hc_account_status(); drop function salesforce.hc_account_logger()',
      );
      const [missing] = await errors.until(1);
      assert.ok(missing instanceof FeedTableMissingError);
      assert.equal(missing.table, 'salesforce.account');
      // Heroku Connect creates the table again, with its own triggers, and loads it.
      await database.exec([...tableDdl(account), ...tableTriggersDdl(account)].join(';\n'));
      const [event] = await resyncs.until(1);
      assert.equal(event?.reason, 'table-recreated');
      assert.ok(event?.since instanceof Date && event.since.getTime() <= Date.now());
      await asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: SFID, name: 'After the reload' }));
      const [change] = await changes.until(1);
      assert.equal(change?.row.name, 'After the reload');
    });

    it('turns a TRUNCATE into a resync, reported to onError when there is no onResync', async () => {
      const errors = collector<Error>();
      subscription = await subscribeChanges({
        pool: poolOf(database),
        tables: [account],
        group: 'app',
        handler: () => {},
        onError: (error) => errors.push(error),
      });
      await database.exec('truncate salesforce.account');
      const [error] = await errors.until(1);
      assert.ok(error instanceof ResyncNotHandledError);
      assert.equal(error.reason, 'truncated');
      assert.match(error.message, /^Changes of salesforce\.account may have been missed \(truncated since .+\): give subscribeChanges an onResync handler to catch up\.$/);
    });
  });
}
