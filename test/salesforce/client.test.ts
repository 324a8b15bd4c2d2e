/**
 * The Salesforce REST client against a server answering in the shapes the
 * REST API Developer Guide documents (token replies, `[{ message, errorCode,
 * fields }]` errors, query pages, sObject Collections results with
 * `statusCode`, `Sforce-Limit-Info`): logins, the token cache and its one
 * renewal, the whitelist, typed errors, redaction.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSalesforceClient, SalesforceApiError, SalesforceObjectNotAllowedError, type SalesforceAuth } from 'hc-drizzle/salesforce';
import { SettingsError } from 'hc-drizzle';
import { json, testServerPerTest, type TestServer } from '../support/http-server.ts';

const SECRET = 'client-secret-4b1d9e77';
const server = testServerPerTest();
const ACCOUNT_ID = '001xx000003DGb2AAG';

/** A documented-shape org: the token endpoint, then `routes` for data calls; tokens it issued are valid until `expire()`. */
async function org(routes: (request: IncomingMessage, response: ServerResponse, body: string) => boolean | void = () => false) {
  const valid = new Set<string>();
  let issued = 0;
  const api: TestServer & { logins: () => number; expire: () => void } = Object.assign(
    await server((request, response, body) => {
      if (request.url === '/services/oauth2/token') {
        const form = new URLSearchParams(body);
        if (form.get('client_secret') !== SECRET && form.get('grant_type') !== 'refresh_token') {
          return json(response, 400, { error: 'invalid_client', error_description: `invalid client credentials for ${form.get('client_secret')}` });
        }
        const token = `00Dxx0000001gPL!token-${++issued}`;
        valid.add(token);
        // instance_url points elsewhere: the client must keep to its configured instance.
        return json(response, 200, { access_token: token, instance_url: 'https://elsewhere.example.com', id: 'https://login/id/00D/005', token_type: 'Bearer', issued_at: '1', signature: 'x' });
      }
      const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!valid.has(token)) return json(response, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      if (routes(request, response, body) === false) json(response, 404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    }),
    { logins: () => issued, expire: () => valid.clear() },
  );
  return api;
}

const clientCredentials = (url: string): SalesforceAuth => ({ kind: 'client-credentials', loginUrl: url, clientId: 'consumer-key', clientSecret: SECRET });
const clientFor = (url: string, auth: SalesforceAuth = clientCredentials(url), extra = {}) =>
  createSalesforceClient({ instanceUrl: url, auth, apiVersion: '60.0', retryDelayMs: 10, ...extra });

const created = (response: ServerResponse) => json(response, 201, { id: ACCOUNT_ID, success: true, errors: [] }, { 'Sforce-Limit-Info': 'api-usage=18/15000' });

describe('logging in', () => {
  it('logs in once with client credentials, then sends the token as a bearer token to the configured instance', async () => {
    const api = await org((request, response) => (request.method === 'POST' && request.url === '/services/data/v60.0/sobjects/Account' ? created(response) : false));
    const sf = clientFor(api.url);
    assert.equal(await sf.create('Account', { Name: 'Acme' }), ACCOUNT_ID);
    assert.equal(await sf.create('Account', { Name: 'Other' }), ACCOUNT_ID);
    assert.equal(api.logins(), 1);
    const login = new URLSearchParams(api.requests[0]!.body);
    assert.deepEqual(Object.fromEntries(login), { grant_type: 'client_credentials', client_id: 'consumer-key', client_secret: SECRET });
    assert.equal(api.requests[0]?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(api.requests[1]?.headers.authorization, 'Bearer 00Dxx0000001gPL!token-1');
    assert.deepEqual(JSON.parse(api.requests[1]!.body), { Name: 'Acme' });
    assert.deepEqual(sf.apiUsage, { used: 18, limit: 15000 });
    assert.equal(sf.requestCount, 2);
  });

  it('sends the password and refresh token flows as OAuth documents them', async () => {
    const api = await org((request, response) => (request.method === 'POST' ? created(response) : false));
    await clientFor(api.url, { kind: 'password', loginUrl: api.url, clientId: 'key', clientSecret: SECRET, username: 'ada@example.com', password: 'pw+token' }).create('Account', {});
    await clientFor(api.url, { kind: 'refresh-token', loginUrl: api.url, clientId: 'key', refreshToken: '5Aep861-refresh' }).create('Account', {});
    const logins = api.requests.filter((request) => request.path === '/services/oauth2/token').map((request) => Object.fromEntries(new URLSearchParams(request.body)));
    assert.deepEqual(logins, [
      { grant_type: 'password', client_id: 'key', client_secret: SECRET, username: 'ada@example.com', password: 'pw+token' },
      { grant_type: 'refresh_token', client_id: 'key', refresh_token: '5Aep861-refresh' },
    ]);
  });

  it('renews the token once when a call answers 401, and sends the call again', async () => {
    const api = await org((request, response) => (request.method === 'PATCH' ? (json(response, 204, undefined), true) : false));
    const sf = clientFor(api.url);
    await sf.update('Account', ACCOUNT_ID, { Name: 'A' });
    api.expire();
    await Promise.all([sf.update('Account', ACCOUNT_ID, { Name: 'B' }), sf.update('Account', ACCOUNT_ID, { Name: 'C' })]);
    assert.equal(api.logins(), 2, 'the two calls that saw the 401 shared one login');
    assert.equal(api.requests.filter((request) => request.method === 'PATCH').length, 5);
  });

  it('stops after one renewal when the new token is refused too', async () => {
    const api = await org((_request, response) => json(response, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
    await assert.rejects(clientFor(api.url).update('Account', ACCOUNT_ID, {}), (error: unknown) => {
      assert.ok(error instanceof SalesforceApiError);
      assert.equal(error.status, 401);
      assert.equal(error.errorCode, 'INVALID_SESSION_ID');
      assert.match(error.message, /refused even after logging in again/);
      return true;
    });
    assert.equal(api.logins(), 2);
  });

  it('does not renew a given access token: a 401 is final and says so', async () => {
    const api = await org();
    const sf = clientFor(api.url, { kind: 'access-token', accessToken: '00Dxx!given-token-value' });
    await assert.rejects(sf.create('Account', {}), (error: unknown) => {
      assert.ok(error instanceof SalesforceApiError && error.status === 401);
      assert.match(error.message, /the access token was refused; give a fresh one/);
      assert.ok(!error.message.includes('given-token-value'));
      return true;
    });
    assert.equal(api.logins(), 0);
    assert.equal(api.requests.length, 1);
  });

  it("reports a refused login with OAuth's error code, the secret redacted even when echoed", async () => {
    const api = await org();
    const sf = clientFor(api.url, { kind: 'client-credentials', loginUrl: api.url, clientId: 'key', clientSecret: 'wrong-secret-0d1e' });
    await assert.rejects(sf.create('Account', {}), (error: unknown) => {
      assert.ok(error instanceof SalesforceApiError);
      assert.equal(error.failure, 'auth');
      assert.equal(error.code, 'HC_SALESFORCE_AUTH');
      assert.equal(error.errorCode, 'invalid_client');
      assert.equal(error.message, 'Logging in to Salesforce failed with HTTP 400 (invalid_client: invalid client credentials for [redacted]): check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET, and SALESFORCE_LOGIN_URL.');
      return true;
    });
    // A failed login is not cached: the next call tries again.
    await assert.rejects(sf.create('Account', {}));
    assert.equal(api.requests.length, 2);
  });
});

describe('deadlines', () => {
  it("bounds a call by its signal, even while the shared login hangs", async () => {
    const api = await server(() => undefined);
    const sf = clientFor(api.url);
    const started = Date.now();
    await assert.rejects(sf.create('Account', {}, { signal: AbortSignal.timeout(300) }), (error: unknown) => {
      assert.ok(error instanceof SalesforceApiError);
      assert.equal(error.failure, 'deadline');
      assert.match(error.message, /^POST \/sobjects\/Account stopped while logging in: its deadline passed/);
      return true;
    });
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });
});

describe('settings checked before any request', () => {
  it('refuses objects outside the whitelist, and names that are not API names', async () => {
    const api = await org();
    const sf = clientFor(api.url, clientCredentials(api.url), { sobjects: ['Account', 'contact'] });
    await assert.rejects(sf.create('Opportunity', {}), (error: unknown) => error instanceof SalesforceObjectNotAllowedError && error.exitCode === 2);
    await assert.rejects(sf.describe('Account/../Opportunity'), /is not a Salesforce object name/);
    await assert.rejects(sf.update('Contact', "001' OR Id != '", {}), /is not a Salesforce record Id/);
    assert.equal(api.requests.length, 0);
  });

  it('refuses a malformed API version and URLs with credentials', () => {
    assert.throws(() => createSalesforceClient({ instanceUrl: 'https://acme.my.salesforce.com', auth: { kind: 'access-token', accessToken: 'x' }, apiVersion: 'v60' }), SettingsError);
    assert.throws(
      () => createSalesforceClient({ instanceUrl: 'https://user:pw@acme.my.salesforce.com', auth: { kind: 'access-token', accessToken: 'x' } }),
      (error: unknown) => error instanceof SettingsError && error.variable === 'SALESFORCE_INSTANCE_URL' && !error.message.includes('pw@'),
    );
  });
});

describe('replies', () => {
  it("carries Salesforce's errorCode and fields in a typed error", async () => {
    const api = await org((_request, response) =>
      json(response, 400, [{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }]),
    );
    await assert.rejects(clientFor(api.url).create('Contact', { FirstName: 'Ada' }), (error: unknown) => {
      assert.ok(error instanceof SalesforceApiError);
      assert.equal(error.errorCode, 'REQUIRED_FIELD_MISSING');
      assert.deepEqual(error.fields, ['LastName']);
      assert.equal(error.status, 400);
      assert.equal(error.endpoint, 'POST /sobjects/Contact');
      assert.equal(error.message, 'POST /sobjects/Contact failed with HTTP 400 (REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (LastName)).');
      return true;
    });
  });

  it('follows nextRecordsUrl through every page of a query', async () => {
    const record = (n: number) => ({ attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/001xx00000000${String(n).padStart(2, '0')}AAA` }, Id: `001xx00000000${String(n).padStart(2, '0')}AAA`, Name: `A${n}` });
    const api = await org((request, response) => {
      if (request.url?.startsWith('/services/data/v60.0/query?q=')) {
        assert.equal(new URL(request.url, 'http://x').searchParams.get('q'), 'SELECT Id, Name FROM Account');
        return json(response, 200, { totalSize: 3, done: false, nextRecordsUrl: '/services/data/v60.0/query/01gxx-2', records: [record(1), record(2)] });
      }
      if (request.url === '/services/data/v60.0/query/01gxx-2') return json(response, 200, { totalSize: 3, done: true, records: [record(3)] });
      return false;
    });
    const names: string[] = [];
    for await (const page of clientFor(api.url).query('SELECT Id, Name FROM Account')) {
      assert.equal(page.totalSize, 3);
      names.push(...page.records.map((entry) => String(entry['Name'])));
    }
    assert.deepEqual(names, ['A1', 'A2', 'A3']);
  });

  it('reads sObject Collections results in order, per record, with statusCode errors', async () => {
    const api = await org((request, response, body) => {
      if (request.url !== '/services/data/v60.0/composite/sobjects') return false;
      const { allOrNone, records } = JSON.parse(body) as { allOrNone: boolean; records: { attributes: { type: string } }[] };
      assert.equal(allOrNone, false);
      assert.ok(records.every((entry) => entry.attributes.type === 'Contact'));
      return json(
        response,
        200,
        records.map((_, index) =>
          index === 1
            ? { success: false, errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'duplicate value found', fields: ['Email'] }] }
            : { id: `003xx00000${String(index).padStart(5, '0')}AAA`, success: true, errors: [] },
        ),
      );
    });
    const sf = clientFor(api.url);
    const outcomes = await sf.createMany('Contact', Array.from({ length: 450 }, (_, index) => ({ LastName: `L${index}` })));
    assert.equal(outcomes.length, 450);
    assert.equal(api.requests.filter((request) => request.path === '/services/data/v60.0/composite/sobjects').map((request) => (JSON.parse(request.body) as { records: unknown[] }).records.length).join(','), '200,200,50');
    const refused = outcomes.flatMap((outcome, index) => (outcome.ok ? [] : [{ index, outcome }]));
    assert.deepEqual(refused.map(({ index }) => index), [1, 201, 401]);
    const outcome = refused[0]?.outcome;
    assert.ok(outcome !== undefined && !outcome.ok);
    assert.equal(outcome.error.errorCode, 'DUPLICATE_VALUE');
    assert.deepEqual(outcome.error.fields, ['Email']);
    assert.equal(outcome.error.failure, 'record');
  });

  it('sends /updated and /deleted windows as Salesforce reads them, and reads their replies', async () => {
    const api = await org((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.pathname === '/services/data/v60.0/sobjects/Account/updated') {
        assert.deepEqual(Object.fromEntries(url.searchParams), { start: '2024-05-01T10:00:00+00:00', end: '2024-05-02T10:30:00+00:00' });
        return json(response, 200, { ids: [ACCOUNT_ID], latestDateCovered: '2024-05-02T10:30:00.000+0000' });
      }
      if (url.pathname === '/services/data/v60.0/sobjects/Account/deleted') {
        return json(response, 200, { deletedRecords: [{ id: '001xx000003DGb3AAG', deletedDate: '2024-05-01T11:00:00.000+0000' }], earliestDateAvailable: '2024-04-01T00:00:00.000+0000', latestDateCovered: '2024-05-02T10:30:00.000+0000' });
      }
      return false;
    });
    const sf = clientFor(api.url);
    const window = { start: new Date('2024-05-01T10:00:00.999Z'), end: new Date('2024-05-02T10:30:00Z') };
    assert.deepEqual(await sf.updated('Account', window), { ids: [ACCOUNT_ID], latestDateCovered: '2024-05-02T10:30:00.000+0000' });
    assert.equal((await sf.deleted('Account', window)).deletedRecords[0]?.id, '001xx000003DGb3AAG');
    await assert.rejects(sf.updated('Account', { start: window.end, end: window.start }), /must end after it starts/);
  });

  it('redacts the access token when a reply echoes it', async () => {
    const api = await org((request, response) =>
      json(response, 400, [{ message: `bad session ${(request.headers.authorization ?? '').slice(7)}`, errorCode: 'INVALID_FIELD', fields: [] }]),
    );
    await assert.rejects(clientFor(api.url).create('Account', {}), (error: unknown) => {
      assert.ok(error instanceof SalesforceApiError);
      assert.ok(!error.message.includes('token-1') && !JSON.stringify(error.errors).includes('token-1'), error.message);
      assert.match(error.message, /bad session \[redacted\]/);
      return true;
    });
  });
});
