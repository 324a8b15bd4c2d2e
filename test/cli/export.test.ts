/** `hc-drizzle export`, run as a real process. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMapping } from 'hc-drizzle';
import * as example from '../../examples/salesforce.ts';
import { runCli } from '../support/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORE = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const AT = '2024-05-01T10:00:00+00:00';
const oneLine = (text: string) => text.trim().split('\n').length === 1;

describe('hc-drizzle export', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hc-export-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    return path;
  };
  const tableFile = (objectName: string) =>
    `import { hcTable, sfText } from ${JSON.stringify(CORE)};\nexport const t = hcTable('${objectName}', { name: sfText('Name') });\n`;

  it('prints the mapping of the schema named in hc-drizzle.config.ts', async () => {
    const result = await runCli(['export', '--exported-at', AT, '--app-name', 'hc-example', '--organization-id', '00D000000000001'], { cwd: ROOT });
    assert.equal(result.code, 0, result.stderr);
    const expected = getMapping(example, { appName: 'hc-example', organizationId: '00D000000000001', exportedAt: AT });
    assert.deepEqual(JSON.parse(result.stdout), expected);
  });

  it('takes app name and organization id from the environment', async () => {
    const result = await runCli(['export', '--exported-at', AT], {
      cwd: ROOT,
      env: { HEROKU_APP_NAME: 'env-app', HEROKU_CONNECT_ORGANIZATION_ID: '00DENVIRONMENT' },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).connection, { organization_id: '00DENVIRONMENT', app_name: 'env-app', exported_at: AT });
  });

  it('prefers --schema over the config files', async () => {
    const schema = await write('flag/schema.ts', tableFile('Flagged__c'));
    const result = await runCli(['export', '--schema', schema], { cwd: ROOT });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).mappings.map((m: { object_name: string }) => m.object_name), ['Flagged__c']);
  });

  it('falls back to drizzle.config.ts when there is no hc-drizzle.config.ts', async () => {
    await write('kit/salesforce.ts', tableFile('FromKit__c'));
    await write('kit/drizzle.config.ts', `export default { dialect: 'postgresql', schema: './salesforce.ts' };\n`);
    const result = await runCli(['export'], { cwd: join(dir, 'kit') });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).mappings.map((m: { object_name: string }) => m.object_name), ['FromKit__c']);
  });

  it('writes the file with -o, replacing an old one and leaving no temporary file', async () => {
    const out = join(dir, 'out', 'mapping.json');
    await mkdir(join(dir, 'out'), { recursive: true });
    await writeFile(out, 'old contents');
    const result = await runCli(['export', '-o', out, '--exported-at', AT], { cwd: ROOT });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(JSON.parse(await readFile(out, 'utf8')).mappings.length, 3);
    assert.deepEqual(await readdir(join(dir, 'out')), ['mapping.json']);
  });

  describe('bad input: one sentence, exit 2, nothing written', () => {
    const expectFailure = async (args: string[], pattern: RegExp, cwd = ROOT, env: Record<string, string> = {}) => {
      const result = await runCli(args, { cwd, env });
      assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, pattern);
      assert.ok(oneLine(result.stderr), `one line expected, got: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    };

    it('a schema path that does not exist', () => expectFailure(['export', '--schema', 'no/such/file.ts'], /no\/such\/file\.ts does not exist/));

    it('a schema file that throws, named with its line', async () => {
      const path = await write('throws.ts', `export const a = 1;\n\nthrow new Error('cannot reach the vault');\n`);
      await expectFailure(['export', '--schema', path], /throws\.ts \(line 3\) failed to load: cannot reach the vault/);
    });

    it('a schema file that does not compile, named with its line', async () => {
      const path = await write('broken.ts', `export const a = 1;\nexport const b = ;\n`);
      await expectFailure(['export', '--schema', path], /broken\.ts \(line 2\) failed to load: Unexpected/);
    });

    it('a schema with no hcTables', async () => {
      const path = await write('empty.ts', `export const nothing = 42;\n`);
      await expectFailure(['export', '--schema', path], /No hcTables found in .*empty\.ts/);
    });

    it('no schema anywhere', async () => {
      await mkdir(join(dir, 'nothing'), { recursive: true });
      await expectFailure(['export'], /No schema given/, join(dir, 'nothing'));
    });

    it('a bad --exported-at', () => expectFailure(['export', '--exported-at', 'last tuesday'], /"last tuesday" is not an ISO 8601 date-time/));

    it('invalid settings, naming the variable', () =>
      expectFailure(['export'], /HEROKU_CONNECT_SCHEMA is invalid: "Sales Force"/, ROOT, { HEROKU_CONNECT_SCHEMA: 'Sales Force' }));

    it('an unwritable -o path leaves nothing behind', async () => {
      const locked = join(dir, 'locked');
      await mkdir(locked, { recursive: true });
      await chmod(locked, 0o500);
      try {
        const target = join(locked, 'mapping.json');
        // root ignores directory permissions: fall back to a path under a file.
        const path = process.getuid?.() === 0 ? join(await write('a-file', 'x'), 'mapping.json') : target;
        await expectFailure(['export', '-o', path], /Cannot write .*mapping\.json/);
        assert.deepEqual(await readdir(locked), []);
      } finally {
        await chmod(locked, 0o700);
      }
    });

    it('an unknown flag', () => expectFailure(['export', '--frobnicate'], /Unsupported option name|Unknown Syntax Error/));
  });
});
