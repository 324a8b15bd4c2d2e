/**
 * `hc-drizzle pull` and `hc-drizzle diff` as a user runs them: on a database
 * built as Heroku Connect would from a real export (PostgreSQL with
 * DATABASE_URL, else an embedded PGlite folder), with the mapping from a file
 * or from the Heroku Connect API.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openPglite, type OpenDatabase } from '../../src/node/database.ts';
import { startFakeConnectApi } from '../../src/testing/fake-connect-api.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { apiEnv, runWithApi, TOKEN } from '../connect/support.ts';
import { runCli } from '../support/cli.ts';
import { herokuConnectSchemaDdl } from './heroku-connect-schema.ts';
import { REAL_EXPORTS } from './fixtures/real-exports.ts';

const fixture = REAL_EXPORTS.find((candidate) => candidate.name === 'git2gus')!;
const MAPPING = fileURLToPath(new URL('./fixtures/git2gus.json', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./fixtures/git2gus.generated.ts', import.meta.url));
// Inside the repository (its tmp/ is ignored), so the modules written there import hc-drizzle.
const WORK = fileURLToPath(new URL(`../../tmp/pull-cli-${process.pid}/`, import.meta.url));
const PASSWORD = 'pull-secret-9d1';
/** No ambient settings: the flags say everything. */
const ENV = { DATABASE_URL: undefined, HEROKU_CONNECT_SCHEMA: undefined, HEROKU_APP_NAME: undefined };

/** A module without its header comment, which says where and when it was pulled. */
const body = (source: string) => source.slice(source.indexOf(' */\n') + 4);

