/**
 * The package as a user gets it: the packed tarball installed into a fresh
 * app (one install shared by every case), used from plain Node (ESM and
 * CommonJS), from TypeScript 5.9 and the repo's TypeScript (bundler and
 * nodenext, strict, declaration), from a worker bundle, and through the
 * installed bin; publint and arethetypeswrong judge the tarball.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import '../support/cli.ts'; // builds dist/ when src/ changed

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, unknown>;
  devDependencies: Record<string, string>;
};
const ENTRIES = Object.keys(PACKAGE.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'hc-drizzle' : `hc-drizzle/${key.slice(2)}`));
const TSC = {
  '5.9': join(ROOT, 'node_modules', 'typescript-5.9', 'bin', 'tsc'),
  repo: join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
};
const BIN = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/** A PostgreSQL pool typed as a user would, a guarded db exported with declaration: true (TS2742), and one name from each entry. */
const TYPED_APP = `
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { eq } from 'drizzle-orm';
import { guardReadOnly, hcTable, sfText, sfLookup, getMapping, checkSchema, READ_WRITE, sfExternalId } from 'hc-drizzle';
import { defineConfig } from 'hc-drizzle/config';
import { triggerLogTables } from 'hc-drizzle/trigger-log';
import { createHealthHandler } from 'hc-drizzle/connect';
import { createDevelopmentSchema } from 'hc-drizzle/dev';
import { loadSchema } from 'hc-drizzle/node';
import { withoutWriteRestrictions } from 'hc-drizzle/testing';
import { createSalesforceClient, pushRecord } from 'hc-drizzle/salesforce';

export const account = hcTable('Account', { name: sfText('Name'), externalId: sfExternalId('External_Id__c') }, { access: READ_WRITE });
export const contact = hcTable('Contact', { lastName: sfText('LastName'), accountId: sfLookup('AccountId', { references: () => account }) });
export const db = guardReadOnly(drizzle({ client: new pg.Pool() }));
export const mapping = getMapping([account, contact]);
export const problems = checkSchema([account, contact]);
export const config = defineConfig({ schema: './schema.ts' });
export const { triggerLog } = triggerLogTables('salesforce');
export const health = createHealthHandler({ appName: 'my-app' });
export const used = [createDevelopmentSchema, loadSchema, withoutWriteRestrictions] as const;
export const sf = createSalesforceClient({ instanceUrl: 'https://acme.my.salesforce.com', auth: { kind: 'access-token', accessToken: 'token' } });
export const push = (): Promise<string> => pushRecord(sf, account, { name: 'Acme' });
export async function names() {
  const rows = await db.select({ name: account.name }).from(account).where(eq(account.sfid, '001'));
  const name: string | null | undefined = rows[0]?.name;
  // @ts-expect-error contact is read-only: the guarded db refuses the insert at compile time
  db.insert(contact);
  return name;
}
`;

const TSCONFIGS: Record<string, object> = {
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['app.ts'] },
  'nodenext-esm': { module: 'nodenext', moduleResolution: 'nodenext', files: ['app.mts'] },
  'nodenext-cjs': { module: 'nodenext', moduleResolution: 'nodenext', files: ['app.cts'] },
};

