/**
 * What the database commands say when the database is not what they need:
 * one line and exit 2, never drizzle's "Failed query: <SQL> params: ..." (the
 * SQL text and its parameters, row data, only with --verbose). Run as
 * processes on embedded PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type OpenDatabase } from '../../src/node/database.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { urlOf } from '../support/databases.ts';

const core = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const serverUrl = process.env['DATABASE_URL'] || undefined;

/** The lines a person reads, without the "opening ..." progress line. */
const said = (result: CliResult) => result.stderr.split('\n').filter((line) => line !== '' && !/^hc-drizzle: opening /.test(line));

for (const target of ['PGlite', ...(serverUrl === undefined ? [] : ['PostgreSQL'])]) {
  describe(`database errors on ${target}`, () => {
    let cwd: string;
    let url: string;
    let server: OpenDatabase | undefined;
    const env = { DATABASE_URL: undefined };
    const run = (...args: string[]) => runCli([...args, '--url', url], { cwd, env });
    /** Open the database for a change in this process (PGlite: closed again, so the CLI can open the folder). */
    const change = async (sqlText: string) => {
      const database = server ?? (await openDatabase({ pgliteDir: url.slice('pglite:'.length) }));
      try {
        await database.exec(sqlText);
      } finally {
        if (server === undefined) await database.close();
      }
    };

    before(async () => {
      cwd = await mkdtemp(join(tmpdir(), 'hc-database-errors-'));
      await writeFile(join(cwd, 'salesforce.ts'), `import { hcTable, sfText } from ${JSON.stringify(core)};\nexport const account = hcTable('Account', { name: sfText('Name') });\n`);
      if (target === 'PGlite') {
        url = `pglite:${join(cwd, 'db')}`;
      } else {
        server = await createTestDatabase({ url: serverUrl });
        url = await urlOf(server, serverUrl!);
      }
      const created = await runCli(['dev-schema', '--url', url, '--schema', 'salesforce.ts'], { cwd, env });
      assert.equal(created.code, 0, created.stderr);
    });
    after(async () => {
      await server?.close();
      await rm(cwd, { recursive: true, force: true });
    });

    it('feed parked, retry and dismiss on a database without the feed: one line, exit 2', async () => {
      for (const args of [['feed', 'parked'], ['feed', 'retry', '--id', '1'], ['feed', 'dismiss', '--id', '1']]) {
        const result = await run(...args);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        const lines = said(result);
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0]!, /^hc-drizzle: The change feed is not installed in .*: run `hc-drizzle feed install`\.$/);
      }
    });

    it('refuses a change id past bigint before opening anything', async () => {
      const result = await run('feed', 'retry', '--id', '9223372036854775808');
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr, 'hc-drizzle: --id takes change ids (whole numbers from 1 to 9223372036854775807, comma-separated), not "9223372036854775808".\n');
    });

    it('a trigger log that is not shaped as Heroku Connect makes it: the server reason in one line, exit 2, no SQL', async () => {
      await change(`drop table salesforce._trigger_log cascade; create table salesforce._trigger_log (id integer primary key);`);
      for (const args of [['logs'], ['logs', '--failed', '--json'], ['ignore'], ['retry', '--write-algorithm', 'merged']]) {
        const result = await run(...args);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        const lines = said(result);
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0]!, /^hc-drizzle: the database refused a query: column .* does not exist \(SQLSTATE 42703\)\.$/);
        assert.doesNotMatch(result.stderr, /Failed query|select|params/i);
      }
      const verbose = await run('logs', '--verbose');
      assert.match(verbose.stderr, /Failed query: /, 'the SQL with --verbose');
    });

    it('a missing trigger log: one line, exit 2', async () => {
      await change(`drop schema salesforce cascade`);
      for (const args of [['logs'], ['logs', '--id', '1'], ['ignore', '--id', '1'], ['retry', '--write-algorithm', 'ordered']]) {
        const result = await run(...args);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.deepEqual(said(result), ['hc-drizzle: no trigger log in schema salesforce: run `hc-drizzle dev-schema`.']);
      }
    });
  });
}
