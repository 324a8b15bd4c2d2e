/**
 * Nothing secret or hostile reaches a person: a token echoed in reply data,
 * credentials in the endpoint, huge replies, terminal escapes, and deadlines
 * and flags that bound every wait. Through the real CLI and the health handler.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnectClient } from '../../src/connect/client.ts';
import { createHealthHandler } from '../../src/connect/health.ts';
import { SettingsError } from '../../src/errors.ts';
import { readSettings } from '../../src/settings/settings.ts';
import { json, testServerPerTest } from '../support/http-server.ts';
import { FIXTURE_SCHEMA, TOKEN, apiEnv, fakeApiPerTest, runWithApi } from './support.ts';

const APP = 'my-app';
const fake = fakeApiPerTest();
const server = testServerPerTest();
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** The CLI's main in this process: these tests make many small runs (one runs the executable). */
const run = (args: readonly string[], env: Readonly<Record<string, string | undefined>>) => runWithApi(args, env, { inProcess: true });

describe('a token echoed in reply data is never shown', () => {
  const echoing = () => fake({ id: 'c-1', app: APP, name: `main ${TOKEN}`, state: `SYSTEM_ERROR ${TOKEN}` });

  it('by health, its --json and --verbose', async () => {
    const api = await echoing();
    for (const extra of [[], ['--json'], ['--verbose']]) {
      const result = await (extra.length === 0 ? runWithApi : run)(['health', '--app', APP, ...extra], apiEnv(api));
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /\[redacted\]/);
    }
  });

  it('by import-mappings while it waits', async () => {
    const api = await fake({ id: 'c-1', app: APP, name: `main ${TOKEN}`, importPolls: 1, importEndsIn: `BAD ${TOKEN}` });
    const result = await run(['import-mappings', '--schema', FIXTURE_SCHEMA, '--app', APP, '--wait', '--wait-interval', '0.05', '--verbose'], apiEnv(api));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /unhealthy state BAD \[redacted\]/);
  });

  it("by the health handler's public body, healthy or not", async () => {
    const api = await echoing();
    const client = createConnectClient({ token: api.token, endpoint: api.endpoint, retryDelayMs: 10 });
    const handler = createHealthHandler({ client, appName: APP });
    const unhealthy = await (await handler(new Request('http://localhost/health'))).text();
    assert.ok(!unhealthy.includes(TOKEN) && unhealthy.includes('[redacted]'), unhealthy);
    api.setState('c-1', 'IDLE');
    const healthy = await handler(new Request('http://localhost/health'));
    assert.equal(healthy.status, 200);
    assert.ok(!(await healthy.text()).includes(TOKEN));
  });

  it("by the handler's 503 body when the API's error message echoes it", async () => {
    const api = await echoing();
    api.fail('list', { kind: 'status', status: 400, body: { message: `token ${TOKEN} rejected` } });
    const client = createConnectClient({ token: api.token, endpoint: api.endpoint });
    const response = await createHealthHandler({ client, appName: APP })(new Request('http://localhost/health'));
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), { healthy: false, problems: ['GET /connections failed with HTTP 400 (token [redacted] rejected).'] });
  });
});

describe('a token the HTTP stack cannot send', () => {
  it('is refused as a setting, without printing it', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const result = await run(['health', '--app', APP, '--verbose'], apiEnv(api, { HEROKU_AUTH_TOKEN: `${TOKEN}\u0001` }));
    assert.equal(result.code, 2);
    assert.equal(result.stderr.split('\n')[0], 'hc-drizzle: HEROKU_AUTH_TOKEN is invalid: the value must be printable ASCII without spaces (it goes in a header).');
    assert.equal(api.requests.length, 0);
  });

  it("is redacted from the error and from every cause the HTTP stack gave, whose stack --verbose prints", async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const client = createConnectClient({ token: `${TOKEN}\nX-Injected: 1`, endpoint: api.endpoint, retries: 0 });
    await assert.rejects(client.listConnections(APP), (error: unknown) => {
      const texts: string[] = [];
      for (let current: unknown = error; current instanceof Error; current = current.cause) texts.push(current.message, current.stack ?? '');
      assert.ok(texts.length >= 4, 'the error has a cause');
      assert.ok(texts.every((text) => !text.includes('7f3a9c')), texts.join('\n'));
      return true;
    });
  });
});

