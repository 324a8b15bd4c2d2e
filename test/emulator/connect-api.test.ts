/**
 * The emulator's Heroku Connect API, driven by hc-drizzle's own Connect
 * client: the connection and its mappings, health, export and import,
 * pause/resume, reload, write errors, and deleting a mapping.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { getMapping } from 'hc-drizzle';
import { checkHealth, createConnectClient, fetchWriteAlgorithm, waitForImport, type ConnectClient } from 'hc-drizzle/connect';
import { startEmulator, type Emulator } from 'hc-drizzle/emulator';
import { asHerokuConnect } from 'hc-drizzle/trigger-log';
import type { OpenDatabase } from '../../src/node/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { account, invoice, orgFixtures, schema } from './fixtures.ts';

const APP = 'emulated-app';

for (const target of databaseTargets()) {
  describe(`the Heroku Connect API on ${target.name}`, () => {
    let database: OpenDatabase;
    let emulator: Emulator;
    let client: ConnectClient;
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${emulator.connectApiUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${emulator.herokuToken}`, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as Record<string, unknown>) };
    };
    before(async () => {
      database = await target.open();
      emulator = await startEmulator({ db: database.db, schema, org: orgFixtures, appName: APP, writeAlgorithm: 'merged' });
      client = createConnectClient({ token: emulator.herokuToken, endpoint: emulator.connectApiUrl });
      await emulator.sync();
    });
    after(async () => {
      await emulator.close();
      await database.close();
    });

    it("lists the connection with the hcTables' mappings, its write algorithm and a healthy state", async () => {
      const [listed] = await client.listConnections(APP);
      assert.equal(listed!.id, emulator.connection.id);
      assert.deepEqual([listed!.state, listed!.schema_name, listed!.app_name, listed!.features?.poll_db_no_merge], ['IDLE', 'salesforce', APP, false]);
      assert.equal(await fetchWriteAlgorithm({ client, appName: APP }), 'merged');
      const deep = await client.getConnection(listed!.id, { deep: true });
      assert.deepEqual(deep.mappings!.map((mapping) => [mapping.object_name, mapping.state]), [
        ['Account', 'DATA_SYNCED'],
        ['Contact', 'DATA_SYNCED'],
        ['Invoice__c', 'DATA_SYNCED'],
        ['User', 'DATA_SYNCED'],
      ]);
      const accountMapping = deep.mappings![0] as unknown as { config: { upsert_field: string; access: string }; counts: { sf: number } };
      assert.deepEqual([accountMapping.config.access, accountMapping.config.upsert_field], ['read_write', 'External_ID__c']);
      assert.equal((await checkHealth({ client, appName: APP })).healthy, true);
      // No token, no access.
      assert.equal((await fetch(`${emulator.connectApiUrl}/connections?app=${APP}`)).status, 401);
    });

    it('pauses and resumes: health reports the pause, and nothing syncs meanwhile', async () => {
      const id = emulator.connection.id;
      assert.equal((await call('POST', `/connections/${id}/actions/pause`)).status, 202);
      const report = await checkHealth({ client, appName: APP });
      assert.deepEqual([report.healthy, report.connections[0]!.state], [false, 'PAUSED']);
      await database.db.insert(account).values({ name: 'While paused' });
      assert.equal((await emulator.sync()).paused, true);
      assert.equal((await call('POST', `/connections/${id}/actions/resume`)).status, 202);
      assert.deepEqual((await emulator.sync()).writtenOut, { success: 1, failed: 0, merged: 0 });
      assert.equal((await checkHealth({ client, appName: APP })).healthy, true);
    });

    it('exports the mapping the hcTables make, and imports changed polling settings', async () => {
      const id = emulator.connection.id;
      const exported = (await call('GET', `/connections/${id}/actions/export`)).body as { connection: { features: Record<string, boolean> }; mappings: { object_name: string; config: Record<string, unknown> }[] };
      const expected = getMapping(schema, { appName: APP, organizationId: emulator.org.organizationId });
      assert.deepEqual(
        exported.mappings.map(({ object_name, config: { applied_at: _applied, ...config } }) => ({ object_name, config })),
        expected.mappings,
      );
      assert.equal(exported.connection.features['poll_db_no_merge'], false);

      const changed = { ...expected, mappings: expected.mappings.filter((mapping) => mapping.object_name === 'Invoice__c').map((mapping) => ({ ...mapping, config: { ...mapping.config, sf_polling_seconds: 120, sf_notify_enabled: true } })) };
      await client.importMapping(id, changed);
      const { connection, finished } = await waitForImport(client, id, { intervalMs: 1, timeoutMs: 5000 });
      assert.deepEqual([finished, connection?.state], [true, 'IDLE']);
      const deep = await client.getConnection(id, { deep: true });
      const config = (name: string) => (deep.mappings!.find((mapping) => mapping.object_name === name) as unknown as { config: Record<string, unknown> }).config;
      assert.deepEqual([config('Invoice__c')['sf_polling_seconds'], config('Invoice__c')['sf_notify_enabled'], config('Invoice__c')['revision']], [120, true, 2]);
      // Import is a PATCH: the others are as they were.
      assert.equal(config('Account')['sf_polling_seconds'], 600);

      const refused = await call('POST', `/connections/${id}/actions/import`, { ...expected, mappings: [{ object_name: 'Nope__c', config: {} }] });
      assert.equal(refused.status, 400);
      assert.equal(refused.body!['code'], 'badconfig');
      assert.match(String(refused.body!['message']), /no hcTable for Nope__c/);
    });

    it('reloads a mapping from the org, and lists failed writes', async () => {
      const id = emulator.connection.id;
      const sfid = await emulator.org.create('Invoice__c', { Name: 'Reloaded', Amount__c: 5, Number__c: 'R-1' });
      await emulator.sync();
      await asHerokuConnect(database.db, (tx) => tx.delete(invoice));
      const deep = await client.getConnection(id, { deep: true });
      const mapping = deep.mappings!.find((one) => one.object_name === 'Invoice__c') as unknown as { id: string };
      assert.equal((await call('POST', `/mappings/${mapping.id}/actions/reload`)).status, 202);
      await emulator.sync();
      assert.equal((await call('GET', `/mappings/${mapping.id}`)).body!['state'], 'DATA_SYNCED');
      assert.equal((await database.db.select().from(invoice).where(eq(invoice.sfid, sfid))).length, 1);

      await database.db.insert(invoice).values({ name: 'No amount', number: 'R-2' });
      await emulator.sync();
      const errors = (await call('GET', `/connections/${id}/errors`)).body as { count: number; results: { table_name: string; message: string }[] };
      assert.equal(errors.count, 1);
      assert.equal(errors.results[0]!.table_name, 'invoice__c');
      assert.match(errors.results[0]!.message, /^REQUIRED_FIELD_MISSING:Required fields are missing: \[Amount__c\]/);
      assert.equal(((await call('GET', `/mappings/${mapping.id}/errors`)).body as { count: number }).count, 1);
    });

    it('stops syncing a mapping once it is deleted', async () => {
      const deep = await client.getConnection(emulator.connection.id, { deep: true });
      const mapping = deep.mappings!.find((one) => one.object_name === 'Invoice__c') as unknown as { id: string };
      assert.equal((await call('DELETE', `/mappings/${mapping.id}`)).status, 204);
      await database.db.insert(invoice).values({ name: 'Unmapped', amount: 1, number: 'R-3' });
      assert.deepEqual((await emulator.sync()).writtenOut, { success: 0, failed: 1, merged: 0 });
      assert.equal((await call('GET', `/mappings/${mapping.id}`)).status, 404);
    });
  });
}
