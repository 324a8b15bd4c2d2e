/**
 * pushRecord / pushRecords / pullRecord / refreshTable against an org
 * answering in the documented REST shapes, writing into the development
 * schema (PGlite, and PostgreSQL when DATABASE_URL is set): what goes over
 * the wire per field kind, and what lands in the table, in Heroku Connect's
 * session (not logged, SYNCED).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import {
  READ_WRITE,
  hcTable,
  sfCheckbox,
  sfCurrency,
  sfDate,
  sfDateTime,
  sfEmail,
  sfExternalId,
  sfInteger,
  sfMultiPicklist,
  sfNumber,
  sfText,
  sfTime,
} from 'hc-drizzle';
import { createSalesforceClient, pullRecord, pushRecord, pushRecords, refreshTable, SalesforceApiError, type SalesforceClient } from 'hc-drizzle/salesforce';
import { triggerLog } from 'hc-drizzle/trigger-log';
import { setupTestDatabase, type HcTestDatabase } from '../../src/testing/setup-test-database.ts';
import { CLIENT, newId, startDocumentedOrg, type DocumentedOrg } from './documented-org.ts';

const contact = hcTable(
  'Contact',
  {
    lastName: sfText('LastName'),
    email: sfEmail('Email'),
    createdDate: sfDateTime('CreatedDate'),
    lastSeen: sfDateTime('Last_Seen__c'),
    birthdate: sfDate('Birthdate'),
    callAt: sfTime('Call_At__c'),
    interests: sfMultiPicklist('Interests__c', { values: ['Golf', 'Sailing', 'Chess'] }),
    optedOut: sfCheckbox('HasOptedOutOfEmail'),
    score: sfNumber('Score__c'),
    visits: sfInteger('Visits__c'),
    externalId: sfExternalId('External_ID__c'),
  },
  { access: READ_WRITE },
);
/** Read-only, no upsert field: pushes create. */
const account = hcTable('Account', { name: sfText('Name'), creditLimit: sfCurrency('Credit_Limit__c') });

const targets = [{ name: 'pglite', url: undefined }, ...(process.env['DATABASE_URL'] ? [{ name: 'postgres', url: process.env['DATABASE_URL'] }] : [])];

