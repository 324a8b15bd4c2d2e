/** fetchWriteAlgorithm against the fake Heroku Connect API (heroku-connect.md §3.5). */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnectClient, fetchWriteAlgorithm, ConnectionLookupError } from '../../src/connect/index.ts';
import { SettingsError } from '../../src/errors.ts';
import { readSettings } from '../../src/settings/settings.ts';
import { startFakeConnectApi, type FakeConnectApi, type FakeConnection } from '../../src/testing/fake-connect-api.ts';

const APP = 'my-app';
let api: FakeConnectApi | undefined;
afterEach(() => api?.close());

async function clientFor(...connections: FakeConnection[]) {
  api = await startFakeConnectApi({ connections });
  return createConnectClient({ token: api.token, endpoint: api.endpoint });
}

describe('fetchWriteAlgorithm', () => {
  it('is ordered when the connection has poll_db_no_merge', async () => {
    const client = await clientFor({ id: 'c-1', app: APP, features: { poll_db_no_merge: true } });
    assert.equal(await fetchWriteAlgorithm({ client, appName: APP }), 'ordered');
  });

  it('is merged when the feature is absent or false', async () => {
    const client = await clientFor({ id: 'c-1', app: APP }, { id: 'c-2', app: APP, features: { poll_db_no_merge: false } });
    assert.equal(await fetchWriteAlgorithm({ client, appName: APP }), 'merged');
  });

  it('reads the endpoint, token and app from the settings', async () => {
    api = await startFakeConnectApi({ connections: [{ id: 'c-1', app: APP, features: { poll_db_no_merge: true } }] });
    const settings = readSettings({ HEROKU_CONNECT_API_ENDPOINT: api.endpoint, HEROKU_AUTH_TOKEN: api.token, HEROKU_APP_NAME: APP });
    assert.equal(await fetchWriteAlgorithm({ settings }), 'ordered');
    assert.deepEqual(api.requests.map((request) => [request.path, request.query, request.authorized]), [['/connections', { app: APP }, true]]);
  });

  it('refuses connections that disagree', async () => {
    const client = await clientFor(
      { id: 'c-1', app: APP, name: 'a', features: { poll_db_no_merge: true } },
      { id: 'c-2', app: APP, name: 'b' },
    );
    await assert.rejects(fetchWriteAlgorithm({ client, appName: APP }), (error: unknown) => {
      assert.ok(error instanceof ConnectionLookupError);
      assert.equal(error.code, 'HC_MIXED_WRITE_ALGORITHMS');
      assert.equal(error.message, 'The connections of the app my-app use different write algorithms (a: ordered, b: merged): pass the algorithm explicitly.');
      return true;
    });
  });

  it('refuses an app without a visible connection', async () => {
    const client = await clientFor();
    await assert.rejects(fetchWriteAlgorithm({ client, appName: APP }), { code: 'HC_NO_CONNECTION' });
  });

  it('is a settings error, before any request, without a token or an app', async () => {
    api = await startFakeConnectApi();
    const noToken = readSettings({ HEROKU_CONNECT_API_ENDPOINT: api.endpoint, HEROKU_APP_NAME: APP });
    await assert.rejects(fetchWriteAlgorithm({ settings: noToken }), (error: unknown) => error instanceof SettingsError && error.variable === 'HEROKU_AUTH_TOKEN');
    const noApp = readSettings({ HEROKU_CONNECT_API_ENDPOINT: api.endpoint, HEROKU_AUTH_TOKEN: api.token });
    await assert.rejects(fetchWriteAlgorithm({ settings: noApp }), (error: unknown) => error instanceof SettingsError && error.variable === 'HEROKU_APP_NAME');
    assert.equal(api.requests.length, 0);
  });
});

describe('createConnectClient', () => {
  it('gets one connection, deep with its mappings', async () => {
    const client = await clientFor({ id: 'c/1', app: APP, mappings: [{ object_name: 'Account', state: 'DATA_SYNCED' }] });
    const shallow = await client.getConnection('c/1');
    assert.equal(shallow.mappings, undefined);
    const deep = await client.getConnection('c/1', { deep: true });
    assert.deepEqual(deep.mappings, [{ object_name: 'Account', state: 'DATA_SYNCED' }]);
    assert.deepEqual(api?.requests.map((request) => [request.path, request.query['deep']]), [['/connections/c%2F1', 'false'], ['/connections/c%2F1', 'true']]);
  });

  it('keeps the fields it does not check', async () => {
    const client = await clientFor({ id: 'c-1', app: APP, schemaName: 'org' });
    const [connection] = await client.listConnections(APP);
    assert.equal(connection?.['_id'], 1);
    assert.equal(connection?.schema_name, 'org');
  });

  it('waits longer between each retry of a GET', async () => {
    const lines: string[] = [];
    api = await startFakeConnectApi({ connections: [{ id: 'c-1', app: APP }] });
    api.fail('get', { kind: 'status', status: 500 }, 3);
    const client = createConnectClient({ token: api.token, endpoint: api.endpoint, retries: 3, retryDelayMs: 20, log: (line) => lines.push(line) });
    await client.getConnection('c-1');
    assert.deepEqual(
      lines.filter((line) => line.includes('retry')),
      ['GET /connections/c-1 failed (HTTP 500); retry 1 of 3 in 20 ms', 'GET /connections/c-1 failed (HTTP 500); retry 2 of 3 in 40 ms', 'GET /connections/c-1 failed (HTTP 500); retry 3 of 3 in 80 ms'],
    );
  });
});
