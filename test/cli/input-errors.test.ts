/**
 * What the CLI does with bad input: one line and exit 2, nothing created or
 * sent. Database URLs, flag values, a database without the trigger log, a
 * schema that fails its checks, config files found upward, a schema file
 * that throws.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/node/database.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { runCli, type CliResult } from '../support/cli.ts';

const CORE = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const BROKEN = fileURLToPath(new URL('../checks/fixtures/broken.ts', import.meta.url));
const NO_DATABASE = { DATABASE_URL: undefined };

function assertOneLineExit(result: CliResult, code: number, message: RegExp): void {
  assert.equal(result.code, code, result.stderr);
  const lines = result.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('hc-drizzle: opening '));
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, message);
}

describe('bad input on the command line', () => {
  let dir: string;
  let schema: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hc-input-'));
    await writeFile(join(dir, 'package.json'), '{}');
    schema = join(dir, 'schema.ts');
    await writeFile(schema, `import { hcTable, sfText } from ${JSON.stringify(CORE)};\nexport const account = hcTable('Account', { name: sfText('Name') });\n`);
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const cli = (args: string[], env: Record<string, string | undefined> = NO_DATABASE) => runCli(args, { cwd: dir, env });

  for (const [url, shown] of [
    ['', /is empty \(an unset variable\?\)/],
    ['http://x', /not a http: URL/],
    ['garbage', /not a value with no scheme/],
    ['mysql://admin:s3cret@db.example.com/app', /not a mysql: URL/],
  ] as const) {
    it(`refuses --url ${JSON.stringify(url)} with exit 2, creating no PGlite folder`, async () => {
      const result = await cli(['dev-schema', '--schema', schema, '--url', url]);
      assertOneLineExit(result, 2, shown);
      assert.doesNotMatch(result.stderr, /s3cret/);
      assert.equal(existsSync(join(dir, '.hc-drizzle')), false);
      assert.equal(existsSync(join(dir, 'mysql:')), false);
    });
  }

  it('refuses a DATABASE_URL that is not postgres://, naming the variable', async () => {
    assertOneLineExit(await cli(['logs'], { DATABASE_URL: 'mysql://x/y' }), 2, /DATABASE_URL is invalid/);
  });

  it('opens no embedded database for logs when none was created, and says how to get one', async () => {
    assertOneLineExit(await cli(['logs']), 2, /No database given: pass --url <postgres-url> or set DATABASE_URL, or run `hc-drizzle dev-schema`/);
    assertOneLineExit(await cli(['retry', '--url', 'pglite:./nowhere', '--write-algorithm', 'merged']), 2, /No PGlite database in nowhere \(from --url\)/);
    assert.equal(existsSync(join(dir, '.hc-drizzle')), false);
    assert.equal(existsSync(join(dir, 'nowhere')), false);
  });

  it('says "no trigger log" in one line for a database without it, and keeps the cause for --verbose', async () => {
    // A real database with no Heroku Connect schema: a fresh PostgreSQL database, else an empty PGlite folder.
    const server = process.env['DATABASE_URL'];
    const database = server ? await createTestDatabase({ url: server }) : await openDatabase({ pgliteDir: join(dir, 'empty-pglite') });
    try {
      let url = 'pglite:empty-pglite';
      if (server) {
        const target = new URL(server);
        target.pathname = `/${database.description.split('/').at(-1)}`;
        url = target.toString();
      }
      const args = ['logs', '--url', url];
      assertOneLineExit(await cli(args), 2, /^hc-drizzle: no trigger log in schema salesforce: run `hc-drizzle dev-schema`\.$/);
      const verbose = await cli([...args, '--verbose']);
      assert.equal(verbose.code, 2);
      assert.match(verbose.stderr, /Caused by: .*_trigger_log/);
    } finally {
      await database.close();
    }
  });

  for (const [flag, value] of [
    ['--id', '99999999999'],
    ['--id', '12,x'],
    ['--limit', '99999999999'],
    ['--limit', '0'],
    ['--write-algorithm', 'sometimes'],
  ] as const) {
    it(`refuses ${flag} ${value} with one line and exit 2, before opening anything`, async () => {
      const command = flag === '--write-algorithm' ? 'retry' : 'logs';
      const result = await cli([command, flag, value, '--url', 'pglite:./nowhere']);
      assertOneLineExit(result, 2, new RegExp(flag));
    });
  }

  it('refuses to export or upload a schema that check fails (exit 1), unless --no-check', async () => {
    const refused = await cli(['export', '--schema', BROKEN]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /E007 error/);
    assert.match(refused.stderr, /hc-drizzle: The schema has \d+ errors \(above\), so nothing was exported: fix them, or pass --no-check\./);
    const uploaded = await cli(['import-mappings', '--schema', BROKEN, '--connection', '1234'], { ...NO_DATABASE, HEROKU_AUTH_TOKEN: 'token' });
    assert.equal(uploaded.code, 1, uploaded.stderr);
    assert.match(uploaded.stderr, /so nothing was uploaded/);
    const forced = await cli(['export', '--schema', BROKEN, '--no-check']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(JSON.parse(forced.stdout).mappings.length > 0);
  });

  it('finds hc-drizzle.config.* upward from the working folder, and not above the package root', async () => {
    const project = join(dir, 'project');
    await mkdir(join(project, 'src', 'deep'), { recursive: true });
    await writeFile(join(project, 'package.json'), '{}');
    await writeFile(join(project, 'src', 'salesforce.ts'), await readFile(schema, 'utf8'));
    await writeFile(join(project, 'hc-drizzle.config.mjs'), `export default { schema: './src/salesforce.ts' };\n`);
    const found = await runCli(['export'], { cwd: join(project, 'src', 'deep'), env: NO_DATABASE });
    assert.equal(found.code, 0, found.stderr);
    assert.deepEqual(JSON.parse(found.stdout).mappings.map((m: { object_name: string }) => m.object_name), ['Account']);
    // A nested package is a root of its own: the config above it does not apply.
    const nested = join(project, 'packages', 'other');
    await mkdir(nested, { recursive: true });
    await writeFile(join(nested, 'package.json'), '{}');
    assertOneLineExit(await runCli(['export'], { cwd: nested, env: NO_DATABASE }), 2, /No schema given/);
  });

  for (const extension of ['cjs', 'cts']) {
    it(`runs a .${extension} schema file that throws once, naming its line`, async () => {
      const marker = join(dir, `runs-${extension}.txt`);
      const file = join(dir, `throws.${extension}`);
      await writeFile(file, `require('node:fs').appendFileSync(${JSON.stringify(marker)}, 'ran\\n');\nthrow new Error('no such object');\n`);
      assertOneLineExit(await cli(['export', '--schema', file]), 2, new RegExp(`throws\\.${extension} \\(line 2\\) failed to load: no such object\\.`));
      assert.equal(await readFile(marker, 'utf8'), 'ran\n');
    });
  }
});