describe('HEROKU_CONNECT_API_ENDPOINT with credentials', () => {
  it('is refused before any request, without printing them', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    const withCredentials = api.endpoint.replace('http://', `http://user:${encodeURIComponent(TOKEN)}@`);
    const result = await run(['health', '--app', APP, '--verbose'], apiEnv(api, { HEROKU_CONNECT_API_ENDPOINT: withCredentials }));
    assert.equal(result.code, 2);
    assert.equal(api.requests.length, 0);
    assert.match(result.stderr, /^hc-drizzle: HEROKU_CONNECT_API_ENDPOINT is invalid: "http:\/\/\*\*\*@127\.0\.0\.1:\d+\/api\/v3" must not carry credentials/);
  });

  it('is refused by the library client too', () => {
    assert.throws(
      () => createConnectClient({ token: 't0ken-value', endpoint: 'https://user:pass@connect-eu.heroku.com/api/v3' }),
      (error: unknown) => error instanceof SettingsError && error.variable === 'HEROKU_CONNECT_API_ENDPOINT' && !error.message.includes('pass@'),
    );
    assert.throws(() => readSettings({ HEROKU_CONNECT_API_ENDPOINT: 'https://connect-eu.heroku.com/api/v3?token=x' }), /query or fragment/);
  });
});

describe('replies', () => {
  it('stops reading a reply larger than 16 MB', async () => {
    const api = await server((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, ' ');
      let sent = 0;
      const pump = () => {
        while (sent < 300 && response.write(chunk)) sent++;
        if (sent < 300) response.once('drain', pump);
        else response.end('{}');
      };
      response.on('close', () => response.removeAllListeners('drain'));
      pump();
    });
    const result = await run(['health', '--app', APP], apiEnv({ endpoint: `${api.url}/api/v3`, token: TOKEN }));
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'hc-drizzle: GET /connections replied with more than 16 MB (HTTP 200): not read.\n');
  });

  it('shows terminal escapes from the API as visible text, on stdout and stderr', async () => {
    const hostile = '\u001b]0;pwned\u0007\u001b[31mred\u001b[0m\u009b2J';
    const api = await server((request, response) => {
      if (request.url?.startsWith('/api/v3/connections?')) json(response, 200, { results: [{ id: 'c-1', name: hostile, state: `PAUSED${hostile}` }] });
      else json(response, 404, {});
    });
    const env = apiEnv({ endpoint: `${api.url}/api/v3`, token: TOKEN });
    const result = await run(['health', '--app', APP], env);
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.stdout + result.stderr, CONTROLS);
    assert.match(result.stdout, /\\u001b\[31mred/);

    const failing = await server((_request, response) => json(response, 400, { message: `bad ${hostile}` }));
    const failed = await run(['health', '--app', APP], apiEnv({ endpoint: `${failing.url}/api/v3`, token: TOKEN }));
    assert.equal(failed.code, 1);
    assert.doesNotMatch(failed.stderr, CONTROLS);
    assert.match(failed.stderr, /\(bad \\u001b\]0;pwned\\u0007/);
  });
});

describe('connection and mapping ids', () => {
  it('accepts numeric ids, as older and recorded replies carry them, and uses them as opaque values', async () => {
    const api = await fake({ id: '1234', app: APP, name: 'main', importPolls: 0 });
    api.fail('list', { kind: 'reply', body: { count: 1, results: [{ id: 1234, _id: 7, name: 'main', state: 'IDLE', mappings: [{ id: 55, object_name: 'Account', state: 'DATA_SYNCED' }] }] } });
    const result = await run(['import-mappings', '--schema', FIXTURE_SCHEMA, '--app', APP, '--wait', '--wait-interval', '0.05'], apiEnv(api));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(api.imports.map((entry) => entry.connectionId), ['1234']);
    assert.equal(result.stdout.trim(), 'Connection main (1234): IDLE');

    api.fail('list', { kind: 'reply', body: { results: [{ id: 0, state: 'IDLE' }] } });
    const health = await run(['health', '--app', APP, '--json'], apiEnv(api));
    assert.equal(health.code, 0, health.stderr);
    assert.equal(JSON.parse(health.stdout).connections[0].id, '0');
  });

  for (const [what, id, problem] of [
    ['empty', '', /results\.0\.id: must be a string or a whole number/],
    ['path-like', '..', /results\.0\.id: must be a string or a whole number/],
    ['spaced', 'c 1', /results\.0\.id: must be a string or a whole number/],
    ['fractional', 12.5, /results\.0\.id: must be a string or a whole number/],
    ['negative', -1, /results\.0\.id: must be a string or a whole number/],
    ['boolean', true, /results\.0\.id: must be a string or a whole number/],
    ['missing', undefined, /results\.0\.id: Invalid key: Expected "id"/],
  ] as const) {
    it(`still fails closed on a ${what} id`, async () => {
      const api = await fake({ id: 'c-1', app: APP });
      api.fail('list', { kind: 'reply', body: { results: [{ id, state: 'IDLE' }] } });
      const result = await run(['health', '--app', APP], apiEnv(api));
      assert.equal(result.code, 1);
      assert.match(result.stderr, problem);
    });
  }

  for (const id of ['..', '.', '', 'c 1', 'c\n1']) {
    it(`refuses the connection id ${JSON.stringify(id)}, which would address another endpoint, before any request`, async () => {
      const api = await fake({ id: 'c-1', app: APP });
      const result = await run(['import-mappings', '--schema', FIXTURE_SCHEMA, '--connection', id], apiEnv(api));
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^hc-drizzle: Invalid value for --connection: expected a Heroku Connect connection id/);
      const client = createConnectClient({ token: api.token, endpoint: api.endpoint });
      await assert.rejects(client.importMapping(id, {}), /A Heroku Connect connection id is opaque text/);
      await assert.rejects(client.getConnection(id), /A Heroku Connect connection id is opaque text/);
      assert.equal(api.requests.length, 0);
    });
  }

  it('fails closed on a malformed mapping id', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('get', { kind: 'reply', body: { id: 'c-1', state: 'IDLE', mappings: [{ id: { nested: 1 }, object_name: 'Account', state: 'DATA_SYNCED' }] } });
    const client = createConnectClient({ token: api.token, endpoint: api.endpoint });
    await assert.rejects(client.getConnection('c-1', { deep: true }), /mappings\.0\.id: must be a string or a whole number/);
  });
});

