/**
 * The emulator's Salesforce REST API, driven by jsforce 3.10.16 as a real
 * client: OAuth, records with 18-character Ids, Salesforce's validation
 * errors, describe, SOQL, updated/deleted, and faults.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jsforce from 'jsforce';
import { startEmulator, type Emulator } from 'hc-drizzle/emulator';
import type { OpenDatabase } from '../../src/node/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { orgFixtures, schema } from './fixtures.ts';

const EXTERNAL_ID = 'a'.repeat(32);

/** The jsforce error code of a rejected call. */
async function errorCodeOf(promise: PromiseLike<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { errorCode?: string }).errorCode ?? String(error);
  }
  assert.fail('expected Salesforce to refuse');
}

for (const target of databaseTargets()) {
  describe(`the Salesforce REST API on ${target.name}`, () => {
    let database: OpenDatabase;
    let emulator: Emulator;
    let conn: jsforce.Connection;
    before(async () => {
      database = await target.open();
      emulator = await startEmulator({ db: database.db, schema, org: orgFixtures });
      conn = new jsforce.Connection({ instanceUrl: emulator.salesforceUrl, accessToken: emulator.credentials.accessToken, version: '50.0' });
    });
    after(async () => {
      await emulator.close();
      await database.close();
    });

    const oauth = () => ({ loginUrl: emulator.salesforceUrl, clientId: emulator.credentials.clientId, clientSecret: emulator.credentials.clientSecret, redirectUri: 'http://localhost/callback' });

    it('logs jsforce in with client credentials, a password and a refresh token, and refuses bad secrets', async () => {
      const byClient = new jsforce.Connection({ oauth2: oauth() });
      const user = await byClient.authorize({ grant_type: 'client_credentials' });
      assert.equal(user.organizationId, emulator.org.organizationId);
      assert.equal(user.id, emulator.org.userId);
      assert.equal(byClient.instanceUrl, emulator.salesforceUrl);
      assert.equal((await byClient.query('SELECT Id FROM Account')).totalSize >= 1, true);

      const byPassword = new jsforce.Connection({ oauth2: oauth() });
      await byPassword.login(emulator.credentials.username, emulator.credentials.password);
      assert.ok(byPassword.accessToken);

      const refreshed = await new jsforce.OAuth2(oauth()).refreshToken(emulator.credentials.refreshToken);
      assert.ok(refreshed.access_token);

      const wrong = new jsforce.Connection({ oauth2: { ...oauth(), clientSecret: 'nope' } });
      await assert.rejects(wrong.authorize({ grant_type: 'client_credentials' }), /invalid_client/);
      const stranger = new jsforce.Connection({ instanceUrl: emulator.salesforceUrl, accessToken: 'made-up' });
      assert.equal(await errorCodeOf(stranger.query('SELECT Id FROM Account')), 'INVALID_SESSION_ID');
    });

    it('creates, reads, updates, upserts and deletes records with 18-character Ids', async () => {
      const accounts = conn.sobject('Account');
      const created = await accounts.create({ Name: 'Acme', Industry: 'Energy' });
      assert.equal(created.success, true);
      assert.match(created.id!, /^0015E[0-9A-Za-z]{10}[A-Z0-5]{3}$/);
      const read = await accounts.retrieve(created.id!);
      assert.equal(read['Name'], 'Acme');
      assert.equal(read['OwnerId'], emulator.org.userId);
      for (const stamp of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp']) assert.match(String(read[stamp]), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
      assert.equal(read['IsDeleted'], false);

      await accounts.update({ Id: created.id!, Name: 'Acme Corp' });
      const updated = await accounts.retrieve(created.id!);
      assert.equal(updated['Name'], 'Acme Corp');
      assert.ok(String(updated['SystemModstamp']) > String(read['SystemModstamp']));
      // The 15-character and lower-cased forms name the same record.
      assert.equal((await accounts.retrieve(created.id!.slice(0, 15)))['Id'], created.id);

      const inserted = await accounts.upsert({ Name: 'Upserted', External_ID__c: EXTERNAL_ID }, 'External_ID__c');
      assert.equal(inserted.created, true);
      const again = await accounts.upsert({ Name: 'Upserted again', External_ID__c: EXTERNAL_ID.toUpperCase() }, 'External_ID__c');
      assert.equal(again.created, false);
      assert.equal(again.id, inserted.id);
      assert.equal((await accounts.retrieve(inserted.id!))['Name'], 'Upserted again');

      await accounts.destroy(created.id!);
      assert.equal(await errorCodeOf(accounts.retrieve(created.id!)), 'ENTITY_IS_DELETED');
      assert.equal(await errorCodeOf(accounts.update({ Id: created.id!, Name: 'Back' })), 'ENTITY_IS_DELETED');
      assert.equal(await errorCodeOf(accounts.retrieve('001000000000000AAA')), 'NOT_FOUND');
    });

    it("refuses what Salesforce refuses, with its error codes", async () => {
      const accounts = conn.sobject('Account');
      assert.equal(await errorCodeOf(accounts.create({ Industry: 'Energy' })), 'REQUIRED_FIELD_MISSING');
      assert.equal(await errorCodeOf(accounts.create({ Name: 'x', AccountNumber: '1'.repeat(41) })), 'STRING_TOO_LONG');
      assert.equal(await errorCodeOf(accounts.create({ Name: 'x', Industry: 'Shipping' })), 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
      // Custom picklists restrict their values by default.
      assert.equal(await errorCodeOf(accounts.create({ Name: 'x', Tier__c: 'Bronze' })), 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
      await accounts.create({ Name: 'First', External_ID__c: 'b'.repeat(32) });
      assert.equal(await errorCodeOf(accounts.create({ Name: 'Second', External_ID__c: 'B'.repeat(32) })), 'DUPLICATE_VALUE');
      assert.equal(await errorCodeOf(conn.sobject('Contact').create({ LastName: 'Orphan', AccountId: '0015E0000000zzzAAA' })), 'INVALID_CROSS_REFERENCE_KEY');
      assert.equal(await errorCodeOf(accounts.create({ Name: 'x', Nonsense__c: 1 })), 'INVALID_FIELD');
      assert.equal(await errorCodeOf(conn.sobject('Nope__c').create({ Name: 'x' })), 'NOT_FOUND');
      // The fixtures make Amount__c required.
      assert.equal(await errorCodeOf(conn.sobject('Invoice__c').create({ Name: 'INV-1' })), 'REQUIRED_FIELD_MISSING');
      const raw = await fetch(`${emulator.salesforceUrl}/services/data/v50.0/sobjects/Account`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${emulator.credentials.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ AccountNumber: 'A-1' }),
      });
      assert.equal(raw.status, 400);
      assert.deepEqual(await raw.json(), [{ message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }]);
    });

    it('writes many records a request through sObject Collections, record by record or all or none', async () => {
      const accounts = conn.sobject('Account');
      const before = (await emulator.org.records('Account')).length;
      // Without allOrNone each record stands on its own; results come back in order, errors as statusCode.
      const created = await accounts.create([{ Name: 'Bulk 1' }, { Industry: 'Energy' }, { Name: 'Bulk 3', AccountNumber: '9'.repeat(41) }, { Name: 'Bulk 4' }]);
      assert.deepEqual(created.map((result) => result.success), [true, false, false, true]);
      assert.deepEqual((created[1] as unknown as { errors: { statusCode: string; fields: string[] }[] }).errors.map((error) => [error.statusCode, error.fields]), [['REQUIRED_FIELD_MISSING', ['Name']]]);
      assert.equal((created[2] as unknown as { errors: { statusCode: string }[] }).errors[0]!.statusCode, 'STRING_TOO_LONG');
      assert.equal((await emulator.org.records('Account')).length, before + 2);
      const [one, , , four] = created as { id: string }[];

      // All or none: one refused record rolls the request back, and the valid ones say so.
      const refused = await accounts.create([{ Name: 'Rolled back' }, { Name: 'Bad', Industry: 'Shipping' }], { allOrNone: true });
      assert.deepEqual(
        refused.map((result) => (result as unknown as { errors: { statusCode: string }[] }).errors.map((error) => error.statusCode)),
        [['ALL_OR_NONE_OPERATION_ROLLED_BACK'], ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST']],
      );
      assert.equal((await conn.query("SELECT Id FROM Account WHERE Name = 'Rolled back'")).totalSize, 0);

      const updated = await accounts.update([{ Id: one!.id, Name: 'Bulk one' }, { Id: four!.id, Industry: 'Nope' }]);
      assert.deepEqual(updated.map((result) => result.success), [true, false]);
      assert.equal((await accounts.retrieve(one!.id))['Name'], 'Bulk one');
      const allOrNothing = await accounts.update([{ Id: one!.id, Name: 'Never' }, { Id: four!.id, Industry: 'Nope' }], { allOrNone: true });
      assert.deepEqual(allOrNothing.map((result) => result.success), [false, false]);
      assert.equal((await accounts.retrieve(one!.id))['Name'], 'Bulk one');

      const upserted = await accounts.upsert(
        [
          { External_ID__c: 'c'.repeat(32), Name: 'Upserted in bulk' },
          { External_ID__c: 'c'.repeat(32), Name: 'Same record again' },
          { External_ID__c: 'd'.repeat(32), Name: 'Another' },
        ],
        'External_ID__c',
      );
      assert.deepEqual(upserted.map((result) => [result.success, (result as { created?: boolean }).created]), [[true, true], [true, false], [true, true]]);
      assert.equal(upserted[0]!.id, upserted[1]!.id);

      const retrieved = await accounts.retrieve([one!.id, four!.id, '001000000000000AAA'], { fields: ['Name'] });
      assert.deepEqual(retrieved.map((record) => record?.['Name'] ?? null), ['Bulk one', 'Bulk 4', null]);

      const deleted = await accounts.destroy([one!.id, upserted[2]!.id!, one!.id]);
      assert.deepEqual(deleted.map((result) => result.success), [true, true, false]);
      assert.equal((deleted[2] as unknown as { errors: { statusCode: string }[] }).errors[0]!.statusCode, 'ENTITY_IS_DELETED');

      // More than 200 records is refused whole, before anything is written.
      const tooMany = await fetch(`${emulator.salesforceUrl}/services/data/v50.0/composite/sobjects`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${emulator.credentials.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ records: Array.from({ length: 201 }, (_, n) => ({ attributes: { type: 'Account' }, Name: `Too many ${n}` })) }),
      });
      assert.equal(tooMany.status, 400);
      assert.equal(((await tooMany.json()) as { errorCode: string }[])[0]!.errorCode, 'EXCEEDED_ID_LIMIT');
      assert.equal((await conn.query("SELECT Id FROM Account WHERE Name LIKE 'Too many%'")).totalSize, 0);
    });

    it("describes the hcTables' objects, with the fixtures' labels and picklists, under stable key prefixes", async () => {
      const global = await conn.describeGlobal();
      const names = global.sobjects.map((object) => object.name);
      for (const name of ['Account', 'Contact', 'Invoice__c', 'User']) assert.ok(names.includes(name), name);
      const invoice = global.sobjects.find((object) => object.name === 'Invoice__c')!;
      assert.match(invoice.keyPrefix!, /^a[0-9A-Za-z]{2}$/);
      assert.equal(invoice.custom, true);
      const described = await conn.describe('Account');
      const field = (name: string) => described.fields.find((one) => one.name === name)!;
      assert.equal(described.keyPrefix, '001');
      assert.equal(field('AccountNumber').label, 'Account Number');
      assert.equal(field('AccountNumber').length, 40);
      assert.equal(field('Name').nillable, false);
      assert.equal(field('External_ID__c').externalId, true);
      assert.equal(field('External_ID__c').length, 32);
      assert.deepEqual(field('Industry').picklistValues!.map((value) => value.value), ['Energy', 'Technology']);
      assert.equal(field('Industry').restrictedPicklist, true);
      assert.equal(field('Rating').type, 'picklist');
      assert.equal(field('Id').type, 'id');
      assert.equal(field('SystemModstamp').type, 'datetime');
      assert.equal(field('CreatedDate').createable, false);
      const contactFields = (await conn.describe('Contact')).fields;
      assert.deepEqual(contactFields.find((one) => one.name === 'AccountId')!.referenceTo, ['Account']);
      assert.equal(contactFields.find((one) => one.name === 'AccountId')!.relationshipName, 'Account');
    });

    it('answers SOQL with filters, order, limits, counts and pages, and refuses bad queries', async () => {
      const invoices = conn.sobject('Invoice__c');
      for (let n = 1; n <= 5; n++) await invoices.create({ Name: `INV-${n}`, Amount__c: n * 100, Paid__c: n % 2 === 0, Due__c: `2024-06-0${n}`, Number__c: `N-${n}` });
      const found = await conn.query<{ Name: string; Amount__c: number }>(
        "SELECT Name, Amount__c FROM Invoice__c WHERE Amount__c >= 200 AND (Paid__c = true OR Name LIKE 'inv-5') ORDER BY Amount__c DESC LIMIT 2",
      );
      assert.equal(found.totalSize, 2);
      assert.deepEqual(found.records.map((record) => [record.Name, record.Amount__c]), [['INV-5', 500], ['INV-4', 400]]);
      assert.equal((found.records[0] as { attributes?: { type: string } }).attributes?.type, 'Invoice__c');
      const dated = await conn.query("SELECT Name FROM invoice__c WHERE Due__c > 2024-06-03 AND Name IN ('INV-4', 'INV-1')");
      assert.deepEqual(dated.records.map((record) => record['Name']), ['INV-4']);
      assert.equal((await conn.query('SELECT COUNT() FROM Invoice__c')).totalSize, 5);
      assert.equal((await conn.query('SELECT Id FROM Invoice__c WHERE CreatedDate = TODAY')).totalSize, 5);

      const more = Array.from({ length: 205 }, (_, i) => ({ op: 'create', object: 'Invoice__c', fields: { Name: `INV-${i + 6}`, Amount__c: i, Number__c: `N-${i + 6}` } }) as const);
      assert.ok((await emulator.org.write(more)).every((outcome) => outcome.ok));
      const response = await fetch(`${emulator.salesforceUrl}/services/data/v50.0/query?q=${encodeURIComponent('SELECT Id FROM Invoice__c')}`, {
        headers: { Authorization: `Bearer ${emulator.credentials.accessToken}`, 'Sforce-Query-Options': 'batchSize=200' },
      });
      const page = (await response.json()) as { totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] };
      assert.deepEqual([page.totalSize, page.done, page.records.length], [210, false, 200]);
      const rest = await conn.queryMore(page.nextRecordsUrl);
      assert.deepEqual([rest.done, rest.records.length], [true, 10]);

      assert.equal(await errorCodeOf(conn.query('SELECT Name FRM Account')), 'MALFORMED_QUERY');
      assert.equal(await errorCodeOf(conn.query('SELECT Nope__c FROM Account')), 'INVALID_FIELD');
      assert.equal(await errorCodeOf(conn.query("SELECT Id FROM Invoice__c WHERE Amount__c = 'ten'")), 'INVALID_FIELD');
      assert.equal(await errorCodeOf(conn.query('SELECT Id FROM Nope__c')), 'INVALID_TYPE');
    });

    it('lists records updated and deleted between start and end', async () => {
      const start = new Date(Date.now() - 1000);
      const contacts = conn.sobject('Contact');
      const kept = await contacts.create({ LastName: 'Kept' });
      const gone = await contacts.create({ LastName: 'Gone' });
      await contacts.destroy(gone.id!);
      const end = new Date(Date.now() + 2000);
      const updated = await contacts.updated(start.toISOString(), end.toISOString());
      assert.deepEqual(updated.ids, [kept.id]);
      const deleted = await contacts.deleted(start.toISOString(), end.toISOString());
      assert.deepEqual(deleted.deletedRecords.map((record) => record.id), [gone.id]);
      assert.match(deleted.latestDateCovered, /\+0000$/);
    });

    it('seeds the fixtures once, and keeps key prefixes and records across restarts', async () => {
      const seeded = await conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Seeded Ltd'");
      assert.equal(seeded.totalSize, 1);
      const restarted = await startEmulator({ db: database.db, schema, org: orgFixtures });
      try {
        assert.equal(restarted.org.organizationId, emulator.org.organizationId);
        assert.equal(restarted.org.object('Invoice__c')!.keyPrefix, emulator.org.object('Invoice__c')!.keyPrefix);
        assert.equal((await restarted.org.query("SELECT Id FROM Account WHERE Name = 'Seeded Ltd'")).totalSize, 1);
      } finally {
        await restarted.close();
      }
    });

    it('fails the next writes, answers slowly, or is unavailable when told to', async () => {
      const { faults } = emulator.org;
      faults.failNextWrites(2, { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' });
      const accounts = conn.sobject('Account');
      assert.equal(await errorCodeOf(accounts.create({ Name: 'One' })), 'UNABLE_TO_LOCK_ROW');
      assert.equal(await errorCodeOf(emulator.org.create('Account', { Name: 'Two' })), 'UNABLE_TO_LOCK_ROW');
      assert.equal((await accounts.create({ Name: 'Three' })).success, true);
      faults.slow(150);
      const started = performance.now();
      await conn.query('SELECT Id FROM Account LIMIT 1');
      assert.ok(performance.now() - started >= 140);
      faults.unavailable();
      const down = await fetch(`${emulator.salesforceUrl}/services/data/v50.0/sobjects`, { headers: { Authorization: `Bearer ${emulator.credentials.accessToken}` } });
      assert.equal(down.status, 503);
      faults.clear();
      assert.equal((await conn.query('SELECT Id FROM Account LIMIT 1')).done, true);
    });
  });
}
