/**
 * `hc-drizzle feed install | status | parked | retry | dismiss`, run as a
 * process: on a fresh PostgreSQL database when DATABASE_URL is set (each
 * process then starts in a second), else on embedded PGlite.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subscribeChanges } from 'hc-drizzle/feed';
import { openDatabase, type OpenDatabase } from 'hc-drizzle/node';
import { setupTestDatabase } from 'hc-drizzle/testing';
import { asHerokuConnect } from 'hc-drizzle/trigger-log';
import { runCli } from '../support/cli.ts';
import { collector } from './fixtures.ts';

const core = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

const serverUrl = process.env['DATABASE_URL'] || undefined;

describe('hc-drizzle feed', () => {
  let cwd: string;
  let server: OpenDatabase | undefined;
  let env: Record<string, string | undefined> = { DATABASE_URL: undefined };
  let where: string;
  /** The database the commands use, opened in this process. */
  const openTarget = () => (server === undefined ? openDatabase({ pgliteDir: join(cwd, '.hc-drizzle/pglite') }) : Promise.resolve(server));
  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'hc-feed-cli-'));
    await writeFile(
      join(cwd, 'salesforce.ts'),
      `import { hcTable, sfText, READ_WRITE } from ${JSON.stringify(core)};
export const account = hcTable('Account', { name: sfText('Name') }, { access: READ_WRITE });
export const contact = hcTable('Contact', { lastName: sfText('LastName') });
`,
    );
    if (serverUrl === undefined) {
      const created = await runCli(['dev-schema', '--schema', 'salesforce.ts'], { cwd, env });
      assert.equal(created.code, 0, created.stderr);
      where = `embedded PGlite in ${join(cwd, '.hc-drizzle/pglite')}`;
    } else {
      const { account, contact } = (await import(join(cwd, 'salesforce.ts'))) as Record<string, unknown>;
      server = await setupTestDatabase({ account, contact }, { url: serverUrl });
      const [{ name }] = (await server.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      env = { DATABASE_URL: url.toString() };
      where = server.description;
    }
  });
  after(async () => {
    await server?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('installs on every hcTable, then reports them in place', async () => {
    const first = await runCli(['feed', 'install', '--schema', 'salesforce.ts', '--group', 'billing'], { cwd, env });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      first.stdout,
      `installed   salesforce.account (Account)\ninstalled   salesforce.contact (Contact)\nThe change feed captures 2 tables in ${where}, keeping changes for billing.\n`,
    );
    const again = await runCli(['feed', 'install', '--schema', 'salesforce.ts', '--only', 'account'], { cwd, env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `ok          salesforce.account (Account)\nThe change feed captures 1 table in ${where}.\n`);
  });

  it('refuses an unknown object and a dismiss without a selection, in one line, exit 2', async () => {
    const unknown = await runCli(['feed', 'install', '--schema', 'salesforce.ts', '--only', 'Lead'], { cwd, env });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'hc-drizzle: --only names Lead, which no hcTable maps (there are: Account, Contact).\n');
    const dismiss = await runCli(['feed', 'dismiss'], { cwd, env });
    assert.equal(dismiss.code, 2);
    assert.equal(dismiss.stderr, 'hc-drizzle: feed dismiss needs --group, --table or --id, or --all to dismiss every parked change.\n');
  });

  it('names the subcommands when given none or an unknown one, exit 2, and explains them with --help', async () => {
    const none = await runCli(['feed'], { cwd, env });
    assert.equal(none.code, 2);
    assert.equal(none.stderr, "hc-drizzle: feed needs a subcommand: install, status, parked, retry or dismiss. Run 'hc-drizzle feed --help' for usage.\n");
    const typo = await runCli(['feed', 'instal'], { cwd, env });
    assert.equal(typo.code, 2);
    assert.equal(typo.stderr, `hc-drizzle: feed has no subcommand "instal": install, status, parked, retry or dismiss. Run 'hc-drizzle feed --help' for usage.\n`);
    const help = await runCli(['feed', '--help'], { cwd, env });
    assert.equal(help.code, 0, help.stderr);
    for (const word of ['feed install', 'feed status', 'feed parked', 'feed retry', 'feed dismiss']) assert.ok(help.stdout.includes(word), word);
  });

  it('shows a parked change in status and parked, and retries it', async () => {
    // A billing subscriber whose handler rejects the first change: parked after one attempt.
    const database = await openTarget();
    try {
      const { account } = (await import(join(cwd, 'salesforce.ts'))) as { account: typeof import('./fixtures.ts').account };
      const errors = collector<Error>();
      const subscription = await subscribeChanges({
        pool: database.db,
        tables: [account],
        group: 'billing',
        maxAttempts: 1,
        onError: (error) => errors.push(error),
        handler: () => {
          throw new Error('billing is down');
        },
      });
      await asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: '001000000000001AAA', name: 'Acme' }));
      await errors.until(1);
      await subscription.stop();
    } finally {
      if (database !== server) await database.close();
    }

    const status = await runCli(['feed', 'status'], { cwd, env });
    assert.equal(status.code, 1, status.stderr);
    assert.match(status.stdout, /^table salesforce\.account: capturing, last checked \S+\n/m);
    assert.match(status.stdout, /^group billing \(salesforce\.account, salesforce\.contact\): 0 pending, 0 active, 1 parked, 0 handled and kept\n/m);

    const parked = await runCli(['feed', 'parked', '--group', 'billing', '--json'], { cwd, env });
    assert.equal(parked.code, 0, parked.stderr);
    const [change, ...more] = JSON.parse(parked.stdout) as { id: string; op: string; row: { name: string }; lastError: string }[];
    assert.equal(more.length, 0);
    assert.deepEqual([change?.op, change?.row.name, change?.lastError], ['insert', 'Acme', 'Error: billing is down']);

    const retried = await runCli(['feed', 'retry', '--id', change!.id], { cwd, env });
    assert.equal(retried.code, 0, retried.stderr);
    assert.equal(retried.stdout, `Queued 1 parked change again in ${where}.\n`);
  });
});
