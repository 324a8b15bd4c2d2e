/** `hc-drizzle check`, run as a real process on the fixtures in ./fixtures. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { checkSchema } from 'hc-drizzle';
import * as broken from './fixtures/broken.ts';
import { runCli } from '../support/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url));
const check = (args: string[], cwd = ROOT) => runCli(['check', ...args], { cwd });

describe('hc-drizzle check', () => {
  it('exits 0 and says so when the schema has no problem', async () => {
    const result = await check(['--schema', fixture('clean.ts')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'No problems found in 3 tables.\n');
    assert.equal(result.stderr, '');
  });

  it('exits 1 on errors, printing them grouped by table with place, message, hint and a count', async () => {
    const result = await check(['--schema', fixture('broken.ts')]);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'salesforce.account');
    assert.match(lines[1]!, /^ {2}E007 error salesforce\.account: .*read_write but has no upsert field/);
    assert.match(lines[2]!, /^ {4}hint: .*sfExternalId/);
    assert.ok(lines.includes('orders'), result.stdout);
    assert.ok(lines.some((line) => /^ {2}E005 error orders\.account_id: /.test(line)), result.stdout);
    assert.ok(lines.some((line) => /^ {2}E008 error orders\.account_id: /.test(line)), result.stdout);
    assert.equal(lines.at(-1), '3 errors, 0 warnings in 2 tables.');
  });

  it('prints with --json exactly what checkSchema returns', async () => {
    const result = await check(['--schema', fixture('broken.ts'), '--json']);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), checkSchema(broken));
  });

  it('exits 0 when there are only warnings', async () => {
    const result = await check(['--schema', fixture('warnings.ts')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ {2}W121 warning salesforce\.account: /m);
    assert.match(result.stdout, /0 errors, 1 warning in 1 table\.\n$/);
  });

  it('prints an empty JSON array for a clean schema', async () => {
    const result = await check(['--schema', fixture('clean.ts'), '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  it('exits 2 with one line when a schema file throws while loading', async () => {
    const result = await check(['--schema', fixture('throws.ts')]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^hc-drizzle: .*throws\.ts.* failed to load: the schema file failed on purpose\.\n$/);
  });

  it('exits 2 when the schema path does not exist', async () => {
    const result = await check(['--schema', fixture('missing.ts')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /does not exist/);
  });

  it('exits 2 on an unknown option', async () => {
    const result = await check(['--schema', fixture('clean.ts'), '--strict']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--strict/);
  });

  it("warns (W141) when the hcTables come from drizzle.config.ts's schema", async () => {
    const result = await check([], fixture('drizzle-kit'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ {2}W141 warning salesforce\.account: schema\.ts exports the hcTable `account`/m);
  });

  it('warns (W141) when an app file drizzle-kit manages re-exports an hcTable', async () => {
    const result = await check(['--schema', 'salesforce.ts', '--json'], fixture('reexport'));
    assert.equal(result.code, 0, result.stderr);
    const diagnostics = JSON.parse(result.stdout) as { code: string; message: string }[];
    assert.deepEqual(diagnostics.map(({ code }) => code), ['W141']);
    assert.match(diagnostics[0]!.message, /^app\.ts exports the hcTable `account`/);
  });

  it('finds no error in the example app (hc-drizzle.config.ts at the project root)', async () => {
    const result = await check([]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout, / error /);
  });
});
