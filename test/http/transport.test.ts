/** The one HTTP transport, against real servers on 127.0.0.1: retries, deadlines, body caps, redaction, terminal escapes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { createTransport, type ApiFailure, type TransportOptions } from '../../src/http/transport.ts';
import { json, testServerPerTest } from '../support/http-server.ts';

const SECRET = 'sf-secret-Tok/en+9f81d3a7c2e4b6';

class TestApiError extends Error {
  constructor(readonly failure: ApiFailure, message: string, readonly status: number | undefined) {
    super(message);
  }
}

const server = testServerPerTest();
const transportFor = (options: Partial<TransportOptions> = {}) =>
  createTransport({
    service: 'Test API',
    retryDelayMs: 20,
    timeoutMs: 2000,
    secrets: [SECRET],
    error: (failure, message, details) => new TestApiError(failure, message, details.status),
    ...options,
  });
const failure = (expected: ApiFailure) => (error: unknown) => {
  assert.ok(error instanceof TestApiError, String(error));
  assert.equal(error.failure, expected);
  return true;
};

describe('retries', () => {
  it('retries a GET after a 503 and returns the answer that finally came', async () => {
    let calls = 0;
    const api = await server((_request, response) => (++calls < 3 ? json(response, 503, {}) : json(response, 200, { ok: true })));
    const reply = await transportFor().send({ method: 'GET', base: api.url, path: '/x' });
    assert.equal(reply.status, 200);
    assert.equal(api.requests.length, 3);
  });

  it('sends a POST or a PATCH once, whatever the status', async () => {
    const api = await server((_request, response) => json(response, 503, {}));
    const transport = transportFor();
    assert.equal((await transport.send({ method: 'POST', base: api.url, path: '/x', json: {} })).status, 503);
    assert.equal((await transport.send({ method: 'PATCH', base: api.url, path: '/x', json: {} })).status, 503);
    assert.equal(api.requests.length, 2);
  });

  it('retries a POST the caller marks idempotent, and a 429, honouring Retry-After', async () => {
    let calls = 0;
    const api = await server((_request, response) => (++calls === 1 ? json(response, 429, {}, { 'Retry-After': '0.2' }) : json(response, 200, {})));
    const started = Date.now();
    const reply = await transportFor().send({ method: 'POST', base: api.url, path: '/token', form: { grant_type: 'x' }, idempotent: true });
    assert.equal(reply.status, 200);
    assert.equal(api.requests.length, 2);
    assert.ok(Date.now() - started >= 190, 'waited for Retry-After');
    assert.equal(api.requests[0]?.headers['content-type'], 'application/x-www-form-urlencoded');
  });

  it('never retries a 4xx', async () => {
    const api = await server((_request, response) => json(response, 404, {}));
    assert.equal((await transportFor().send({ method: 'GET', base: api.url, path: '/x' })).status, 404);
    assert.equal(api.requests.length, 1);
  });
});

describe('deadlines', () => {
  it('times out one attempt and retries it a bounded number of times', async () => {
    const api = await server(() => undefined);
    await assert.rejects(transportFor({ timeoutMs: 150, retries: 1 }).send({ method: 'GET', base: api.url, path: '/hang' }), (error: unknown) => {
      failure('timeout')(error);
      assert.equal((error as Error).message, `GET /hang timed out after 0.15 s (Test API at ${api.url}).`);
      return true;
    });
    assert.equal(api.requests.length, 2);
  });

  it("bounds attempts, retries and backoff together by the caller's deadline", async () => {
    const api = await server(() => undefined);
    const transport = transportFor({ timeoutMs: 300, retries: 10, retryDelayMs: 400 });
    const started = Date.now();
    await assert.rejects(transport.send({ method: 'GET', base: api.url, path: '/hang', signal: AbortSignal.timeout(700) }), (error: unknown) => {
      failure('deadline')(error);
      assert.match((error as Error).message, /^GET \/hang stopped: its deadline passed \(Test API at http:\/\/127\.0\.0\.1:\d+\)\.$/);
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 650 && elapsed < 1200, `stopped after ${elapsed} ms`);
    assert.ok(api.requests.length <= 2);
  });

  it('says a cancelled call was cancelled', async () => {
    const api = await server(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(transportFor().send({ method: 'GET', base: api.url, path: '/hang', signal: controller.signal }), (error: unknown) => {
      failure('deadline')(error);
      assert.match((error as Error).message, /stopped: it was cancelled/);
      return true;
    });
  });
});

describe('reply bodies', () => {
  it('stops reading a body past the cap, without holding it', async () => {
    let written = 0;
    const api = await server((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (written < 64 * 1024 * 1024 && response.write(chunk)) written += chunk.length;
        if (written < 64 * 1024 * 1024) response.once('drain', pump);
        else response.end();
      };
      response.on('close', () => response.removeAllListeners('drain'));
      pump();
    });
    await assert.rejects(transportFor({ maxBodyBytes: 1024 * 1024 }).send({ method: 'GET', base: api.url, path: '/huge' }), (error: unknown) => {
      failure('too-large')(error);
      assert.equal((error as Error).message, 'GET /huge replied with more than 1 MB (HTTP 200): not read.');
      return true;
    });
    assert.ok(written < 16 * 1024 * 1024, `the server got to write ${written} bytes`);
  });

  it('refuses a declared length past the cap before reading', async () => {
    const api = await server((_request, response) => {
      response.writeHead(200, { 'Content-Length': String(2 * 1024 * 1024) });
      response.write('x');
    });
    await assert.rejects(transportFor({ maxBodyBytes: 1024 * 1024 }).send({ method: 'GET', base: api.url, path: '/declared' }), failure('too-large'));
  });
});

describe('secrets and terminal escapes', () => {
  const Reply = v.object({ name: v.string(), nested: v.array(v.object({ state: v.string() })) });

  it('redacts a secret from every string of a parsed reply', async () => {
    const api = await server((_request, response) => json(response, 200, { name: `conn ${SECRET}`, nested: [{ state: SECRET }] }));
    const transport = transportFor();
    const request = { method: 'GET', base: api.url, path: '/conn' } as const;
    const parsed = transport.parse(request, await transport.send(request), Reply);
    assert.deepEqual(parsed, { name: 'conn [redacted]', nested: [{ state: '[redacted]' }] });
  });

  it('redacts a secret echoed URL-encoded, form-encoded or JSON-escaped, and one added later', async () => {
    const later = 'access-token-added-later-00000';
    const transport = transportFor();
    transport.addSecret(later);
    const text = [SECRET, encodeURIComponent(SECRET), new URLSearchParams({ s: SECRET }).toString(), JSON.stringify(SECRET).replaceAll('/', '\\/'), later].join(' ');
    const redacted = transport.redactor.redact(text);
    assert.ok(!redacted.includes('9f81d3a7') && !redacted.includes('added-later'), redacted);
  });

  it('redacts before cutting, so a secret straddling the cut shows no part of itself', async () => {
    let body = '';
    const api = await server((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end(body);
    });
    const transport = transportFor();
    const request = { method: 'GET', base: api.url, path: '/text' } as const;
    for (let offset = 90; offset < 125; offset++) {
      body = `${'x'.repeat(offset)}${SECRET} and more text after it to pass the cut`;
      const reply = await transport.send(request);
      assert.throws(
        () => transport.parse(request, reply, Reply),
        (error: unknown) => {
          failure('invalid-json')(error);
          const message = (error as Error).message;
          for (let length = 6; length <= SECRET.length; length++) {
            assert.ok(!message.includes(SECRET.slice(0, length)), `offset ${offset}: ${message}`);
          }
          return true;
        },
      );
    }
  });

  it('shows terminal control characters from a reply as escapes', async () => {
    const api = await server((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('\u001b]0;owned\u0007\u001b[2J\u009b31m not json');
    });
    const transport = transportFor();
    const request = { method: 'GET', base: api.url, path: '/escapes' } as const;
    const reply = await transport.send(request);
    assert.throws(
      () => transport.parse(request, reply, Reply),
      (error: unknown) => {
        const message = (error as Error).message;
        assert.doesNotMatch(message, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        assert.match(message, /\\u001b\]0;owned\\u0007\\u001b\[2J\\u009b31m not json/);
        return true;
      },
    );
  });

  it('logs each request and reply with the authorization hidden', async () => {
    const api = await server((_request, response) => json(response, 200, {}));
    const lines: string[] = [];
    await transportFor({ log: (line) => lines.push(line) }).send({
      method: 'GET',
      base: api.url,
      path: `/x?echo=${encodeURIComponent(SECRET)}`,
      headers: { Authorization: `Bearer ${SECRET}` },
    });
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^GET http:\/\/127\.0\.0\.1:\d+\/x\?echo=\[redacted\] \(Authorization: Bearer \[redacted\]\)$/);
    assert.match(lines[1] ?? '', /^GET \/x answered HTTP 200 in \d+ ms$/);
    assert.equal(api.requests[0]?.headers.authorization, `Bearer ${SECRET}`);
  });
});