describe('flags that bound waits and name apps', () => {
  it('--timeout bounds the whole wait, even when every poll hangs', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('get', { kind: 'hang' }, 100);
    const started = Date.now();
    const result = await run(
      ['import-mappings', '--schema', FIXTURE_SCHEMA, '--app', APP, '--wait', '--wait-interval', '0.1', '--timeout', '1', '--request-timeout', '20'],
      apiEnv(api),
    );
    const elapsed = Date.now() - started;
    assert.equal(result.code, 1);
    assert.ok(elapsed < 8000, `took ${elapsed} ms`);
    assert.match(result.stderr, /Gave up after 1 s: connection .*\(c-1\) has not answered a poll/);
  });

  for (const [route, doing] of [
    ['list', /Gave up after 1 s \(--timeout\) looking for the connection of my-app\./],
    ['import', /Gave up after 1 s \(--timeout\) uploading the mapping to connection .*\(c-1\)\./],
  ] as const) {
    it(`--timeout also bounds the requests before the wait: a hanging ${route} request gives up at the deadline, not after its retries`, async () => {
      const api = await fake({ id: 'c-1', app: APP });
      api.fail(route, { kind: 'hang' }, 100);
      // Each attempt could last 20 s and be tried three times: only the command's deadline ends it in time.
      for (const wait of [['--wait'], []]) {
        const result = await run(
          ['import-mappings', '--schema', FIXTURE_SCHEMA, '--app', APP, ...wait, '--timeout', '1', '--request-timeout', '20'],
          apiEnv(api),
        );
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, doing);
        assert.doesNotMatch(result.stderr, /timed out after 20 s/);
      }
    });
  }

  it('health --timeout bounds the check, retries included', async () => {
    const api = await fake({ id: 'c-1', app: APP });
    api.fail('list', { kind: 'hang' }, 100);
    for (const extra of [[], ['--json']]) {
      const result = await run(['health', '--app', APP, '--timeout', '1', '--request-timeout', '20', ...extra], apiEnv(api));
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stderr, 'hc-drizzle: Gave up after 1 s (--timeout): GET /connections had not answered.\n');
    }
    const zero = await run(['health', '--app', APP, '--timeout', '0'], apiEnv(api));
    assert.equal(zero.code, 2);
  });

  for (const flags of [['--request-timeout', '0'], ['--timeout', '0'], ['--wait-interval', '0'], ['--request-timeout=-1'], ['--timeout', '3000000']]) {
    it(`refuses ${flags.join(' ')} with exit 2 before any request`, async () => {
      const api = await fake({ id: 'c-1', app: APP });
      const result = await run(['import-mappings', '--schema', FIXTURE_SCHEMA, '--app', APP, '--wait', ...flags], apiEnv(api));
      assert.equal(result.code, 2);
      assert.equal(api.requests.length, 0);
      assert.match(result.stderr, new RegExp(`^hc-drizzle: Invalid value for ${flags[0]?.split('=')[0]}: expected a number of seconds greater than 0`));
    });
  }

  for (const app of ['My App', '../connections', 'x?deep=true', '-rf']) {
    it(`refuses --app ${JSON.stringify(app)} with exit 2 before any request`, async () => {
      const api = await fake({ id: 'c-1', app: APP });
      const health = await run(['health', `--app=${app}`], apiEnv(api));
      const load = await run(['load-remote-schema', `--app=${app}`], apiEnv(api));
      for (const result of [health, load]) {
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, /^hc-drizzle: Invalid value for --app: expected a Heroku app name/);
      }
      assert.equal(api.requests.length, 0);
    });
  }
});
