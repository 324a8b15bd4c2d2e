/** `hc-drizzle emulate`, run as a process until interrupted. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import type { OpenDatabase } from '../../src/node/database.ts';
import { BIN, runCli } from '../support/cli.ts';
import { urlOf } from '../support/databases.ts';

const core = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const serverUrl = process.env['DATABASE_URL'] || undefined;

describe('hc-drizzle emulate', () => {
  let cwd: string;
  let database: OpenDatabase | undefined;
  let url: string;
  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'hc-emulate-'));
    await writeFile(
      join(cwd, 'salesforce.ts'),
      `import { hcTable, sfText, READ_WRITE } from ${JSON.stringify(core)};
export const account = hcTable('Account', { name: sfText('Name') }, { access: READ_WRITE });
`,
    );
    await writeFile(join(cwd, 'org.json'), JSON.stringify({ objects: { Account: { records: [{ Name: 'From the fixtures' }] } } }));
    if (serverUrl === undefined) {
      url = `pglite:${join(cwd, 'pglite')}`;
    } else {
      // A database of its own on the test server, shared with the emulator process.
      database = await createTestDatabase({ url: serverUrl });
      url = await urlOf(database, serverUrl);
    }
  });
  after(async () => {
    await database?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('refuses a bad port in one line, exit 2', async () => {
    const result = await runCli(['emulate', '--port', 'eighty', '--schema', 'salesforce.ts'], { cwd, env: { DATABASE_URL: undefined } });
    assert.equal(result.code, 2);
    assert.equal(result.stderr.split('\n').filter(Boolean).length, 1);
  });

  it('serves both APIs and prints their URLs, syncs as writes come, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'emulate', '--url', url, '--schema', 'salesforce.ts', '--org', 'org.json', '--interval', '3600'], {
      cwd,
      env: { ...process.env, DATABASE_URL: undefined },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = once(child, 'exit');
    const stderrLine = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stderr)) resolve();
        };
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          check();
        });
        void exited.then(() => reject(new Error(`the emulator exited: ${stderr}`)));
        check();
      });
    try {
      // The start-up cycle brings the fixtures' record in.
      await stderrLine(/from Salesforce 1 new/);
      const salesforceUrl = /Salesforce \(REST API and OAuth\): (\S+)/.exec(stdout)![1]!;
      const connectApiUrl = /Heroku Connect API: (\S+)/.exec(stdout)![1]!;
      const token = /access token (\S+)/.exec(stdout)![1]!;
      const herokuToken = /HEROKU_AUTH_TOKEN=([^)\s]+)/.exec(stdout)![1]!;
      const query = async (soql: string) => {
        const response = await fetch(`${salesforceUrl}/services/data/v60.0/query?q=${encodeURIComponent(soql)}`, { headers: { Authorization: `Bearer ${token}` } });
        return (await response.json()) as { totalSize: number; records: Record<string, unknown>[] };
      };
      assert.equal((await query("SELECT Id FROM Account WHERE Name = 'From the fixtures'")).totalSize, 1);
      const connections = (await (await fetch(`${connectApiUrl}/connections?app=hc-drizzle-emulator`, { headers: { Authorization: `Bearer ${herokuToken}` } })).json()) as {
        results: { state: string }[];
      };
      assert.equal(connections.results[0]!.state, 'IDLE');
      if (database !== undefined) {
        // An app write wakes the emulator through the trigger log's NOTIFY.
        await database.exec(`insert into salesforce.account (name) values ('Written by the app')`);
        await stderrLine(/wrote 1 \(0 failed/);
        const [row] = await database.query<{ sfid: string; _hc_lastop: string }>(`select sfid, _hc_lastop from salesforce.account where name = 'Written by the app'`);
        assert.equal(row!._hc_lastop, 'INSERTED');
        assert.equal((await query(`SELECT Name FROM Account WHERE Id = '${row!.sfid}'`)).records[0]!['Name'], 'Written by the app');

        // Faults, from outside the process: the next write fails as told, and lands FAILED.
        const control = (path: string, body?: unknown, auth = `Bearer ${token}`) =>
          fetch(`${salesforceUrl}${path}`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
        assert.equal((await control('/emulator/faults', { failNextWrites: { count: 1, errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' } })).status, 200);
        await database.exec(`insert into salesforce.account (name) values ('Refused by a fault')`);
        await stderrLine(/wrote 0 \(1 failed/);
        const [failed] = await database.query<{ _hc_lastop: string; _hc_err: string }>(`select _hc_lastop, _hc_err from salesforce.account where name = 'Refused by a fault'`);
        assert.equal(failed!._hc_lastop, 'FAILED');
        assert.match(failed!._hc_err, /UNABLE_TO_LOCK_ROW/);
        assert.equal((await control('/emulator/faults', { unavailable: true })).status, 200);
        assert.equal((await fetch(`${salesforceUrl}/services/data/v60.0/sobjects`, { headers: { Authorization: `Bearer ${token}` } })).status, 503);
        const paused = (await (await control('/emulator/sync')).json()) as { orgUnavailable: boolean };
        assert.equal(paused.orgUnavailable, true);
        assert.equal((await control('/emulator/faults', { clear: true })).status, 200);
        assert.equal((await control('/emulator/sync')).status, 200);
        // Bad requests are refused in one sentence; no token, no control.
        const bad = await control('/emulator/faults', { failNextWrites: { count: 0 } });
        assert.equal(bad.status, 400);
        assert.match(((await bad.json()) as { message: string }[])[0]!.message, /^The faults request is invalid at failNextWrites\.count: .+\.$/);
        assert.equal((await control('/emulator/faults', { clear: true }, 'Bearer nope')).status, 401);
      }
    } finally {
      child.kill('SIGINT');
    }
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, stderr);
    assert.match(stderr, /stopping the emulator/);
  });
});
