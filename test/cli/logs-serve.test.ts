/** `hc-drizzle logs --serve`, run as a process on an embedded PGlite folder. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevelopmentSchema } from 'hc-drizzle/dev';
import { openDatabase } from 'hc-drizzle/node';
import { schema, seedLogs } from '../admin/fixtures.ts';
import { formFields } from '../admin/client.ts';
import { BIN, runCli } from '../support/cli.ts';

/** A GET or POST with headers fetch would not let us set (Host). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const call = request(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    call.on('error', reject);
    call.end(options.body);
  });
}

describe('hc-drizzle logs --serve', () => {
  let cwd: string;
  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'hc-logs-serve-'));
    const database = await openDatabase({ pgliteDir: join(cwd, '.hc-drizzle/pglite') });
    try {
      await createDevelopmentSchema(database, schema);
      await seedLogs(database.db);
    } finally {
      await database.close();
    }
  });
  after(() => rm(cwd, { recursive: true, force: true }));

  it('serves the admin page on 127.0.0.1, prints its URL, refuses other host names, logs actions, and stops on Ctrl+C', async () => {
    const env = { ...process.env };
    delete env['DATABASE_URL'];
    delete env['HEROKU_AUTH_TOKEN'];
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, 'logs', '--serve', '--failed', '--write-algorithm', 'merged'], { cwd, env });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          const match = /^Trigger-log admin: (http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(stdout);
          if (match !== null) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`exited ${code} before serving: ${stderr}`)));
      });
      assert.match(url, /\/\?state=FAILED$/);
      const page = await send(url);
      assert.equal(page.status, 200);
      assert.match(page.body, /<caption>Logs 1–5 of 5, newest first<\/caption>/);
      // A page elsewhere pointing its own host name at 127.0.0.1 (DNS rebinding) gets nothing.
      const rebound = await send(url, { headers: { host: 'evil.example' } });
      assert.equal(rebound.status, 403);
      assert.doesNotMatch(rebound.body, /FAILED/);

      const origin = new URL(url).origin;
      const confirm = await send(`${origin}/confirm?do=ignore&log=live-7`);
      const cookie = String(confirm.headers['set-cookie']).split(';')[0]!;
      const body = new URLSearchParams(formFields(confirm.body, '/actions')).toString();
      const done = await send(`${origin}/actions`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      assert.equal(done.status, 303);
      assert.match(stderr, /hc-drizzle: someone ignored 1 log \(1 live, 0 archived; 1 confirmed\): logs live-7\./);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
  });

  it('refuses flags that do not go with --serve, in one line', async () => {
    const json = await runCli(['logs', '--serve', '--json'], { cwd, env: { DATABASE_URL: undefined } });
    assert.equal(json.code, 2);
    assert.equal(json.stderr, 'hc-drizzle: --json does not apply to --serve: the page filters by state, table and time.\n');
    const port = await runCli(['logs', '--port', '4000'], { cwd, env: { DATABASE_URL: undefined } });
    assert.equal(port.code, 2);
    assert.equal(port.stderr, 'hc-drizzle: --port only applies with --serve.\n');
    const bad = await runCli(['logs', '--serve', '--port', '99999'], { cwd, env: { DATABASE_URL: undefined } });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, "hc-drizzle: Invalid value for --port: expected to be in the [0; 65535] range (got 99999). Run 'hc-drizzle --help' for usage.\n");
    // The same port rule (typanion, src/cli/flag-validators.ts) as `emulate --port`.
    for (const args of [['logs', '--serve', '--port', 'eighty'], ['emulate', '--port', '99999']]) {
      const refused = await runCli(args, { cwd, env: { DATABASE_URL: undefined } });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /^hc-drizzle: Invalid value for --port: [^\n]+\n$/);
    }
  });
});