describe('hc-drizzle pull and diff', () => {
  let url: string;
  /** Runs SQL on the test database (a PGlite folder is opened only meanwhile: the CLI opens it too). */
  let exec: (sqlText: string) => Promise<void>;
  let close = async () => {};
  before(async () => {
    await mkdir(WORK, { recursive: true });
    const server = process.env['DATABASE_URL'] || undefined;
    const ddl = herokuConnectSchemaDdl(fixture.schema, fixture.mapping, fixture.types).join(';\n');
    if (server === undefined) {
      const folder = `${WORK}pglite`;
      exec = async (sqlText) => {
        const pglite = await openPglite(folder);
        try {
          await pglite.exec(sqlText);
        } finally {
          await pglite.close();
        }
      };
      url = `pglite:${folder}`;
    } else {
      const database: OpenDatabase = await createTestDatabase({ url: server });
      exec = database.exec;
      close = database.close;
      const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
      const target = new URL(server);
      target.password = PASSWORD;
      target.pathname = `/${name}`;
      url = target.toString();
    }
    await exec(ddl);
  });
  after(async () => {
    await close();
    await rm(WORK, { recursive: true, force: true });
  });

  it('writes the module of a real export, naming what it read without a password', async () => {
    const output = `${WORK}salesforce.ts`;
    const result = await runCli(['pull', '--mapping', MAPPING, '--url', url, '-o', output], { env: ENV });
    assert.equal(result.code, 0, result.stderr);
    const written = await readFile(output, 'utf8');
    assert.equal(body(written), body(await readFile(GOLDEN, 'utf8')));
    assert.match(written, /the mapping from .*git2gus\.json \(exported 2023-02-15T17:13:42\.743308\+00:00\),/);
    assert.match(written, /the column types from schema gus of (PostgreSQL at 127\.0\.0\.1:5432\/hc_test_|embedded PGlite in )/);
    assert.ok(!`${written}${result.stdout}${result.stderr}`.includes(PASSWORD));
    assert.match(result.stderr, /Wrote 3 hcTables to .*salesforce\.ts\./);
  });

  it('prints only the objects --only names, and refuses one the mapping lacks in one line', async () => {
    const one = await runCli(['pull', '--mapping', MAPPING, '--url', url, '--only', 'agf__adm_build__c'], { env: ENV });
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual([...one.stdout.matchAll(/^export const (\w+)/gm)].map((match) => match[1]), ['agfAdmBuild']);
    const unknown = await runCli(['pull', '--mapping', MAPPING, '--url', url, '--only', 'Account'], { env: ENV });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^hc-drizzle: The mapping has no object Account \(it maps agf__ADM_Build__c, agf__ADM_Change_List__c, agf__ADM_Work__c\)\.\n$/m);
  });

  it("exports the mapping from the app's connection through the API, in the connection's schema", async () => {
    const api = await startFakeConnectApi({
      token: TOKEN,
      connections: [{ id: '4a9a4c1e-0000-4000-8000-000000000001', app: 'gus-app', schemaName: 'gus', export: fixture.mapping }],
    });
    try {
      const result = await runWithApi(['pull', '--app', 'gus-app', '--url', url], { ...apiEnv(api), ...ENV });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(body(result.stdout), body(await readFile(GOLDEN, 'utf8')));
      assert.match(result.stdout, /the mapping from the export of connection gus-app:DATABASE_URL:gus \(4a9a4c1e-0000-4000-8000-000000000001\) of gus-app/);
      assert.ok(api.requests.some((request) => request.route === 'export' && request.authorized));
    } finally {
      await api.close();
    }
  });

  it('refuses in one line, exit 2: no mapping named, a file that is not an export, a schema the database lacks', async () => {
    const bad = `${WORK}bad.json`;
    await writeFile(bad, JSON.stringify({ mappings: [{ object_name: 'Account', config: { access: 'write_only', fields: {} } }] }));
    const cases: [string[], RegExp][] = [
      [['pull', '--url', url], /Say where the mapping is: --mapping <file\.json> \(an export\) or --app <app>/],
      [['pull', '--url', url, '--mapping', bad], /bad\.json is not a Heroku Connect mapping export: mappings\.0\.config\.access: /],
      [['pull', '--url', url, '--mapping', `${WORK}missing.json`], /Cannot read the mapping .*missing\.json: no such file\./],
      [['pull', '--url', url, '--mapping', MAPPING, '--hc-schema', 'nowhere'], /has no schema nowhere: name the connection's schema with --hc-schema\./],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { env: ENV });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').filter((line) => !line.includes('opening')).length, 1, result.stderr);
    }
  });

  it('diff exits 0 when the code, the mapping and the database agree, 1 on drift, with the same report as JSON', async () => {
    const schemaFile = `${WORK}schema.ts`;
    await writeFile(schemaFile, await readFile(GOLDEN, 'utf8'));
    const same = await runCli(['diff', '--schema', schemaFile, '--mapping', MAPPING, '--url', url], { env: ENV });
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, 'No drift: the code, the mapping and the database agree on 3 objects in gus.\n');

    const changed = `${WORK}changed.json`;
    const mapping = JSON.parse(await readFile(MAPPING, 'utf8')) as { mappings: { object_name: string; config: Record<string, unknown> }[] };
    mapping.mappings[0]!.config['sf_polling_seconds'] = 300;
    await writeFile(changed, JSON.stringify(mapping));
    await exec('alter table gus.agf__adm_build__c alter column name type varchar(120)');
    try {
      const drift = await runCli(['diff', '--schema', schemaFile, '--mapping', changed, '--url', url], { env: ENV });
      assert.equal(drift.code, 1, drift.stderr);
      assert.equal(
        drift.stdout.split('\n\n')[0],
        ['~ agf__ADM_Build__c  gus.agf__adm_build__c', '    ~ pollingSeconds: 300 → 600', '    ~ column name: varchar(120) → varchar(80)'].join('\n'),
      );
      const json = await runCli(['diff', '--schema', schemaFile, '--mapping', changed, '--url', url, '--json'], { env: ENV });
      assert.equal(json.code, 1, json.stderr);
      const report = JSON.parse(json.stdout) as { inSync: boolean; objects: { object: string; changes: { summary: string }[] }[] };
      assert.equal(report.inSync, false);
      assert.deepEqual(
        report.objects.map((object) => [object.object, object.changes.map((change) => change.summary)]),
        [['agf__ADM_Build__c', ['pollingSeconds: 300 → 600', 'column name: varchar(120) → varchar(80)']]],
      );
    } finally {
      await exec('alter table gus.agf__adm_build__c alter column name type varchar(80)');
    }
  });
});