for (const target of targets) {
  describe(`Salesforce push and pull on ${target.name}`, () => {
    let database: HcTestDatabase;
    let org: DocumentedOrg;
    let sf: SalesforceClient;
    const logs = () => database.db.select().from(triggerLog);

    before(async () => {
      database = await setupTestDatabase({ contact, account }, { url: target.url });
      org = await startDocumentedOrg({
        Contact: {
          prefix: '003',
          fields: ['LastName', 'Email', 'Last_Seen__c', 'Birthdate', 'Call_At__c', 'Interests__c', 'HasOptedOutOfEmail', 'Score__c', 'Visits__c', 'External_ID__c'].map((name) => ({ name, type: 'string' })),
        },
        Account: { prefix: '001', fields: [{ name: 'Name', type: 'string' }, { name: 'Credit_Limit__c', type: 'currency' }] },
      });
    });
    after(async () => {
      await org.close();
      await database.close();
    });
    beforeEach(async () => {
      await database.reset();
      for (const store of org.records.values()) store.clear();
      for (const list of org.deletions.values()) list.length = 0;
      org.requests.length = 0;
      org.setPageSize(2000);
      sf = createSalesforceClient({ instanceUrl: org.url, auth: { kind: 'client-credentials', loginUrl: org.url, ...CLIENT }, apiVersion: '60.0' });
    });

    it('upserts a new row by a fresh external id, converting every kind, and writes it back as Heroku Connect would', async () => {
      const sfid = await pushRecord(
        sf,
        contact,
        {
          lastName: 'Lovelace',
          email: 'ada@example.com',
          createdDate: new Date('2020-01-01T00:00:00Z'),
          lastSeen: new Date('2024-05-01T12:34:56.789Z'),
          birthdate: '1815-12-10',
          callAt: '09:30:00',
          interests: ['Golf', 'Chess'],
          optedOut: null,
          score: 4.5,
          visits: 3,
        },
        { db: database.db },
      );
      const [call] = org.requests.filter((request) => request.method === 'PATCH');
      const externalId = decodeURIComponent(call!.path.split('/').at(-1)!);
      assert.match(externalId, /^[0-9a-f]{32}$/, 'the column default made the external id');
      assert.equal(call!.path, `/services/data/v60.0/sobjects/Contact/External_ID__c/${externalId}`);
      assert.deepEqual(JSON.parse(call!.body), {
        LastName: 'Lovelace',
        Email: 'ada@example.com',
        Last_Seen__c: '2024-05-01T12:34:56.789Z',
        Birthdate: '1815-12-10',
        Call_At__c: '09:30:00.000Z',
        Interests__c: 'Golf;Chess',
        HasOptedOutOfEmail: false,
        Score__c: 4.5,
        Visits__c: 3,
      });
      assert.deepEqual(org.calls(), ['GET /sobjects/Contact/describe', `PATCH /sobjects/Contact/External_ID__c/${externalId}`]);

      const [row] = await database.db.select().from(contact);
      assert.equal(row?.sfid, sfid);
      assert.equal(row?.externalId, externalId);
      assert.equal(row?.hcLastop, 'SYNCED');
      assert.deepEqual(row?.interests, ['Golf', 'Chess']);
      assert.deepEqual(await logs(), [], 'the write-back is Heroku Connect’s: nothing for the trigger log to send');
    });

    it('updates by sfid and leaves the trigger log as it was', async () => {
      const sfid = newId('003');
      org.records.get('Contact')!.set(sfid, { Id: sfid, LastName: 'Old' });
      await database.db.insert(contact).values({ lastName: 'Old', sfid, externalId: 'a'.repeat(32) });
      const [before] = await logs();
      await database.db.update(contact).set({ lastName: 'New' }).where(eq(contact.sfid, sfid));
      const captured = (await logs()).length;

      assert.equal(await pushRecord(sf, contact, { sfid, lastName: 'New', visits: null }, { db: database.db }), sfid);
      assert.deepEqual(org.calls().at(-1), `PATCH /sobjects/Contact/${sfid}`);
      assert.deepEqual(JSON.parse(org.requests.at(-1)!.body), { LastName: 'New', Visits__c: null });
      assert.equal((await logs()).length, captured, 'no new log entry for the write-back');
      assert.ok(before !== undefined);
      const [row] = await database.db.select().from(contact);
      assert.equal(row?.hcLastop, 'SYNCED');
      assert.equal(row?.lastName, 'New');
    });

    it('creates a record of a table without an upsert field, leaving out what Salesforce does not let you write', async () => {
      const sfid = await pushRecord(sf, account, { name: 'Acme', creditLimit: 1000, systemModstamp: new Date() }, { db: database.db });
      assert.deepEqual(JSON.parse(org.requests.at(-1)!.body), { Name: 'Acme', Credit_Limit__c: 1000 });
      const [row] = await database.db.select().from(account);
      assert.equal(row?.sfid, sfid);
      assert.equal(row?.creditLimit, 1000);
      assert.deepEqual(await logs(), []);
    });

    it("refuses with Salesforce's errorCode and fields, writing nothing locally", async () => {
      org.refuse('LastName', 'Refused', { errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Last name is on the block list', fields: ['LastName'] });
      await assert.rejects(pushRecord(sf, contact, { lastName: 'Refused' }, { db: database.db }), (error: unknown) => {
        assert.ok(error instanceof SalesforceApiError);
        assert.equal(error.errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
        assert.deepEqual(error.fields, ['LastName']);
        return true;
      });
      assert.deepEqual(await database.db.select().from(contact), []);
      await assert.rejects(pushRecord(sf, contact, { sfid: "003' OR ''='" }), /is not a Salesforce record Id/);
      await assert.rejects(pushRecord(sf, contact, { visits: Number.NaN }), /^InputError: visits \(Visits__c\) holds NaN, which Salesforce cannot take as a int field\.$/);
      await assert.rejects(pushRecord(sf, contact, { lastSeen: new Date('garbage') }), /lastSeen \(Last_Seen__c\) holds Invalid Date/);
    });

    it('pushes many rows through sObject Collections, 200 a request, each outcome in order', async () => {
      org.refuse('LastName', 'Bad 7', { errorCode: 'DUPLICATE_VALUE', message: 'duplicate value found: Email', fields: ['Email'] });
      const rows = Array.from({ length: 250 }, (_, index) => ({ lastName: index === 7 ? 'Bad 7' : `Row ${index}`, visits: index }));
      const outcomes = await pushRecords(sf, contact, rows, { db: database.db });
      assert.deepEqual(org.calls(), ['GET /sobjects/Contact/describe', 'PATCH /composite/sobjects/Contact/External_ID__c', 'PATCH /composite/sobjects/Contact/External_ID__c']);
      assert.equal(outcomes.length, 250);
      const refused = outcomes.flatMap((outcome, index) => (outcome.ok ? [] : [index]));
      assert.deepEqual(refused, [7]);
      const seventh = outcomes[7];
      assert.ok(seventh !== undefined && !seventh.ok && seventh.error.errorCode === 'DUPLICATE_VALUE');
      const local = await database.db.select().from(contact);
      assert.equal(local.length, 249);
      assert.ok(local.every((row) => row.sfid !== null && row.hcLastop === 'SYNCED'));
      assert.deepEqual(await logs(), []);
    });

    it('pulls a record into the table, and deletes the row once the record is gone', async () => {
      const sfid = newId('003');
      org.records.get('Contact')!.set(sfid, {
        Id: sfid,
        LastName: 'Hopper',
        Last_Seen__c: '2024-05-01T12:00:00.000+0000',
        Birthdate: '1906-12-09',
        Call_At__c: '13:05:00.000Z',
        Interests__c: 'Sailing;Chess',
        HasOptedOutOfEmail: true,
        Score__c: 9.5,
        Visits__c: 12,
        SystemModstamp: '2024-05-02T08:00:00.000+0000',
        IsDeleted: false,
      });
      const row = await pullRecord(sf, database.db, contact, sfid);
      assert.equal(row?.lastName, 'Hopper');
      assert.equal(row?.lastSeen?.toISOString(), '2024-05-01T12:00:00.000Z');
      assert.equal(row?.systemModstamp?.toISOString(), '2024-05-02T08:00:00.000Z');
      assert.equal(row?.birthdate, '1906-12-09');
      assert.equal(row?.callAt, '13:05:00');
      assert.deepEqual(row?.interests, ['Sailing', 'Chess']);
      assert.equal(row?.optedOut, true);
      assert.equal(row?.visits, 12);
      assert.equal(row?.hcLastop, 'SYNCED');
      assert.match(org.requests.at(-1)!.path, /\/query\?q=SELECT\+?/);
      assert.deepEqual(await logs(), []);

      org.records.get('Contact')!.delete(sfid);
      assert.equal(await pullRecord(sf, database.db, contact, sfid), undefined);
      assert.deepEqual(await database.db.select().from(contact), []);
      assert.deepEqual(await logs(), []);
    });

    it('refreshes what changed since a time, page by page, deletes included, attaching a local row by its external id', async () => {
      org.setPageSize(2);
      const store = org.records.get('Contact')!;
      const old = new Date(Date.now() - 3_600_000);
      const ids = [newId('003'), newId('003'), newId('003'), newId('003')];
      ids.forEach((id, index) => store.set(id, { Id: id, LastName: `R${index}`, External_ID__c: `${index}`.padStart(32, '0'), SystemModstamp: new Date().toISOString().replace('Z', '+0000'), IsDeleted: false }));
      store.set('003xx000000000OLDA', { Id: '003xx000000000OLDA', LastName: 'Untouched', SystemModstamp: old.toISOString().replace('Z', '+0000') });
      // The app inserted R1 locally; Salesforce has it (pushed earlier), the row has no sfid yet.
      await database.db.insert(contact).values({ lastName: 'R1 local', externalId: '1'.padStart(32, '0') });
      // A row of a record deleted since.
      const deleted = newId('003');
      await database.db.execute(sql`insert into salesforce.contact (sfid, lastname) values (${deleted}, 'Gone')`);
      org.deletions.get('Contact')!.push({ id: deleted, deletedDate: new Date().toISOString().replace('Z', '+0000') });

      const progress: number[] = [];
      const result = await refreshTable(sf, database.db, contact, { since: new Date(Date.now() - 600_000), onProgress: ({ written }) => progress.push(written) });
      assert.equal(result.written, 4);
      assert.equal(result.deleted, 1);
      assert.deepEqual(progress, [2, 4, 4]);
      assert.equal(result.apiRequests, 3, 'two query pages and one /deleted');
      const rows = await database.db.select().from(contact).orderBy(contact.lastName);
      assert.deepEqual(rows.map((row) => row.lastName), ['R0', 'R1', 'R2', 'R3']);
      assert.equal(rows[1]?.sfid, ids[1], 'the local R1 got its sfid instead of a second row');
      assert.ok(rows.every((row) => row.hcLastop === 'SYNCED'));
      const soql = new URL(org.requests.find((request) => request.path.includes('/query?'))!.path, 'http://x').searchParams.get('q');
      assert.match(soql ?? '', /^SELECT Id, SystemModstamp, IsDeleted, LastName, .* FROM Contact WHERE SystemModstamp >= \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ORDER BY SystemModstamp, Id$/);
    });

    it('refreshes from the newest local modstamp by default, and loads everything into an empty table', async () => {
      const store = org.records.get('Contact')!;
      const id = newId('003');
      store.set(id, { Id: id, LastName: 'First', SystemModstamp: '2024-01-01T00:00:00.000+0000' });
      const full = await refreshTable(sf, database.db, contact);
      assert.equal(full.since, undefined);
      assert.equal(full.written, 1);
      const next = await refreshTable(sf, database.db, contact);
      assert.equal(next.since?.toISOString(), '2024-01-01T00:00:00.000Z');
    });
  });
}
