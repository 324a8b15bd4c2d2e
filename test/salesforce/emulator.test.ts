/**
 * hc-drizzle/salesforce against the emulator's Salesforce REST API, beside
 * the emulator's Heroku Connect (PGlite, and PostgreSQL when DATABASE_URL is
 * set): a pushed row is written back in Heroku Connect's session, so the
 * next sync sends nothing again and makes no duplicate; pushRecords goes
 * through sObject Collections 200 a request, record by record or all or
 * none; refusals are typed with Salesforce's errorCode and fields; pulls
 * and refreshes follow the org's changes and deletes.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { startEmulator, type Emulator } from 'hc-drizzle/emulator';
import { createSalesforceClient, pullRecord, pushRecord, pushRecords, refreshTable, SalesforceApiError, type SalesforceClient } from 'hc-drizzle/salesforce';
import { listLogs } from 'hc-drizzle/trigger-log';
import type { OpenDatabase } from '../../src/node/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { account, orgFixtures, schema } from '../emulator/fixtures.ts';

for (const target of databaseTargets()) {
  describe(`hc-drizzle/salesforce against the emulator on ${target.name}`, () => {
    let database: OpenDatabase;
    let emulator: Emulator;
    let sf: SalesforceClient;
    const accountsNamed = async (prefix: string) => (await emulator.org.query(`SELECT Id, Name FROM Account WHERE Name LIKE '${prefix}%'`)).records;
    before(async () => {
      database = await target.open();
      emulator = await startEmulator({ db: database.db, schema, org: orgFixtures });
    });
    after(async () => {
      await emulator.close();
      await database.close();
    });
    beforeEach(() => {
      const { clientId, clientSecret } = emulator.credentials;
      sf = createSalesforceClient({ instanceUrl: emulator.salesforceUrl, auth: { kind: 'client-credentials', loginUrl: emulator.salesforceUrl, clientId, clientSecret } });
    });

    it('pushes a new row with db: the Id comes back SYNCED, nothing is logged, and the next sync sends nothing again', async () => {
      const sfid = await pushRecord(sf, account, { name: 'Signup Ltd', industry: 'Energy' }, { db: database.db });
      const [row] = await database.db.select().from(account).where(eq(account.sfid, sfid));
      assert.equal(row?.name, 'Signup Ltd');
      assert.equal(row?.hcLastop, 'SYNCED');
      assert.match(row?.externalId ?? '', /^[0-9a-f]{32}$/, 'the external id the row got is the one Salesforce holds');
      assert.equal((await emulator.org.get('Account', sfid, ['External_ID__c']))['External_ID__c'], row?.externalId);
      assert.deepEqual((await listLogs(database.db)).filter((log) => log.recordId === row?.id), []);

      const cycle = await emulator.sync();
      assert.deepEqual(cycle.writtenOut, { success: 0, failed: 0, merged: 0 });
      assert.equal((await accountsNamed('Signup')).length, 1, 'no duplicate record');

      // A row Heroku Connect synced, pushed again by sfid: an update, and again nothing for the trigger log.
      await database.db.insert(account).values({ name: 'Local first' });
      await emulator.sync();
      const [local] = await database.db.select().from(account).where(eq(account.name, 'Local first'));
      assert.ok(local?.sfid);
      const logged = (await listLogs(database.db)).length;
      assert.equal(await pushRecord(sf, account, { id: local.id, sfid: local.sfid, name: 'Local first, renamed' }, { db: database.db }), local.sfid);
      assert.equal((await listLogs(database.db)).length, logged);
      assert.deepEqual((await emulator.sync()).writtenOut, { success: 0, failed: 0, merged: 0 });
      assert.equal((await emulator.org.get('Account', local.sfid, ['Name']))['Name'], 'Local first, renamed');
    });

    it("refuses with Salesforce's errorCode and fields, writing nothing", async () => {
      // A value the code's picklist does not know (its types refuse it too) is refused by the org.
      await assert.rejects(pushRecord(sf, account, { name: 'Refused', industry: 'Shipping' as 'Energy' }, { db: database.db }), (error: unknown) => {
        assert.ok(error instanceof SalesforceApiError);
        assert.equal(error.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
        assert.deepEqual(error.fields, ['Industry']);
        assert.equal(error.status, 400);
        return true;
      });
      assert.deepEqual(await database.db.select().from(account).where(eq(account.name, 'Refused')), []);
      assert.deepEqual(await accountsNamed('Refused'), []);
    });

    it('pushes many rows through sObject Collections, 200 a request, record by record or all or none', async () => {
      const rows = Array.from({ length: 450 }, (_, n) => ({ name: `Bulk ${n}`, accountNumber: n === 300 ? 'x'.repeat(41) : `B-${n}` }));
      const requests = sf.requestCount;
      const outcomes = await pushRecords(sf, account, rows, { db: database.db });
      assert.equal(sf.requestCount - requests, 4, 'one describe and three collection upserts');
      assert.deepEqual(outcomes.flatMap((outcome, n) => (outcome.ok ? [] : [n])), [300]);
      const refused = outcomes[300]!;
      assert.ok(!refused.ok && refused.error.errorCode === 'STRING_TOO_LONG');
      assert.deepEqual(!refused.ok && refused.error.fields, ['AccountNumber']);
      assert.equal((await accountsNamed('Bulk ')).length, 449);
      const local = await database.db.select().from(account).where(eq(account.hcLastop, 'SYNCED'));
      assert.equal(local.filter((row) => row.name?.startsWith('Bulk ')).length, 449);
      assert.deepEqual((await emulator.sync()).writtenOut, { success: 0, failed: 0, merged: 0 }, 'nothing logged to send again');

      const some = await pushRecords(sf, account, [{ name: 'All 1' }, { name: 'All 2', accountNumber: 'x'.repeat(41) }, { name: 'All 3' }], { db: database.db, allOrNone: true });
      assert.deepEqual(
        some.map((outcome) => (outcome.ok ? 'saved' : outcome.error.errorCode)),
        ['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'STRING_TOO_LONG', 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
      );
      assert.deepEqual(await accountsNamed('All '), []);
      assert.deepEqual((await database.db.select().from(account)).filter((row) => row.name?.startsWith('All ')), []);
    });

    it('logs in again once when the org ends its session, and a given token that expired is a clear error', async () => {
      const id = await emulator.org.create('Account', { Name: 'Session' });
      const logins: string[] = [];
      const watched = createSalesforceClient({
        instanceUrl: emulator.salesforceUrl,
        auth: { kind: 'client-credentials', loginUrl: emulator.salesforceUrl, clientId: emulator.credentials.clientId, clientSecret: emulator.credentials.clientSecret },
        fetch: (input, init) => {
          if (String(input).endsWith('/services/oauth2/token')) logins.push('login');
          return fetch(input, init);
        },
      });
      assert.equal((await pullRecord(watched, database.db, account, id))?.name, 'Session');
      emulator.org.faults.expireSessions();
      assert.equal((await pullRecord(watched, database.db, account, id))?.name, 'Session');
      assert.deepEqual(logins, ['login', 'login'], 'one login, and one more after the 401');

      // A token obtained elsewhere cannot be renewed: the 401 is final and says so.
      const reply = await fetch(`${emulator.salesforceUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.credentials.clientId, client_secret: emulator.credentials.clientSecret }),
      });
      const { access_token: accessToken } = (await reply.json()) as { access_token: string };
      const given = createSalesforceClient({ instanceUrl: emulator.salesforceUrl, auth: { kind: 'access-token', accessToken } });
      assert.equal((await pullRecord(given, database.db, account, id))?.name, 'Session');
      emulator.org.faults.expireSessions();
      await assert.rejects(pullRecord(given, database.db, account, id), (error: unknown) => {
        assert.ok(error instanceof SalesforceApiError);
        assert.equal(error.status, 401);
        assert.match(error.message, /access token was refused/);
        assert.ok(!error.message.includes(accessToken));
        return true;
      });
    });

    it('pulls and refreshes what the org changed and deleted, as Heroku Connect would', async () => {
      const since = new Date(Date.now() - 1000);
      const kept = await emulator.org.create('Account', { Name: 'Pulled', AccountNumber: 'P-1' });
      const gone = await emulator.org.create('Account', { Name: 'Refreshed then gone' });
      const row = await pullRecord(sf, database.db, account, kept);
      assert.deepEqual([row?.name, row?.accountNumber, row?.hcLastop], ['Pulled', 'P-1', 'SYNCED']);

      await emulator.org.update('Account', kept, { Name: 'Pulled, renamed' });
      const first = await refreshTable(sf, database.db, account, { since });
      assert.ok(first.written >= 2);
      const names = async () => (await database.db.select().from(account)).map((one) => one.name);
      assert.ok((await names()).includes('Pulled, renamed'));
      assert.ok((await names()).includes('Refreshed then gone'));

      // A delete in the second a refresh starts is outside its /deleted window (sent to the second; Salesforce
      // answers to the minute), so the next refresh deletes that row; a pull sees a delete at once.
      await emulator.org.delete('Account', gone);
      assert.equal(await pullRecord(sf, database.db, account, gone), undefined);
      assert.ok(!(await names()).includes('Refreshed then gone'));
      await emulator.org.delete('Account', kept);
      assert.equal(await pullRecord(sf, database.db, account, kept), undefined);
      assert.ok(!(await names()).includes('Pulled, renamed'));
      assert.deepEqual((await emulator.sync()).writtenOut, { success: 0, failed: 0, merged: 0 }, 'the pulls logged nothing');
    });
  });
}