// The cases only read the shared install: two at a time, one per core.
describe('the packed package in a fresh app', { concurrency: 2 }, () => {
  let app: string;
  let tarball: string;

  before(async () => {
    app = await mkdtemp(join(tmpdir(), 'hc-consumer-'));
    // dist/ is fresh (support/cli.ts): pack it as prepack would, without building again.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', app], { cwd: ROOT });
    tarball = join(app, (JSON.parse(packed.stdout) as [{ filename: string }])[0].filename);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const versions = PACKAGE.devDependencies;
    // The drizzle-orm installed here: the devDependency, or 1.0 in CI's second pass (.ci/run).
    const drizzleOrm = (JSON.parse(await readFile(join(ROOT, 'node_modules', 'drizzle-orm', 'package.json'), 'utf8')) as { version: string }).version;
    const wanted = [tarball, `drizzle-orm@${drizzleOrm}`, `pg@${versions['pg'] ?? '8'}`, `@types/pg@${versions['@types/pg']}`, `@types/node@${versions['@types/node']}`];
    // From npm's cache alone when it holds everything (the repo's own `npm ci` filled it); else the registry.
    const install = (mode: string) => run('npm', ['install', mode, '--no-audit', '--no-fund', ...wanted], { cwd: app });
    await install('--offline').catch(() => install('--prefer-offline'));
    // The app files every type-check compiles, written once: the checks run two at a time.
    for (const file of ['app.ts', 'app.mts', 'app.cts']) await writeFile(join(app, file), TYPED_APP);
  });
  after(() => rm(app, { recursive: true, force: true }));

  const node = (file: string, env: Record<string, string> = {}) =>
    run(process.execPath, [file], { cwd: app, env: { ...process.env, ...env } });

  it('imports every entry from plain Node (ESM) and reads no environment while doing so', async () => {
    const source = ENTRIES.map((entry, i) => `import * as e${i} from '${entry}';`).join('\n');
    await writeFile(join(app, 'imports.mjs'), `${source}\nconsole.log(JSON.stringify([${ENTRIES.map((_, i) => `Object.keys(e${i}).length`).join(', ')}]));\n`);
    const { stdout } = await node('imports.mjs', { HEROKU_CONNECT_SCHEMA: 'Not A Schema', DATABASE_URL: 'mysql://nope' });
    const counts = JSON.parse(stdout) as number[];
    assert.equal(counts.length, ENTRIES.length);
    assert.ok(counts.every((count) => count > 0), stdout);
  });

  it('requires every entry from plain Node (CommonJS), with the same names as the ESM build', async () => {
    const source = `const names = {};\n${ENTRIES.map((entry) => `names['${entry}'] = Object.keys(require('${entry}')).sort();`).join('\n')}\nconsole.log(JSON.stringify(names));\n`;
    await writeFile(join(app, 'requires.cjs'), source);
    await writeFile(join(app, 'names.mjs'), `const names = {};\n${ENTRIES.map((entry) => `names['${entry}'] = Object.keys(await import('${entry}')).sort();`).join('\n')}\nconsole.log(JSON.stringify(names));\n`);
    const [cjs, esm] = await Promise.all([node('requires.cjs', { HEROKU_CONNECT_SCHEMA: 'Not A Schema' }), node('names.mjs')]);
    assert.deepEqual(JSON.parse(cjs.stdout), JSON.parse(esm.stdout));
  });

  /** Write one tsconfig per module setting for `compiler` and the app files they compile; returns the config names. */
  async function writeConfigs(compiler: string, names: readonly string[], skipLibCheckOf: (name: string) => boolean): Promise<string[]> {
    const configs: string[] = [];
    for (const name of names) {
      const { files, ...compilerOptions } = TSCONFIGS[name] as { files: string[] };
      const config = `tsconfig.${compiler}.${name}.json`;
      await writeFile(
        join(app, config),
        JSON.stringify({
          compilerOptions: { ...compilerOptions, strict: true, declaration: true, emitDeclarationOnly: true, outDir: `out-${compiler}-${name}`, skipLibCheck: skipLibCheckOf(name), types: ['node'] },
          files,
        }),
      );
      configs.push(config);
    }
    return configs;
  }

  /** The errors tsc printed, without drizzle-orm's own (which need skipLibCheck) and without continuation lines. */
  const errorsOf = (result: { stdout: string }) =>
    result.stdout.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('node_modules/drizzle-orm/') && !/^\s/.test(line));

  // TypeScript 5.9 (JavaScript, slow to start and to read drizzle's declarations): the three settings in one
  // `tsc --build`, which reads the shared declarations once (a third less CPU than three runs). Each app file
  // (app.ts, app.mts, app.cts) belongs to one setting, so an error names the setting it came from.
  it(`type-checks with TypeScript 5.9, ${Object.keys(TSCONFIGS).join(', ')}, strict and declaration: no error`, async () => {
    const configs = await writeConfigs('5.9', Object.keys(TSCONFIGS), () => true);
    const result = await run(process.execPath, [TSC['5.9'], '--build', ...configs, '--pretty', 'false'], { cwd: app }).catch((error: { stdout: string }) => error);
    assert.deepEqual(errorsOf(result), []);
  });

  // The repo's TypeScript (native, fast): one run per setting; drizzle-orm's own declarations need skipLibCheck
  // (a few hundred errors without it), so one run checks every declaration file and keeps the errors that are not drizzle-orm's.
  for (const name of Object.keys(TSCONFIGS)) {
    const skipLibCheck = name !== 'bundler';
    it(`type-checks with TypeScript repo, ${name}, strict and declaration${skipLibCheck ? '' : ', our declarations included'}: no error`, async () => {
      const [config] = await writeConfigs('repo', [name], () => skipLibCheck);
      const result = await run(process.execPath, [TSC.repo, '-p', config!, '--pretty', 'false'], { cwd: app }).catch((error: { stdout: string }) => error);
      assert.deepEqual(errorsOf(result), []);
    });
  }

  it('is clean for publint and arethetypeswrong (node10 aside)', async () => {
    // Each exits non-zero on any problem (publint --strict: on warnings too).
    const [lint] = await Promise.all([
      run(BIN('publint'), ['run', '--strict', tarball], { cwd: app }),
      run(BIN('attw'), [tarball, '--profile', 'node16', '--format', 'ascii'], { cwd: app }),
    ]);
    assert.match(lint.stdout, /All good/);
  });

  it('bundles the edge-safe entries for a worker, with no Node built-in', async () => {
    await writeFile(
      join(app, 'worker.mjs'),
      `import { guardReadOnly } from 'hc-drizzle';\nimport { triggerLogTables } from 'hc-drizzle/trigger-log';\nimport { createHealthHandler } from 'hc-drizzle/connect';\nimport { pushRecord } from 'hc-drizzle/salesforce';\n` +
        `const health = createHealthHandler({ appName: 'my-app' });\nexport default { fetch: (request) => health(request), guardReadOnly, triggerLogTables, pushRecord };\n`,
    );
    const result = await esbuild.build({
      absWorkingDir: app,
      entryPoints: ['worker.mjs'],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['worker'],
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((input) => input.startsWith('node_modules/hc-drizzle/dist/')), 'the bundle holds hc-drizzle');
    assert.deepEqual(inputs.filter((input) => input.startsWith('node:') || /^node_modules\/(pg|undici|jiti)\//.test(input)), []);
  });

  it('runs the installed bin on a TypeScript and on an ESM schema, with nothing else installed', async () => {
    const schema = (core: string) => `import { hcTable, sfText } from '${core}';\nexport const account = hcTable('Account', { name: sfText('Name') });\n`;
    await writeFile(join(app, 'schema.ts'), schema('hc-drizzle'));
    await writeFile(join(app, 'schema.mjs'), schema('hc-drizzle'));
    const bin = join(app, 'node_modules', '.bin', 'hc-drizzle');
    const [fromTs, fromMjs, version] = await Promise.all([
      run(bin, ['export', '--schema', 'schema.ts', '--exported-at', '2024-01-01T00:00:00Z'], { cwd: app }),
      run(bin, ['export', '--schema', 'schema.mjs', '--exported-at', '2024-01-01T00:00:00Z'], { cwd: app }),
      run(bin, ['--version'], { cwd: app }),
    ]);
    assert.equal(version.stdout, `${PACKAGE.version}\n`);
    assert.deepEqual(JSON.parse(fromTs.stdout).mappings.map((m: { object_name: string }) => m.object_name), ['Account']);
    assert.equal(fromMjs.stdout, fromTs.stdout);
    const installed = await readdir(join(app, 'node_modules'));
    assert.ok(!installed.includes('tsx') && !installed.includes('esbuild'), 'no esbuild binary is installed');
  });

  it('adds at most 8 MB to an app that has drizzle-orm and pg', async () => {
    const lock = JSON.parse(await readFile(join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }>;
    };
    // Everything reachable from hc-drizzle's own dependencies that the app would not have without it.
    const reach = (names: string[], seen = new Set<string>()) => {
      for (const name of names) {
        if (seen.has(name)) continue;
        seen.add(name);
        reach(Object.keys(lock.packages[`node_modules/${name}`]?.dependencies ?? {}), seen);
      }
      return seen;
    };
    const appHas = reach(['drizzle-orm', 'pg', '@types/pg', '@types/node']);
    const added = [...reach(['hc-drizzle'])].filter((name) => !appHas.has(name));
    let bytes = 0;
    for (const name of added) bytes += await sizeOf(join(app, 'node_modules', name));
    assert.ok(bytes <= 8 * 1024 * 1024, `${(bytes / 1024 / 1024).toFixed(1)} MB: ${added.join(', ')}`);
  });
});

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}
