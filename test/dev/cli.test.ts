/** `hc-drizzle dev-schema`, run as a process. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { openDatabase, type OpenDatabase } from '../../src/node/database.ts';
import { urlOf } from '../support/databases.ts';

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

  it('judges "this machine" by where node-postgres connects: PGHOST, ?host= and hostaddr count, not only the URL authority', async () => {
    const refusals: Array<[string, Record<string, string | undefined>, RegExp]> = [
      // The URL names no host: node-postgres connects to PGHOST.
      ['postgres:///x', { PGHOST: 'db.example.com' }, /at db\.example\.com:5432\/x /],
      ['postgres://postgres@/x?host=db.example.com', { PGHOST: undefined }, /at db\.example\.com:5432\/x /],
      ['postgres://postgres@localhost/x?host=db.example.com', { PGHOST: undefined }, /at db\.example\.com:5432\/x /],
      ['postgres://postgres@127.0.0.1/x?hostaddr=10.1.2.3', { PGHOST: undefined }, /\(hostaddr 10\.1\.2\.3\)/],
      ['postgres://postgres@127.0.0.1/x', { PGHOST: undefined, PGHOSTADDR: '10.1.2.3' }, /\(hostaddr 10\.1\.2\.3\)/],
    ];
    for (const [url, extra, where] of refusals) {
      const result = await runCli(['dev-schema', '--force', '--schema', 'salesforce.ts'], { cwd, env: { DATABASE_URL: url, ...extra } });
      assert.equal(result.code, 2, `${url}: ${result.stderr}`);
      assert.match(result.stderr, /^hc-drizzle: Refusing --force on a database that is not on this machine/, url);
      assert.match(result.stderr, where, url);
      assert.doesNotMatch(result.stderr, /opening/, `${url}: nothing is opened`);
      assert.equal(result.stdout, '');
    }
  });

  it('refuses an empty, http: or schemeless --url without creating anything', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'hc-dev-schema-url-'));
    try {
      await writeFile(join(empty, 'salesforce.ts'), `import { hcTable, sfText } from ${JSON.stringify(core)};\nexport const a = hcTable('Account', { name: sfText('Name') });\n`);
      for (const url of ['', 'http://x', 'garbage', 'pglite:']) {
        const result = await runCli(['dev-schema', '--url', url, '--schema', 'salesforce.ts'], { cwd: empty, env: { DATABASE_URL: undefined } });
        assert.equal(result.code, 2, `${JSON.stringify(url)}: ${result.stderr}`);
        assert.equal(result.stderr.split('\n').length, 2, result.stderr);
        assert.ok(!existsSync(join(empty, '.hc-drizzle')), `${JSON.stringify(url)} made no PGlite folder`);
        assert.ok(!existsSync(join(empty, url.replace(/[^a-z]/g, '') || 'none')), `${JSON.stringify(url)} made no folder named after it`);
      }
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('refuses --also-drop and --yes-drop-remote without --force, as they would mean nothing', async () => {
    for (const [flag, ...rest] of [['--also-drop', 'view public.x'], ['--yes-drop-remote']] as const) {
      const result = await runCli(['dev-schema', flag, ...rest, '--url', 'pglite:memory://', '--schema', 'salesforce.ts'], { cwd, env: { DATABASE_URL: undefined } });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr, `hc-drizzle: ${flag} only applies with --force (nothing is dropped without it).\n`);
    }
  });

  it('refuses a PGlite folder that holds other files, or is a file, without writing into it', async () => {
    const project = await mkdtemp(join(tmpdir(), 'hc-dev-schema-folder-'));
    try {
      await writeFile(join(project, 'salesforce.ts'), `import { hcTable, sfText } from ${JSON.stringify(core)};\nexport const a = hcTable('Account', { name: sfText('Name') });\n`);
      await writeFile(join(project, 'notes.txt'), 'mine');
      const here = await runCli(['dev-schema', '--url', 'pglite:.', '--schema', 'salesforce.ts'], { cwd: project, env: { DATABASE_URL: undefined } });
      assert.equal(here.code, 2, here.stderr);
      assert.match(here.stderr, /^hc-drizzle: The PGlite folder .* holds other files \(notes\.txt, salesforce\.ts\) and no database: name a new or empty folder/m);
      assert.ok(!existsSync(join(project, 'PG_VERSION')) && !existsSync(join(project, 'base')), 'no data directory among the files');
      const file = await runCli(['dev-schema', '--url', 'pglite:notes.txt', '--schema', 'salesforce.ts'], { cwd: project, env: { DATABASE_URL: undefined } });
      assert.equal(file.code, 2, file.stderr);
      assert.match(file.stderr, /The PGlite folder .*notes\.txt is a file/);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
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

  // Objects of the app that `drop schema salesforce cascade` would take with it.
  const appObjects = `
create table public.orders (id serial primary key, account_sfid varchar(18) constraint orders_account_fk references salesforce.account(sfid));
create view public.account_names as select name from salesforce.account;
create materialized view public.account_count as select count(*) as n from salesforce.account;
create table public.unrelated (id int);`;

  // Each opened for one look at a time, so the CLI process and the test never hold PGlite's folder together.
  const databases: Array<{ name: string; open: () => Promise<{ url: string; close: () => Promise<void> }> }> = [
    {
      name: 'PGlite',
      open: async () => {
        const folder = await mkdtemp(join(tmpdir(), 'hc-dev-schema-cascade-'));
        return { url: `pglite:${folder}`, close: () => rm(folder, { recursive: true, force: true }) };
      },
    },
  ];
  const serverUrl = process.env['DATABASE_URL'] || undefined;
  if (serverUrl !== undefined) {
    databases.push({
      name: 'PostgreSQL',
      open: async () => {
        const database = await createTestDatabase({ url: serverUrl });
        return { url: await urlOf(database, serverUrl), close: () => database.close() };
      },
    });
  }
  for (const target of databases) {
    it(`on ${target.name}, refuses --force when the drop would cascade to app objects outside the schema, and drops only those named`, async () => {
      const { url, close } = await target.open();
      const look = async <T>(work: (db: OpenDatabase) => Promise<T>): Promise<T> => {
        const db = await (url.startsWith('pglite:') ? openDatabase({ pgliteDir: url.slice('pglite:'.length) }) : openDatabase({ url }));
        try {
          return await work(db);
        } finally {
          await db.close();
        }
      };
      try {
        const env = { DATABASE_URL: undefined };
        const devSchema = (...args: string[]) => runCli(['dev-schema', '--url', url, '--schema', 'salesforce.ts', ...args], { cwd, env });
        const created = await devSchema();
        assert.equal(created.code, 0, created.stderr);
        await look(async (db) => {
          await db.exec(appObjects);
          await db.exec(`insert into salesforce.account (sfid, name) values ('001000000000001AAA', 'Kept')`);
        });

        const refused = await devSchema('--force');
        assert.equal(refused.code, 2, refused.stderr);
        const message = refused.stderr.split('\n').filter((line) => !line.includes('opening'));
        assert.equal(message.length, 2, refused.stderr);
        assert.match(
          message[0]!,
          /^hc-drizzle: Refusing --force: dropping salesforce would also drop 3 objects Heroku Connect did not make \(materialized view public\.account_count; table constraint orders_account_fk on public\.orders; view public\.account_names\); nothing was dropped/,
        );
        assert.match(message[0]!, /--also-drop "view public\.account_names"/);

        // Naming only some of them is still a refusal, naming the rest of them.
        const partly = await devSchema('--force', '--also-drop', 'view public.account_names');
        assert.equal(partly.code, 2, partly.stderr);
        assert.match(partly.stderr, /would also drop 2 objects Heroku Connect did not make \(materialized view public\.account_count; table constraint orders_account_fk on public\.orders\)/);

        await look(async (db) => {
          assert.deepEqual(await db.query(`select name from salesforce.account`), [{ name: 'Kept' }]);
          assert.equal((await db.query(`select 1 from pg_views where viewname = 'account_names'`)).length, 1);
        });

        const allowed = await devSchema(
          '--force',
          '--also-drop',
          'view public.account_names',
          '--also-drop',
          'public.account_count',
          '--also-drop',
          'table constraint orders_account_fk on public.orders',
        );
        assert.equal(allowed.code, 0, allowed.stderr);
        assert.match(allowed.stdout, /^Dropped and recreated the schema salesforce/);
        await look(async (db) => {
          assert.deepEqual(await db.query(`select name from salesforce.account`), []);
          assert.deepEqual(
            (await db.query<{ c: string }>(`select relname as c from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'v', 'm') order by 1`)).map((row) => row.c),
            ['orders', 'unrelated'],
          );
          assert.deepEqual(await db.query(`select conname from pg_constraint where conrelid = 'public.orders'::regclass and contype = 'f'`), []);
        });
      } finally {
        await close();
      }
    });
  }
});
