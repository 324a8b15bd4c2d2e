/** `hc-drizzle import-mappings`, run as a process against the fake Heroku Connect API. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FakeConnectApi } from '../../src/testing/fake-connect-api.ts';
import { runCli } from '../support/cli.ts';
import { FIXTURE_SCHEMA, TOKEN, apiEnv, fakeApiPerTest, runWithApi } from './support.ts';

const APP = 'my-app';
const fake = fakeApiPerTest();
const importArgs = (...extra: string[]) => ['import-mappings', '--schema', FIXTURE_SCHEMA, ...extra];
const fastWait = ['--wait', '--wait-interval', '0.05'];
const routes = (api: FakeConnectApi) => api.requests.map((request) => request.route);

describe('hc-drizzle import-mappings', () => {
  it('uploads exactly what export prints to the single connection of the app', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const result = await runWithApi(importArgs('--app', APP), apiEnv(api, { HEROKU_CONNECT_ORGANIZATION_ID: '00D000000000001' }));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(routes(api), ['list', 'import']);
    assert.deepEqual(api.requests[0]?.query, { app: APP });
    assert.ok(api.requests.every((request) => request.authorized));
    const exported = await runCli(['export', '--schema', FIXTURE_SCHEMA, '--app-name', APP], { env: apiEnv(api, { HEROKU_CONNECT_ORGANIZATION_ID: '00D000000000001' }) });
    assert.equal(exported.code, 0, exported.stderr);
    const printed = JSON.parse(exported.stdout);
    const uploaded = api.imports[0]?.mapping as typeof printed;
    assert.equal(api.imports[0]?.connectionId, 'c-1');
    assert.deepEqual({ ...uploaded, connection: { ...uploaded.connection, exported_at: '' } }, { ...printed, connection: { ...printed.connection, exported_at: '' } });
    assert.match(result.stdout, /import started/);
  });

  it('takes the app from HEROKU_APP_NAME', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const result = await runWithApi(importArgs(), apiEnv(api, { HEROKU_APP_NAME: APP }));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(api.requests[0]?.query, { app: APP });
  });

  it('skips the lookup with --connection', async () => {
    const api = await fake({ id: 'c-1', app: APP }, { id: 'c-2', app: APP });
    const result = await runWithApi(importArgs('--connection', 'c-2'), apiEnv(api));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(routes(api), ['import']);
    assert.equal(api.imports[0]?.connectionId, 'c-2');
  });

  it('links the account when no connection is visible, then uploads', async () => {
    const api = await fake({ id: 'c-1', app: APP, requiresLink: true });
    const result = await runWithApi(importArgs('--app', APP), apiEnv(api));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(routes(api), ['list', 'link', 'list', 'import']);
    assert.equal(api.requests[1]?.path, `/users/me/apps/${APP}/auth`);
    assert.match(result.stderr, /linking your account/);
  });

  it('fails when no connection is visible even after linking', async () => {
    const api = await fake({ id: 'c-1', app: 'other-app' });
    const result = await runWithApi(importArgs('--app', APP), apiEnv(api));
    assert.equal(result.code, 1);
    assert.deepEqual(routes(api), ['list', 'link', 'list']);
    assert.match(result.stderr, /^hc-drizzle: No Heroku Connect connection is visible for the app my-app, even after linking/m);
    assert.equal(api.imports.length, 0);
  });

  it('refuses an app with several connections and asks for --connection', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: 'first' }, { id: 'c-2', app: APP, name: 'second' });
    const result = await runWithApi(importArgs('--app', APP), apiEnv(api));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /has 2 connections \(first \(c-1\), second \(c-2\)\): choose one with --connection/);
    assert.equal(api.imports.length, 0);
  });

  it('waits through IMPORT_CONFIGURATION to IDLE, showing progress on stderr', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: 'main', importPolls: 3 });
    const result = await runWithApi(importArgs('--app', APP, ...fastWait), apiEnv(api));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'Connection main (c-1): IDLE');
    assert.equal(result.stderr.match(/Waiting for the import: IMPORT_CONFIGURATION/g)?.length, 3);
    assert.match(result.stderr, /Waiting for the import: IDLE/);
    assert.deepEqual(routes(api), ['list', 'import', 'get', 'get', 'get', 'get']);
  });

  it('exits 1 when the import ends in a bad state', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: 'main', importEndsIn: 'SYSTEM_ERROR' });
    const result = await runWithApi(importArgs('--app', APP, ...fastWait), apiEnv(api));
    assert.equal(result.code, 1);
    assert.equal(result.stdout.trim(), 'Connection main (c-1): SYSTEM_ERROR');
    assert.match(result.stderr, /hc-drizzle: The import ended with connection main \(c-1\) in the unhealthy state SYSTEM_ERROR/);
  });

  it('exits 1 when --timeout passes with the import still running', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: 'main', importPolls: 10_000 });
    const result = await runWithApi(importArgs('--app', APP, ...fastWait, '--timeout', '0.4'), apiEnv(api));
    assert.equal(result.code, 1);
    assert.equal(result.stdout.trim(), 'Connection main (c-1): IMPORT_CONFIGURATION');
    assert.match(result.stderr, /hc-drizzle: Gave up after \d+ s: connection main \(c-1\) is still IMPORT_CONFIGURATION\./);
  });

  it('fails with a clear error when a poll replies with the wrong shape', async () => {
    const api = await fake({ id: 'c-1', app: APP, importPolls: 5 });
    api.fail('get', { kind: 'reply', body: { id: 'c-1', status: 'IDLE' } });
    const result = await runWithApi(importArgs('--app', APP, ...fastWait), apiEnv(api));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^hc-drizzle: GET \/connections\/c-1 replied with something the Heroku Connect API does not document: state: /m);
  });

  it('does not retry a failed upload (a POST), and says which call failed', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('import', { kind: 'status', status: 503 });
    const result = await runWithApi(importArgs('--app', APP), apiEnv(api));
    assert.equal(result.code, 1);
    assert.deepEqual(routes(api), ['list', 'import']);
    assert.match(result.stderr, /^hc-drizzle: POST \/connections\/c-1\/actions\/import failed with HTTP 503/);
  });

  it('times out a hanging upload once, without retrying', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('import', { kind: 'hang' });
    const result = await runWithApi(importArgs('--app', APP, '--request-timeout', '0.3'), apiEnv(api));
    assert.equal(result.code, 1);
    assert.deepEqual(routes(api), ['list', 'import']);
    assert.match(result.stderr, /POST \/connections\/c-1\/actions\/import timed out after 0.3 s/);
  });

  it('reports a bad schema before making any request', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const result = await runWithApi(['import-mappings', '--app', APP, '--schema', 'does/not/exist.ts'], apiEnv(api));
    assert.equal(result.code, 2);
    assert.equal(api.requests.length, 0);
  });

  it('exits 2 without any request when HEROKU_AUTH_TOKEN is missing', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const result = await runWithApi(importArgs('--app', APP, '--wait'), apiEnv(api, { HEROKU_AUTH_TOKEN: undefined }));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^hc-drizzle: HEROKU_AUTH_TOKEN is not set/);
    assert.equal(api.requests.length, 0);
  });

  it('exits 2 without any request when no app is named', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const result = await runWithApi(importArgs(), apiEnv(api));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /pass --app <app> or set HEROKU_APP_NAME/);
    assert.equal(api.requests.length, 0);
  });

  it('shows every request with --verbose, the token redacted', async () => {
    const api = await fake({ id: 'c-1', app: APP, importPolls: 1 });
    const result = await runWithApi(importArgs('--app', APP, '--verbose', ...fastWait), apiEnv(api));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/connections\?app=my-app \(Authorization: Bearer \[redacted\]\)/);
    assert.match(result.stderr, /POST \/connections\/c-1\/actions\/import answered HTTP 202/);
  });

  it('keeps the token out of a verbose failure with a stack trace, even when the API echoes it', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'status', status: 400, body: { id: 'bad_request', message: `Bad token ${TOKEN}` } });
    const result = await runWithApi(importArgs('--app', APP, '--verbose'), apiEnv(api));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /GET \/connections failed with HTTP 400 \(Bad token \[redacted\]\)/);
    assert.match(result.stderr, /at /);
  });
});
