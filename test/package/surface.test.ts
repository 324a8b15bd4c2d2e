/**
 * The public surface of the built package (issue #10 "The public surface"):
 * each entry exports what users call and nothing else, importing an entry
 * reads no environment variable, and a bundler drops what an app does not use.
 *
 * A name added to an entry is a promise to users: add it to PUBLIC below and
 * to the README (or docs/) in the same change.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import '../support/cli.ts'; // builds dist/ when src/ is newer

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every runtime name of every entry, sorted. Types are not listed (they cost a bundle nothing). */
const PUBLIC: Record<string, readonly string[]> = {
  'hc-drizzle': [
    'HcDrizzleError', 'InputError', 'READ_ONLY', 'READ_WRITE', 'SF_FIELD', 'SF_FIELD_KINDS', 'SF_OBJECT', 'SettingsError',
    'WriteNotSupportedError', 'checkSchema', 'fieldKind', 'getMapping', 'guardReadOnly', 'hcTable', 'herokuConnectSchemaForDrizzleKit', 'isHcTable', 'readSettings', 'sfAnyType',
    'sfCheckbox', 'sfColumnsOf', 'sfCurrency', 'sfDate', 'sfDateTime', 'sfEmail', 'sfEncryptedString', 'sfExternalId', 'sfField',
    'sfFieldOf', 'sfId', 'sfInteger', 'sfLookup', 'sfMasterDetail', 'sfMultiPicklist', 'sfNumber', 'sfObjectOf', 'sfOne', 'sfParent', 'sfPercent',
    'sfPhone', 'sfPicklist', 'sfText', 'sfTextArea', 'sfTextAreaLong', 'sfTime', 'sfUrl',
  ],
  'hc-drizzle/config': ['defineConfig'],
  'hc-drizzle/node': [
    'ExternalToolError', 'createNodeConnectClient', 'createNodeSalesforceClient', 'diffHerokuConnect', 'formatHerokuConnectDiff',
    'generateSchemaModule', 'introspectHerokuConnect', 'loadRemoteSchema', 'loadSchema', 'openDatabase', 'parseMappingExport',
  ],
  'hc-drizzle/trigger-log': [
    'APPLICATION_XMLBINARY', 'HEROKU_CONNECT_XMLBINARY', 'RecordNotFoundError', 'TRIGGER_LOG_ACTION', 'TRIGGER_LOG_STATE', 'asHerokuConnect',
    'captureInsert', 'captureUpdate', 'failedLogs', 'ignoreFailed', 'listLogs', 'logsForRecord', 'parseHstore', 'recordOfLog', 'redo',
    'retryFailed', 'triggerLog', 'triggerLogArchive', 'triggerLogChannel', 'triggerLogTables',
  ],
  'hc-drizzle/connect': [
    'ConnectApiError', 'ConnectionLookupError', 'HEALTHY_STATES', 'IMPORT_CONFIGURATION', 'ImportWaitError', 'checkHealth',
    'connectClientFromSettings', 'createConnectClient', 'createHealthHandler', 'fetchWriteAlgorithm', 'findAppConnection', 'isHealthyState',
    'sharedWriteAlgorithm', 'waitForImport', 'writeAlgorithmOf',
  ],
  'hc-drizzle/testing': ['credentialsUrlOutput', 'installFakeHerokuCli', 'setupTestDatabase', 'startFakeConnectApi', 'withoutWriteRestrictions'],
  'hc-drizzle/dev': ['DependentObjectsError', 'SchemaExistsError', 'createDevelopmentSchema', 'dependentName'],
  'hc-drizzle/emulator': ['SalesforceApiError', 'startEmulator'],
  'hc-drizzle/admin': ['createTriggerLogAdmin'],
  'hc-drizzle/salesforce': [
    'SalesforceApiError', 'SalesforceObjectNotAllowedError', 'changedRecords', 'createSalesforceClient', 'pullRecord', 'pushRecord',
    'pushRecords', 'readSalesforceSettings', 'refreshTable', 'salesforceClientFromSettings',
  ],
  'hc-drizzle/feed': [
    'ChangeParkedError', 'FeedConnectionError', 'FeedTableMissingError', 'HandlerTimeoutError', 'ResyncNotHandledError', 'dismissParkedChanges', 'feedStatus',
    'installChangeFeed', 'isChangeOf', 'listParkedChanges', 'retryParkedChanges', 'subscribeChanges',
  ],
};

const PACKAGE = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
const ENTRIES = Object.keys(PACKAGE.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'hc-drizzle' : `hc-drizzle/${key.slice(2)}`));

/** A throwaway app whose node_modules/hc-drizzle is this repo (its dist/), as an installed package resolves. */
async function app(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hc-surface-'));
  await mkdir(join(dir, 'node_modules'));
  await symlink(ROOT, join(dir, 'node_modules', 'hc-drizzle'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'surface', private: true, type: 'module' }));
  return dir;
}

