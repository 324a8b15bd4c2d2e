/** `hc-drizzle health` as a process, and the health handler as a plain Request -> Response function. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnectClient } from '../../src/connect/client.ts';
import { createHealthHandler } from '../../src/connect/health.ts';
import { readSettings } from '../../src/settings/settings.ts';
import { startFakeConnectApi, type FakeConnectApi } from '../../src/testing/fake-connect-api.ts';
import { TOKEN, apiEnv, fakeApiPerTest, runWithApi } from './support.ts';

const APP = 'my-app';
const fake = fakeApiPerTest();

describe('hc-drizzle health', () => {
  it('exits 0 and lists the states when every connection is healthy', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: 'main', state: 'POLLING_DB_CHANGES' }, { id: 'c-2', app: APP, name: 'events', state: 'BUSY' });
    const result = await runWithApi(['health', '--app', APP], apiEnv(api));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      'ok  POLLING_DB_CHANGES main (c-1)\nok  BUSY events (c-2)\nThe Heroku Connect connections of my-app are healthy.\n',
    );
  });

  it('exits 1 when a connection is in a bad state', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: 'main', state: 'IDLE' }, { id: 'c-2', app: APP, name: 'events', state: 'PAUSED' });
    const result = await runWithApi(['health'], apiEnv(api, { HEROKU_APP_NAME: APP }));
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^BAD PAUSED events \(c-2\)$/m);
    assert.match(result.stdout, /^Connection events is PAUSED\.$/m);
  });

  it('prints the report as JSON with --json', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: 'main', state: 'NEED_AUTHENTICATION' });
    const result = await runWithApi(['health', '--app', APP, '--json'], apiEnv(api));
    assert.equal(result.code, 1);
    assert.deepEqual(JSON.parse(result.stdout), {
      healthy: false,
      app: APP,
      connections: [{ id: 'c-1', name: 'main', state: 'NEED_AUTHENTICATION', healthy: false }],
      problems: ['Connection main is NEED_AUTHENTICATION.'],
    });
  });

  it('counts an app without a visible connection as unhealthy', async () => {
    const api = await fake();
    const result = await runWithApi(['health', '--app', APP], apiEnv(api));
    assert.equal(result.code, 1);
    assert.match(result.stdout, /No Heroku Connect connection is visible for the app my-app/);
  });
});

describe('API failures, seen through hc-drizzle health', () => {
  const run = (api: FakeConnectApi, ...extra: string[]) => runWithApi(['health', '--app', APP, '--request-timeout', '0.3', ...extra], apiEnv(api));

  it('retries a GET after a 5xx and succeeds', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'status', status: 502 });
    const result = await run(api);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(api.requests.length, 2);
  });

  it('gives up after a bounded number of attempts on lasting 5xx', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'status', status: 503 }, 100);
    const result = await run(api, '--verbose');
    assert.equal(result.code, 1);
    assert.equal(api.requests.length, 3);
    assert.match(result.stderr, /retry 1 of 2 in 500 ms/);
    assert.match(result.stderr, /retry 2 of 2 in 1000 ms/);
    assert.match(result.stderr, /^hc-drizzle: GET \/connections failed with HTTP 503 \(Fake failure with HTTP 503\.\)\.$/m);
  });

  it('does not retry a 4xx', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'status', status: 404, body: { id: 'not_found', message: 'App not found.' } });
    const result = await run(api);
    assert.equal(result.code, 1);
    assert.equal(api.requests.length, 1);
    assert.equal(result.stderr, 'hc-drizzle: GET /connections failed with HTTP 404 (App not found.): check the app name, the connection id and HEROKU_CONNECT_API_ENDPOINT (the connection region).\n');
  });

  it('says to check the token on 401, without showing it', async () => {
    const api = await startFakeConnectApi({ token: 'the-right-token', connections: [{ id: 'c-1', app: APP }] });
    try {
      const result = await runWithApi(['health', '--app', APP], { ...apiEnv(api), HEROKU_AUTH_TOKEN: TOKEN });
      assert.equal(result.code, 1);
      assert.equal(api.requests.length, 1);
      assert.match(result.stderr, /HTTP 401 \(Invalid credentials provided\.\): check HEROKU_AUTH_TOKEN/);
    } finally {
      await api.close();
    }
  });

  it('times out a hanging GET, retrying it a bounded number of times', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'hang' }, 100);
    const started = Date.now();
    const result = await run(api);
    assert.equal(result.code, 1);
    assert.equal(api.requests.length, 3);
    assert.ok(Date.now() - started < 15_000);
    assert.equal(result.stderr, `hc-drizzle: GET /connections timed out after 0.3 s (Heroku Connect API at ${api.endpoint}).\n`);
  });

  it('reports invalid JSON without retrying', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'invalid-json' });
    const result = await run(api);
    assert.equal(result.code, 1);
    assert.equal(api.requests.length, 1);
    assert.equal(result.stderr, 'hc-drizzle: GET /connections replied with invalid JSON (HTTP 200): {"results": [.\n');
  });

  it('reports a reply of the wrong shape, naming the endpoint and the field', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'reply', body: { count: 1, results: [{ id: true, state: 'IDLE' }] } });
    const result = await run(api);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^hc-drizzle: GET \/connections replied with something the Heroku Connect API does not document: results\.0\.id: must be a string or a whole number\.\n$/);
  });

  it('reports an unreachable API', async () => {
    const closed = await startFakeConnectApi({ token: TOKEN, connections: [] });
    const endpoint = closed.endpoint;
    await closed.close();
    const result = await runWithApi(['health', '--app', APP], { ...apiEnv(closed), HEROKU_CONNECT_API_ENDPOINT: endpoint });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^hc-drizzle: GET \/connections could not reach the Heroku Connect API at http:\/\/127\.0\.0\.1:\d+\/api\/v3: ECONNREFUSED\.$/m);
  });

  it('exits 2 without any request when HEROKU_AUTH_TOKEN is missing, --verbose too', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const result = await runWithApi(['health', '--app', APP, '--verbose'], apiEnv(api, { HEROKU_AUTH_TOKEN: '' }));
    assert.equal(result.code, 2);
    assert.equal(api.requests.length, 0);
  });
});

describe('createHealthHandler', () => {
  const request = () => new Request('http://localhost/health');
  const handlerFor = (api: FakeConnectApi) =>
    createHealthHandler({ client: createConnectClient({ token: api.token, endpoint: api.endpoint, retryDelayMs: 10 }), appName: APP });

  it('answers 200 with the connection states when every connection is healthy', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: 'main', state: 'IMPORT_CONFIGURATION' });
    const response = await handlerFor(api)(request());
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), {
      healthy: true,
      app: APP,
      connections: [{ id: 'c-1', name: 'main', state: 'IMPORT_CONFIGURATION', healthy: true }],
      problems: [],
    });
  });

  it('answers 503 naming the bad connections', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: 'main', state: 'IDLE' }, { id: 'c-2', app: APP, name: 'other', state: 'SYSTEM_ERROR' });
    const handler = handlerFor(api);
    const response = await handler(request());
    assert.equal(response.status, 503);
    const body = (await response.json()) as { problems: string[]; connections: { state: string }[] };
    assert.deepEqual(body.problems, ['Connection other is SYSTEM_ERROR.']);
    api.setState('c-2', 'IDLE');
    assert.equal((await handler(request())).status, 200);
  });

  /** A handler whose API hangs on every lookup, each attempt for 5 s before its retries. */
  const hangingApiHandler = async (options: { timeoutMs?: number } = {}) => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'hang' }, 100);
    const client = createConnectClient({ token: api.token, endpoint: api.endpoint, timeoutMs: 5_000, retryDelayMs: 10 });
    return createHealthHandler({ client, appName: APP, ...options });
  };

  it('answers 503 within its timeout when the API hangs, instead of waiting through every retry', async () => {
    const handler = await hangingApiHandler({ timeoutMs: 300 });
    const started = performance.now();
    const response = await handler(request());
    const elapsed = performance.now() - started;
    assert.equal(response.status, 503);
    const body = (await response.json()) as { healthy: boolean; problems: string[] };
    assert.equal(body.healthy, false);
    assert.equal(body.problems.length, 1);
    assert.doesNotMatch(body.problems[0]!, /unexpectedly/);
    // One hanging attempt of 5 s, retried, would take over 10 s; the handler's own bound ends it.
    assert.ok(elapsed < 4_000, `answered after ${elapsed.toFixed(0)} ms`);
  });

  it('stops waiting when the caller hangs up', async () => {
    const handler = await hangingApiHandler();
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 200);
    const started = performance.now();
    const response = await handler(new Request('http://localhost/health', { signal: caller.signal }));
    assert.equal(response.status, 503);
    assert.ok(performance.now() - started < 4_000);
  });

  it('refuses a timeout that is not a positive number of milliseconds', () => {
    assert.throws(() => createHealthHandler({ appName: APP, timeoutMs: 0 }), /^RangeError: timeoutMs must be a positive number of milliseconds, not 0\.$/);
  });

  it('answers 503 when the API fails', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'status', status: 500 }, 3);
    const response = await handlerFor(api)(request());
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), { healthy: false, problems: ['GET /connections failed with HTTP 500 (Fake failure with HTTP 500.).'] });
  });

  it('answers 503 without any request when the token is missing from the settings', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const settings = readSettings({ HEROKU_CONNECT_API_ENDPOINT: api.endpoint, HEROKU_APP_NAME: APP });
    const response = await createHealthHandler({ settings })(request());
    assert.equal(response.status, 503);
    assert.match(((await response.json()) as { problems: string[] }).problems[0] ?? '', /HEROKU_AUTH_TOKEN is not set/);
    assert.equal(api.requests.length, 0);
  });
});
