/** `hc-drizzle logs`, `retry` and `ignore`, run as processes against a PostgreSQL test database when there is one, else PGlite. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevelopmentSchema } from 'hc-drizzle/dev';
import { openDatabase } from '../../src/node/database.ts';
import { runCli } from '../support/cli.ts';
import { account, failLogs } from './fixtures.ts';

describe('hc-drizzle logs, retry and ignore', () => {
  let cwd: string;
  const env = { DATABASE_URL: undefined, HEROKU_AUTH_TOKEN: undefined, HEROKU_APP_NAME: undefined };
  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'hc-trigger-log-cli-'));
    const database = await openDatabase({ pgliteDir: join(cwd, '.hc-drizzle/pglite') });
    try {
      await createDevelopmentSchema(database, { account });
      await database.db.insert(account).values([{ name: 'One' }, { name: 'Two' }, { name: 'Three' }]);
      await failLogs(database.db, [1, 2, 3], 'REQUIRED_FIELD_MISSING: Required fields are missing: [Industry]');
    } finally {
      await database.close();
    }
  });
  after(() => rm(cwd, { recursive: true, force: true }));

  it('lists failed logs as a table a person can read, and as JSON', async () => {
    const table = await runCli(['logs', '--failed', '--table', 'account'], { cwd, env });
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+TIME \(UTC\)\s+ACTION\s+TABLE\s+RECORD\s+STATE\s+MESSAGE$/);
    assert.match(lines[1]!, /^1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+INSERT\s+account\s+1\s+FAILED\s+REQUIRED_FIELD_MISSING: Required fields are missing/);
    assert.equal(lines.length, 4);
    assert.match(table.stderr, /opening embedded PGlite/);
    const json = await runCli(['logs', '--json', '--id', '2'], { cwd, env });
    assert.deepEqual(
      JSON.parse(json.stdout).map((log: { id: number; state: string; archived: boolean }) => [log.id, log.state, log.archived]),
      [[2, 'FAILED', false]],
    );
  });

  it('filters by --since and refuses a time that is not ISO 8601', async () => {
    const future = await runCli(['logs', '--since', '2999-01-01'], { cwd, env });
    assert.equal(future.code, 0, future.stderr);
    assert.doesNotMatch(future.stdout, /FAILED/);
    const bad = await runCli(['logs', '--since', 'June 1'], { cwd, env });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'hc-drizzle: --since must be an ISO 8601 time such as 2024-06-01T12:00:00Z, not "June 1".\n');
  });

  it('retries and ignores, printing how many logs changed; without a write algorithm it says how to give one', async () => {
    const missing = await runCli(['retry'], { cwd, env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Pass --write-algorithm merged\|ordered, or set HEROKU_AUTH_TOKEN/);
    const ignored = await runCli(['ignore', '--id', '1'], { cwd, env });
    assert.equal(ignored.stdout, `Ignored 1 failed logs (1 live, 0 archived) in embedded PGlite in ${join(cwd, '.hc-drizzle/pglite')}.\n`);
    const retried = await runCli(['retry', '--write-algorithm', 'merged'], { cwd, env });
    assert.equal(retried.code, 0, retried.stderr);
    assert.match(retried.stdout, /^Requeued 2 failed logs \(2 live, 0 archived\) with merged writes/);
  });
});
