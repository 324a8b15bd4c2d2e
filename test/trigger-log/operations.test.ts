/**
 * Capture, redo, retry and ignore move trigger log rows exactly as
 * heroku-connect.md §3.4–§3.6 describe, for both write algorithms.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asc, eq } from 'drizzle-orm';
import {
  asHerokuConnect,
  captureInsert,
  captureUpdate,
  failedLogs,
  ignoreFailed,
  logsForRecord,
  parseHstore,
  recordOfLog,
  redo,
  retryFailed,
  triggerLog,
  triggerLogArchive,
  type TriggerLogRow,
} from 'hc-drizzle/trigger-log';
import { setupTestDatabase, type HcTestDatabase } from 'hc-drizzle/testing';
import { countRequeue } from '../../src/trigger-log/requeue.ts';
import { databaseTargets } from '../support/databases.ts';
import { account, archiveLogs, contact, failLogs, user } from './fixtures.ts';

const schema = { account, contact, user };
const pick = ({ id, action, state, recordId }: TriggerLogRow) => ({ id, action, state, recordId });

for (const target of databaseTargets()) {
  describe(`trigger log operations on ${target.name}`, () => {
    let database: HcTestDatabase;
    before(async () => {
      database = await setupTestDatabase(schema, { url: target.name === 'postgres' ? process.env['DATABASE_URL'] : undefined });
    });
    after(() => database.close());
    beforeEach(() => database.reset());

    const live = () => database.db.select().from(triggerLog).orderBy(asc(triggerLog.id));
    const archived = () => database.db.select().from(triggerLogArchive).orderBy(asc(triggerLogArchive.id));

    /** Account 1 inserted (log 1), account 2 inserted (log 2), account 1 updated (log 3), account 2 synced and deleted (log 4). */
    async function history() {
      const { db } = database;
      await db.insert(account).values([{ name: 'One', externalId: '1'.repeat(32) }, { name: 'Two', externalId: '2'.repeat(32) }]);
      await db.update(account).set({ name: 'One bis', accountNumber: 'N1' }).where(eq(account.id, 1));
      await asHerokuConnect(db, (tx) => tx.update(account).set({ sfid: '001000000000002AAA' }).where(eq(account.id, 2)));
      await db.delete(account).where(eq(account.id, 2));
      await failLogs(db, [1, 2, 3, 4]);
    }

    it('captures an insert without the excluded columns, by property or column name', async () => {
      await database.db.insert(account).values({ name: 'Acme', accountNumber: 'A1', externalId: 'e'.repeat(32) });
      const log = await captureInsert(database.db, account, 1, { exclude: ['accountNumber', 'external_id__c', 'id', 'sfid'] });
      assert.deepEqual(pick(log), { id: 2, action: 'INSERT', state: 'NEW', recordId: 1 });
      // id and sfid can't be excluded; _hc_* never appear (§3.4).
      assert.deepEqual(parseHstore(log.values), { id: '1', sfid: null, name: 'Acme', isdeleted: null, systemmodstamp: null });
      assert.equal(log.tableName, 'account');
    });

    it('captures an update of the included columns only, or of every column', async () => {
      await asHerokuConnect(database.db, (tx) => tx.insert(account).values({ name: 'Acme', sfid: '001000000000001AAA' }));
      const some = await captureUpdate(database.db, account, { id: 1 }, { include: ['name', 'accountnumber'] });
      assert.deepEqual({ ...pick(some), sfid: some.sfid, old: some.old }, { id: 1, action: 'UPDATE', state: 'NEW', recordId: 1, sfid: '001000000000001AAA', old: null });
      assert.deepEqual(parseHstore(some.values), { name: 'Acme', accountnumber: null });
      const all = await captureUpdate(database.db, account, 1);
      assert.deepEqual(Object.keys(parseHstore(all.values)).sort(), ['accountnumber', 'external_id__c', 'id', 'isdeleted', 'name', 'sfid', 'systemmodstamp']);
      await assert.rejects(captureUpdate(database.db, account, 1, { include: ['nope'] }), /no column or property named nope/);
      await assert.rejects(captureInsert(database.db, account, 99), /No row with id 99/);
    });

    it('finds failed logs, the logs of a record, and the record of a log', async () => {
      await history();
      await archiveLogs(database.db, [4]);
      assert.deepEqual((await failedLogs(database.db)).map((log) => [log.id, log.archived]), [[1, false], [2, false], [3, false], [4, true]]);
      assert.deepEqual((await failedLogs(database.db, { table: account, ids: [2, 3], logs: 'live' })).map((log) => log.id), [2, 3]);
      assert.deepEqual((await failedLogs(database.db, { table: 'contact' })).length, 0);
      assert.deepEqual((await logsForRecord(database.db, account, 2)).map((log) => [log.action, log.archived]), [['INSERT', false], ['DELETE', true]]);
      const [log] = await live();
      assert.equal((await recordOfLog(database.db, log!, schema))?.['name'], 'One bis');
      assert.equal(await recordOfLog(database.db, { tableName: 'account', recordId: 2 }, schema), undefined);
      const future = new Date(Date.now() + 60_000);
      assert.equal((await failedLogs(database.db, { since: future })).length, 0);
      assert.equal((await failedLogs(database.db, { until: future })).length, 4);
    });

    it('retries with merged writes: live logs back to NEW, archived ones copied as NEW and marked REQUEUED', async () => {
      await history();
      await archiveLogs(database.db, [3, 4]);
      const result = await retryFailed(database.db, {}, { writeAlgorithm: 'merged' });
      assert.deepEqual(result, { live: 2, archived: 2 });
      assert.deepEqual((await live()).map(pick), [
        { id: 1, action: 'INSERT', state: 'NEW', recordId: 1 },
        { id: 2, action: 'INSERT', state: 'NEW', recordId: 2 },
        { id: 5, action: 'UPDATE', state: 'NEW', recordId: 1 },
        { id: 6, action: 'DELETE', state: 'NEW', recordId: 2 },
      ]);
      const [, , copy, deleteCopy] = await live();
      const [original] = await archived();
      assert.equal(copy!.values, original!.values);
      assert.equal(deleteCopy!.sfid, '001000000000002AAA');
      assert.deepEqual((await archived()).map((log) => log.state), ['REQUEUED', 'REQUEUED']);
      assert.deepEqual(await retryFailed(database.db, {}, { writeAlgorithm: 'merged' }), { live: 0, archived: 0 });
    });

    it('retries with ordered writes: re-captures inserts and updates, marks them REQUEUED, falls back for deletes', async () => {
      await history();
      await database.db.update(account).set({ name: 'One ter' }).where(eq(account.id, 1)); // log 5, stays NEW
      const result = await retryFailed(database.db, { table: account }, { writeAlgorithm: 'ordered' });
      // Log 2's row is gone: it can't be re-captured and stays FAILED.
      assert.deepEqual(result, { live: 3, archived: 0 });
      const rows = await live();
      assert.deepEqual(rows.map(pick), [
        { id: 1, action: 'INSERT', state: 'REQUEUED', recordId: 1 },
        { id: 2, action: 'INSERT', state: 'FAILED', recordId: 2 },
        { id: 3, action: 'UPDATE', state: 'REQUEUED', recordId: 1 },
        { id: 4, action: 'DELETE', state: 'NEW', recordId: 2 },
        { id: 5, action: 'UPDATE', state: 'NEW', recordId: 1 },
        // Re-captures, in the order of the logs they replace.
        { id: 6, action: 'INSERT', state: 'NEW', recordId: 1 },
        { id: 7, action: 'UPDATE', state: 'NEW', recordId: 1 },
      ]);
      assert.equal(parseHstore(rows[5]!.values)['name'], 'One ter');
      // The update is limited to the keys of the failed update's values.
      assert.deepEqual(parseHstore(rows[6]!.values), { name: 'One ter', accountnumber: 'N1' });
    });

    it('retries archived logs with ordered writes: re-captures, copies deletes, marks all REQUEUED', async () => {
      await history();
      await archiveLogs(database.db, [1, 2, 3, 4]);
      assert.deepEqual(await retryFailed(database.db, {}, { writeAlgorithm: 'ordered' }), { live: 0, archived: 3 });
      assert.deepEqual((await archived()).map((log) => log.state), ['REQUEUED', 'FAILED', 'REQUEUED', 'REQUEUED']);
      const rows = await live();
      assert.deepEqual(rows.map(({ action, state, recordId }) => ({ action, state, recordId })).sort((a, b) => (a.action ?? "").localeCompare(b.action ?? "")), [
        { action: 'DELETE', state: 'NEW', recordId: 2 },
        { action: 'INSERT', state: 'NEW', recordId: 1 },
        { action: 'UPDATE', state: 'NEW', recordId: 1 },
      ]);
    });

    it('redoes one log whatever its state, live or archived, for both algorithms', async () => {
      await history();
      await database.db.update(triggerLog).set({ state: 'SUCCESS' }).where(eq(triggerLog.id, 1));
      assert.equal(await redo(database.db, { id: 1, archived: false }, { writeAlgorithm: 'merged' }), true);
      assert.equal((await live())[0]!.state, 'NEW');
      await archiveLogs(database.db, [3]);
      assert.equal(await redo(database.db, { id: 3, archived: true }, { writeAlgorithm: 'merged' }), true);
      assert.deepEqual((await live()).at(-1)!.action, 'UPDATE');
      assert.equal((await archived())[0]!.state, 'REQUEUED');
      assert.equal(await redo(database.db, { id: 1, archived: false }, { writeAlgorithm: 'ordered' }), true);
      assert.deepEqual(pick((await live()).at(-1)!), { id: 6, action: 'INSERT', state: 'NEW', recordId: 1 });
      assert.equal((await live())[0]!.state, 'REQUEUED');
      assert.equal(await redo(database.db, { id: 2, archived: false }, { writeAlgorithm: 'ordered' }), false);
    });

    it('ignores failed logs matching the filter, live and archived, and nothing else', async () => {
      await history();
      await archiveLogs(database.db, [4]);
      await database.db.update(triggerLog).set({ state: 'SUCCESS' }).where(eq(triggerLog.id, 3));
      assert.deepEqual(await ignoreFailed(database.db, { ids: [1, 3, 4] }), { live: 1, archived: 1 });
      assert.deepEqual((await live()).map((log) => log.state), ['IGNORED', 'FAILED', 'SUCCESS']);
      assert.deepEqual((await archived()).map((log) => log.state), ['IGNORED']);
    });

    it('filters by action and by one search text: a record id, an sfid in either form, or words of the message', async () => {
      await history();
      await failLogs(database.db, [2], 'DUPLICATE_VALUE: duplicate value found: External_ID__c 100%');
      await archiveLogs(database.db, [4]);
      const ids = async (filter: Parameters<typeof failedLogs>[1]) => (await failedLogs(database.db, filter)).map((log) => log.id);
      assert.deepEqual(await ids({ action: ['UPDATE', 'DELETE'] }), [3, 4]);
      assert.deepEqual(await ids({ search: '2' }), [2, 4]);
      assert.deepEqual(await ids({ search: '001000000000002AAA' }), [4]);
      assert.deepEqual(await ids({ search: '001000000000002aaa' }), [4]);
      assert.deepEqual(await ids({ search: '001000000000002' }), [4]);
      assert.deepEqual(await ids({ search: 'duplicate VALUE' }), [2]);
      // LIKE's wildcards are searched for as text.
      assert.deepEqual(await ids({ search: '100%' }), [2]);
      assert.deepEqual(await ids({ search: '_' }), [1, 2, 3, 4]);
      assert.deepEqual(await ids({ search: '%' }), [2]);
      assert.deepEqual(await ids({ search: '  ' }), [1, 2, 3, 4]);
      assert.deepEqual(await ids({ search: '99999999999' }), []);
    });

    it('counts what a retry or redo would change without changing anything', async () => {
      await history();
      await archiveLogs(database.db, [4]);
      const before = [await live(), await archived()];
      assert.deepEqual(await countRequeue(database.db, {}, 'FAILED', { writeAlgorithm: 'merged' }), { live: 3, archived: 1 });
      // Ordered: log 2's row is gone, so it can't be re-captured; the delete falls back.
      assert.deepEqual(await countRequeue(database.db, {}, 'FAILED', { writeAlgorithm: 'ordered' }), { live: 2, archived: 1 });
      assert.deepEqual(await countRequeue(database.db, { logs: 'live', ids: [1, 2] }, undefined, { writeAlgorithm: 'ordered' }), { live: 1, archived: 0 });
      assert.deepEqual([await live(), await archived()], before);
      assert.deepEqual(await retryFailed(database.db, {}, { writeAlgorithm: 'ordered' }), { live: 2, archived: 1 });
    });
  });
}