describe('the public surface of each entry', () => {
  it('lists every entry of package.json here, and nothing else', () => {
    assert.deepEqual([...ENTRIES].sort(), Object.keys(PUBLIC).sort());
  });

  for (const entry of Object.keys(PUBLIC)) {
    it(`${entry} exports what users call and nothing else`, async () => {
      const names = Object.keys(await import(entry)).sort();
      assert.deepEqual(names, [...PUBLIC[entry]!].sort());
    });
  }

  it('no entry reads an environment variable while it is imported (ESM and CommonJS)', async () => {
    const dir = await app();
    try {
      // process.env behind a proxy that records each name read; the entries are imported after it is in place.
      // Reads by Node itself or by a dependency (undici looks at a few variables) are theirs; a read whose caller is in dist/ is ours.
      const spy = `const read = new Set();
const ours = ${JSON.stringify(join(ROOT, 'dist'))};
const note = (name) => { if (typeof name !== 'string') return; const caller = new Error().stack.split('\\n')[3] ?? ''; if (caller.includes(ours)) read.add(name + ' (' + caller.trim() + ')'); };
process.env = new Proxy(process.env, { get(target, name) { note(name); return Reflect.get(target, name); }, has(target, name) { note(name); return Reflect.has(target, name); } });
globalThis.__read = read;`;
      await writeFile(join(dir, 'spy.mjs'), spy);
      await writeFile(join(dir, 'spy.cjs'), spy);
      await writeFile(
        join(dir, 'imports.mjs'),
        `import './spy.mjs';\nconst before = new Set(globalThis.__read);\n${ENTRIES.map((entry) => `await import('${entry}');`).join('\n')}\nconsole.log(JSON.stringify([...globalThis.__read].filter((name) => !before.has(name))));\n`,
      );
      await writeFile(
        join(dir, 'requires.cjs'),
        `require('./spy.cjs');\nconst before = new Set(globalThis.__read);\n${ENTRIES.map((entry) => `require('${entry}');`).join('\n')}\nconsole.log(JSON.stringify([...globalThis.__read].filter((name) => !before.has(name))));\n`,
      );
      for (const file of ['imports.mjs', 'requires.cjs']) {
        const { stdout } = await run(process.execPath, [file], { cwd: dir });
        assert.deepEqual(JSON.parse(stdout), [], `${file}: the entries read these variables at import time`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('bundlers drop what an app does not use', () => {
  // esbuild honours @__NO_SIDE_EFFECTS__ only within one file; Rollup (and so Vite) across modules too,
  // which drops `hcTable(...)` calls whose result is unused. The annotation must survive the build.
  it('keeps /* @__NO_SIDE_EFFECTS__ */ on the factories in the built JavaScript (ESM and CommonJS)', async () => {
    const factories: Record<string, readonly string[]> = {
      'table/hc-table': ['hcTable'],
      'columns/text': ['sfText', 'sfTextArea', 'sfTextAreaLong', 'sfEmail', 'sfPhone', 'sfUrl', 'sfEncryptedString', 'sfAnyType'],
      'columns/picklist': ['sfPicklist', 'sfMultiPicklist'],
      'columns/number': ['sfNumber', 'sfCurrency', 'sfPercent', 'sfInteger'],
      'columns/checkbox': ['sfCheckbox'],
      'columns/date-time': ['sfDate', 'sfDateTime', 'sfTime'],
      'columns/id': ['sfId'],
      'columns/external-id': ['sfExternalId'],
      'columns/lookup': ['sfLookup', 'sfMasterDetail', 'sfOne', 'sfParent'],
      'columns/field': ['sfField'],
      'guard/guard-read-only': ['guardReadOnly'],
      'trigger-log/tables': ['triggerLogTables'],
      'config/define-config': ['defineConfig'],
      'admin/create-trigger-log-admin': ['createTriggerLogAdmin'],
      'connect/health': ['createHealthHandler'],
      'connect/client': ['createConnectClient'],
      'salesforce/client': ['createSalesforceClient'],
    };
    for (const [file, names] of Object.entries(factories)) {
      for (const extension of ['js', 'cjs']) {
        const code = await readFile(join(ROOT, 'dist', `${file}.${extension}`), 'utf8');
        for (const name of names) assert.match(code, new RegExp(`@__NO_SIDE_EFFECTS__\\s*\\n\\s*(?:async )?function ${name}\\(`), `${name} in dist/${file}.${extension}`);
      }
    }
  });

  async function bundle(source: string): Promise<string> {
    const dir = await app();
    try {
      await writeFile(join(dir, 'app.js'), source);
      const result = await esbuild.build({
        entryPoints: [join(dir, 'app.js')],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'neutral',
        mainFields: ['module', 'main'],
        conditions: ['import'],
        external: ['drizzle-orm', 'drizzle-orm/*', 'valibot'],
        logLevel: 'silent',
      });
      return result.outputFiles[0]!.text;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('drops the whole core when an app imports names and uses none of them', async () => {
    const code = await bundle(`import { hcTable, sfText, sfLookup, sfPicklist, guardReadOnly, getMapping, checkSchema, READ_WRITE } from 'hc-drizzle';
export const ok = 1;
`);
    assert.doesNotMatch(code, /hc-drizzle:|drizzle-orm|valibot/, code);
  });

  it('keeps only the builders an app uses: no checks, mapping or guard in a bundle of one table', async () => {
    const code = await bundle(`import { hcTable, sfText } from 'hc-drizzle';
export const account = hcTable('Account', { name: sfText('Name') });
`);
    assert.match(code, /function hcTable/);
    assert.doesNotMatch(code, /function (checkSchema|getMapping|guardReadOnly|sfPicklist|sfLookup)\b/);
  });

  it('drops the trigger-log tables and operations when an app imports them and uses none', async () => {
    const code = await bundle(`import { triggerLog, retryFailed } from 'hc-drizzle/trigger-log';
export const ok = 1;
`);
    assert.doesNotMatch(code, /_trigger_log/, code);
  });
});
