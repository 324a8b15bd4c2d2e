/**
 * The emulator as Heroku Connect: app writes go out to the org in the
 * connection's write algorithm and come back with an sfid; the org's changes
 * come in as SYNCED rows; failures, faults and pauses behave as they do on
 * Heroku.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import { startEmulator, type Emulator, type SyncResult } from 'hc-drizzle/emulator';
import { asHerokuConnect, listLogs, logsForRecord, retryFailed, triggerLog } from 'hc-drizzle/trigger-log';
import type { OpenDatabase } from '../../src/node/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { account, contact, invoice, schema, user } from './fixtures.ts';

let serial = 0;
/** A fresh 32-hex-digit External ID. */
const externalId = () => (++serial).toString(16).padStart(32, '0');
const written = (result: SyncResult) => result.writtenOut;

for (const target of databaseTargets()) {
  describe(`the emulated connection on ${target.name}`, () => {
    let database: OpenDatabase;
    before(async () => {
      database = await target.open();
    });
    after(() => database.close());

    for (const writeAlgorithm of ['ordered', 'merged'] as const) {
      describe(`${writeAlgorithm} writes`, () => {
        let emulator: Emulator;
        before(async () => {
          emulator = await startEmulator({ db: database.db, schema, writeAlgorithm });
          await emulator.sync();
        });
        after(() => emulator.close());

        it('sends an app insert to the org and writes its sfid back, marked INSERTED, the log SUCCESS in the archive', async () => {
          const { db } = database;
          const [row] = await db.insert(account).values({ name: `Insert ${writeAlgorithm}`, externalId: externalId() }).returning();
          assert.equal(row!.hcLastop, 'PENDING');
          const result = await emulator.sync();
          assert.deepEqual(written(result), { success: 1, failed: 0, merged: 0 });
          const [synced] = await db.select().from(account).where(eq(account.id, row!.id));
          assert.match(synced!.sfid!, /^0015E[0-9A-Za-z]{10}[A-Z0-5]{3}$/);
          assert.equal(synced!.hcLastop, 'INSERTED');
          assert.equal(synced!.hcErr, null);
          const record = await emulator.org.get('Account', synced!.sfid!);
          assert.equal(record['Name'], `Insert ${writeAlgorithm}`);
          assert.equal(record['External_ID__c'], row!.externalId);
          // What Salesforce set comes back too: SystemModstamp and CreatedDate.
          assert.equal(synced!.systemModstamp?.toISOString().replace('Z', '+0000'), record['SystemModstamp']);
          assert.equal(synced!.createdDate?.toISOString().replace('Z', '+0000'), record['CreatedDate']);
          const [log] = await logsForRecord(db, account, row!.id);
          assert.deepEqual([log!.state, log!.archived, log!.sfid, log!.sfMessage], ['SUCCESS', true, synced!.sfid, null]);
          assert.ok(log!.processedAt instanceof Date);
          // Heroku Connect's own writes are not logged: nothing new in the trigger log.
          assert.equal((await db.select().from(triggerLog)).length, 0);
          // And its own write does not come back as a change: the row stays INSERTED.
          await emulator.sync();
          assert.equal((await db.select().from(account).where(eq(account.id, row!.id)))[0]!.hcLastop, 'INSERTED');
        });

        it(`${writeAlgorithm === 'merged' ? 'folds a record’s changes into one write' : 'sends each change in capture order'}`, async () => {
          const { db } = database;
          const [row] = await db.insert(contact).values({ lastName: 'First', externalId: externalId() }).returning();
          await db.update(contact).set({ firstName: 'Ann' }).where(eq(contact.id, row!.id));
          await db.update(contact).set({ lastName: 'Last' }).where(eq(contact.id, row!.id));
          const result = await emulator.sync();
          const logs = await logsForRecord(db, contact, row!.id);
          if (writeAlgorithm === 'merged') {
            assert.deepEqual(written(result), { success: 1, failed: 0, merged: 2 });
            assert.deepEqual(logs.map((log) => log.state), ['SUCCESS', 'MERGED', 'MERGED']);
          } else {
            assert.deepEqual(written(result), { success: 3, failed: 0, merged: 0 });
            assert.deepEqual(logs.map((log) => log.state), ['SUCCESS', 'SUCCESS', 'SUCCESS']);
          }
          const [synced] = await db.select().from(contact).where(eq(contact.id, row!.id));
          const record = await emulator.org.get('Contact', synced!.sfid!);
          assert.deepEqual([record['FirstName'], record['LastName'], record['Name']], ['Ann', 'Last', 'Ann Last']);
          assert.equal(synced!.hcLastop, writeAlgorithm === 'merged' ? 'INSERTED' : 'UPDATED');
        });

        it('upserts by the upsert field: an insert whose External ID Salesforce has updates that record', async () => {
          const { db } = database;
          const number = `UP-${writeAlgorithm}`;
          const existing = await emulator.org.create('Invoice__c', { Name: 'Made in Salesforce', Amount__c: 10, Number__c: number });
          await db.insert(invoice).values({ name: 'From the app', amount: 20, number });
          await emulator.sync();
          const rows = await db.select().from(invoice).where(eq(invoice.number, number));
          // The poll had already brought the record in: the app's row and Salesforce's are one.
          assert.equal(rows.length, 1);
          assert.equal(rows[0]!.sfid, existing);
          assert.deepEqual([(await emulator.org.get('Invoice__c', existing))['Name'], (await emulator.org.get('Invoice__c', existing))['Amount__c']], ['From the app', 20]);
          assert.equal((await emulator.org.query(`SELECT Id FROM Invoice__c WHERE Number__c = '${number}'`)).totalSize, 1);
        });

        it("fails a write Salesforce refuses: the log FAILED with Salesforce's message, the row FAILED with _hc_err; a retry after the fix succeeds", async () => {
          const { db } = database;
          const [row] = await db.insert(account).values({ accountNumber: `no-name-${writeAlgorithm}`, externalId: externalId() }).returning();
          assert.deepEqual(written(await emulator.sync()), { success: 0, failed: 1, merged: 0 });
          const [failed] = await logsForRecord(db, account, row!.id);
          assert.equal(failed!.state, 'FAILED');
          assert.match(failed!.sfMessage!, /^REQUIRED_FIELD_MISSING:Required fields are missing: \[Name\]/);
          const [refused] = await db.select().from(account).where(eq(account.id, row!.id));
          assert.equal(refused!.hcLastop, 'FAILED');
          assert.deepEqual(JSON.parse(refused!.hcErr!), { op: 'INSERT', src: 'SF', msg: failed!.sfMessage });
          assert.equal(refused!.sfid, null);
          // Fixing the row queues an UPDATE, which has no Id yet: it upserts by the External ID.
          await db.update(account).set({ name: 'Named now' }).where(eq(account.id, row!.id));
          await retryFailed(db, { table: account, recordIds: [row!.id] }, { writeAlgorithm });
          await emulator.sync();
          const [fixed] = await db.select().from(account).where(eq(account.id, row!.id));
          assert.ok(fixed!.sfid);
          assert.equal((await emulator.org.get('Account', fixed!.sfid!))['AccountNumber'], `no-name-${writeAlgorithm}`);
          assert.equal((await listLogs(db, { table: account, recordIds: [row!.id], state: 'NEW' })).length, 0);
        });

        it('sends deletes of synced rows, and polls in records made, changed and deleted in Salesforce', async () => {
          const { db } = database;
          const madeId = await emulator.org.create('Account', { Name: `Made in SF ${writeAlgorithm}`, Industry: 'Energy' });
          await emulator.sync();
          const [made] = await db.select().from(account).where(eq(account.sfid, madeId));
          assert.deepEqual([made!.name, made!.industry, made!.hcLastop], [`Made in SF ${writeAlgorithm}`, 'Energy', 'SYNCED']);
          assert.equal((await emulator.org.get('Account', madeId))['SystemModstamp'], made!.systemModstamp!.toISOString().replace('Z', '+0000'));
          await emulator.org.update('Account', madeId, { Name: 'Renamed in SF' });
          assert.deepEqual((await emulator.sync()).polledIn, { inserted: 0, updated: 1, deleted: 0 });
          assert.equal((await db.select().from(account).where(eq(account.sfid, madeId)))[0]!.name, 'Renamed in SF');
          // Polled-in changes are Heroku Connect's writes: never logged.
          assert.equal((await listLogs(db, { table: account, recordIds: [made!.id] })).length, 0);
          await emulator.org.delete('Account', madeId);
          assert.deepEqual((await emulator.sync()).polledIn, { inserted: 0, updated: 0, deleted: 1 });
          assert.equal((await db.select().from(account).where(eq(account.sfid, madeId))).length, 0);

          // The app deletes a synced row: the record goes to Salesforce's recycle bin.
          const goneId = await emulator.org.create('Account', { Name: 'To delete' });
          await emulator.sync();
          await db.delete(account).where(eq(account.sfid, goneId));
          assert.deepEqual(written(await emulator.sync()), { success: 1, failed: 0, merged: 0 });
          await assert.rejects(emulator.org.get('Account', goneId), /ENTITY_IS_DELETED/);
          // Read-only mappings come in too, and their rows stay SYNCED.
          const [me] = await db.select().from(user).where(eq(user.sfid, emulator.org.userId));
          assert.deepEqual([me!.name, me!.hcLastop], ['Heroku Connect', 'SYNCED']);
        });

        it('writes nothing while paused, Salesforce is unavailable or refusing, and catches up after', async () => {
          const { db } = database;
          const [row] = await db.insert(account).values({ name: `Waiting ${writeAlgorithm}`, externalId: externalId() }).returning();
          emulator.connection.setState('PAUSED');
          assert.equal((await emulator.sync()).paused, true);
          emulator.connection.setState('IDLE');
          emulator.org.faults.unavailable();
          assert.equal((await emulator.sync()).orgUnavailable, true);
          assert.equal((await logsForRecord(db, account, row!.id))[0]!.state, 'NEW');
          emulator.org.faults.clear();
          emulator.org.faults.failNextWrites(1, { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' });
          assert.deepEqual(written(await emulator.sync()), { success: 0, failed: 1, merged: 0 });
          assert.match((await logsForRecord(db, account, row!.id))[0]!.sfMessage!, /^UNABLE_TO_LOCK_ROW:/);
          await retryFailed(db, { table: account, recordIds: [row!.id] }, { writeAlgorithm });
          assert.deepEqual(written(await emulator.sync()), { success: 1, failed: 0, merged: 0 });
        });
      });
    }

    it('in realtime mode, writes out when the trigger log notifies, and polls notify-enabled objects as soon as they change', async () => {
      const events: SyncResult[] = [];
      const waiters: { test: (event: SyncResult) => boolean; resolve: () => void }[] = [];
      /** Resolves once a cycle that passes `test` has run (from now on). */
      const cycle = (test: (event: SyncResult) => boolean) => new Promise<void>((resolve) => waiters.push({ test, resolve }));
      const emulator = await startEmulator({
        db: database.db,
        schema,
        realtime: true,
        intervalSeconds: 3600,
        onEvent: (event) => {
          assert.equal(event.kind, 'cycle', String((event as { error?: unknown }).error));
          if (event.kind !== 'cycle') return;
          events.push(event.result);
          for (const waiter of waiters.filter((one) => one.test(event.result))) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        },
      });
      try {
        const { db } = database;
        const writtenOut = cycle((event) => event.writtenOut.success === 1);
        const [row] = await db.insert(contact).values({ lastName: 'Realtime', externalId: externalId() }).returning();
        await writtenOut;
        const [synced] = await db.select().from(contact).where(eq(contact.id, row!.id));
        assert.equal(synced!.hcLastop, 'INSERTED');
        // Contact is notifyEnabled: a change in Salesforce comes in at once; Account (600 s) waits.
        const polled = cycle((event) => event.polledIn.updated === 1);
        await emulator.org.create('Account', { Name: 'Not polled yet' });
        await emulator.org.update('Contact', synced!.sfid!, { FirstName: 'Pushed' });
        await polled;
        assert.equal((await db.select().from(contact).where(eq(contact.id, row!.id)))[0]!.firstName, 'Pushed');
        assert.equal((await db.select().from(account).where(eq(account.name, 'Not polled yet'))).length, 0);
      } finally {
        await emulator.close();
      }
    });

    it('keeps the status it wrote when the row was written by Heroku Connect before', async () => {
      // A row seeded as Heroku Connect does, then changed by the app, goes out as an update by its sfid.
      const { db } = database;
      const emulator = await startEmulator({ db: database.db, schema });
      try {
        const id = await emulator.org.create('Account', { Name: 'Seeded' });
        await asHerokuConnect(db, (tx) => tx.insert(account).values({ name: 'Seeded', sfid: id }));
        await db.update(account).set({ name: 'Changed by the app' }).where(eq(account.sfid, id));
        assert.deepEqual((await emulator.sync()).writtenOut, { success: 1, failed: 0, merged: 0 });
        assert.equal((await emulator.org.get('Account', id))['Name'], 'Changed by the app');
        assert.equal((await db.select().from(account).where(eq(account.sfid, id)))[0]!.hcLastop, 'UPDATED');
        assert.equal((await db.execute(sql`select 1 from salesforce._trigger_log where state = 'NEW'`)).rows.length, 0);
      } finally {
        await emulator.close();
      }
    });
  });
}
