/** `hc-drizzle dev-schema`, run as a process. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.ts';

const core = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

describe('hc-drizzle dev-schema', () => {
  let cwd: string;
  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'hc-dev-schema-'));
    await writeFile(
      join(cwd, 'salesforce.ts'),
      `import { hcTable, sfText, READ_WRITE } from ${JSON.stringify(core)};
export const account = hcTable('Account', { name: sfText('Name') }, { access: READ_WRITE });
export const user = hcTable('User', { name: sfText('Name') });
`,
    );
  });
  after(() => rm(cwd, { recursive: true, force: true }));

  it('refuses --force on a remote host before loading or connecting anything', async () => {
    // No network here, and none is touched: the refusal comes from the URL alone.
    const result = await runCli(['dev-schema', '--force', '--url', 'postgres://postgres@db.example.com/x', '--schema', 'missing.ts'], {
      cwd,
      env: { DATABASE_URL: undefined },
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^hc-drizzle: Refusing --force on a database that is not on this machine .*--yes-drop-remote/);
    assert.equal(result.stdout, '');
  });

  it('creates the schema in embedded PGlite, refuses to create it twice, and recreates it with --force', async () => {
    const env = { DATABASE_URL: undefined };
    const first = await runCli(['dev-schema', '--schema', 'salesforce.ts'], { cwd, env });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      first.stdout,
      `Created the schema salesforce with 2 tables (salesforce.account, salesforce.user) and the trigger log in embedded PGlite in ${join(cwd, '.hc-drizzle/pglite')}.\n`,
    );
    assert.ok(existsSync(join(cwd, '.hc-drizzle/pglite/PG_VERSION')));
    const again = await runCli(['dev-schema', '--schema', 'salesforce.ts'], { cwd, env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /The schema salesforce already exists: pass --force/);
    const forced = await runCli(['dev-schema', '--schema', 'salesforce.ts', '--force'], { cwd, env });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^Dropped and recreated the schema salesforce with 2 tables/);
  });
});
