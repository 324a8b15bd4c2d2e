/**
 * `hc-drizzle load-remote-schema` as a process: the fake heroku CLI gives the
 * URL of a database on the local PostgreSQL, the real pg_dump dumps it
 * through a shim that records what pg_dump received.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { parseCredentialsUrl } from '../../src/connect/remote-schema.ts';
import { credentialsUrlOutput, installFakeHerokuCli, type FakeHerokuCli } from '../../src/testing/fake-heroku-cli.ts';
import { runCli } from '../support/cli.ts';

const SERVER = process.env['HC_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NAME = `hc_remote_${process.pid}`;
const PASSWORD = 'p@ss:w/rd%?#é';
const REAL_PG_DUMP = '/usr/bin/pg_dump';

async function admin(sql: string, database = 'postgres') {
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('hc-drizzle load-remote-schema', () => {
  let heroku: FakeHerokuCli;
  let shimDir: string;
  let emptyDir: string;
  const databaseUrl = `postgres://${NAME}:${encodeURIComponent(PASSWORD)}@127.0.0.1:5432/${NAME}`;
  const env = (path: string) => ({ PATH: path, HEROKU_APP_NAME: undefined, HEROKU_CONNECT_SCHEMA: undefined, PGPASSWORD: undefined });
  const fullPath = () => [heroku.dir, shimDir].join(delimiter);

  before(async () => {
    await admin(`drop database if exists ${NAME}`);
    await admin(`drop role if exists ${NAME}`);
    await admin(`create role ${NAME} login password '${PASSWORD.replaceAll("'", "''")}'`);
    await admin(`create database ${NAME} owner ${NAME}`);
    await admin(
      `create schema salesforce authorization ${NAME};
       create table salesforce.account (id serial primary key, sfid varchar(18), name varchar(255));
       create schema other authorization ${NAME};
       create table other.not_wanted (id integer);
       alter table other.not_wanted owner to ${NAME};
       alter table salesforce.account owner to ${NAME};`,
      NAME,
    );
    heroku = await installFakeHerokuCli({ commands: { 'pg:credentials:url': { stdout: credentialsUrlOutput(databaseUrl) } } }, '');
    shimDir = await mkdtemp(join(tmpdir(), 'hc-pg-dump-shim-'));
    emptyDir = await mkdtemp(join(tmpdir(), 'hc-empty-path-'));
    // Records pg_dump's argv (one argument a line) and the PGPASSWORD it got, then runs the real one.
    await writeFile(
      join(shimDir, 'pg_dump'),
      `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg"; done > "${shimDir}/argv"\nprintf '%s' "$PGPASSWORD" > "${shimDir}/pgpassword"\nexec ${REAL_PG_DUMP} "$@"\n`,
    );
    await chmod(join(shimDir, 'pg_dump'), 0o755);
  });

  after(async () => {
    await admin(`drop database if exists ${NAME} with (force)`);
    await admin(`drop role if exists ${NAME}`);
    await heroku.remove();
    await rm(shimDir, { recursive: true, force: true });
    await rm(emptyDir, { recursive: true, force: true });
  });

  it('prints the schema DDL, with the password only in PGPASSWORD', async () => {
    const result = await runCli(['load-remote-schema', '--app', 'my-app'], { env: env(fullPath()) });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /CREATE TABLE salesforce\.account \(/);
    assert.doesNotMatch(result.stdout, /not_wanted/);
    assert.doesNotMatch(result.stdout, /OWNER TO/);
    assert.deepEqual((await heroku.calls()).at(-1), ['pg:credentials:url', '--app', 'my-app']);
    const argv = (await readFile(join(shimDir, 'argv'), 'utf8')).trimEnd().split('\n');
    assert.deepEqual(argv, [
      '--schema-only',
      '--no-owner',
      '--schema=salesforce',
      '--host=127.0.0.1',
      '--port=5432',
      `--username=${NAME}`,
      `--dbname=${NAME}`,
    ]);
    assert.equal(await readFile(join(shimDir, 'pgpassword'), 'utf8'), PASSWORD);
    for (const output of [result.stdout, result.stderr]) assert.ok(!output.includes(PASSWORD) && !output.includes('p@ss'));
  });

  it('dumps the schema given with --schema', async () => {
    const result = await runCli(['load-remote-schema', '--app', 'my-app', '--schema', 'other'], { env: env(fullPath()) });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /CREATE TABLE other\.not_wanted/);
    assert.doesNotMatch(result.stdout, /salesforce\.account/);
  });

  it('also takes a URL the CLI printed without percent-encoding the password', async () => {
    await heroku.script({
      commands: { 'pg:credentials:url': { stdout: `Connection URL:\n   postgres://${NAME}:${PASSWORD}@127.0.0.1:5432/${NAME}\n` } },
    });
    try {
      const result = await runCli(['load-remote-schema', '--app', 'my-app'], { env: env(fullPath()) });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(await readFile(join(shimDir, 'pgpassword'), 'utf8'), PASSWORD);
    } finally {
      await heroku.script({ commands: { 'pg:credentials:url': { stdout: credentialsUrlOutput(databaseUrl) } } });
    }
  });

  it('says so when heroku is not on PATH', async () => {
    const result = await runCli(['load-remote-schema', '--app', 'my-app'], { env: env(emptyDir) });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^hc-drizzle: heroku was not found on PATH: install the Heroku CLI/);
  });

  it('passes on the heroku CLI failure', async () => {
    const failing = await installFakeHerokuCli({ stderr: ' ›   Error: Couldn\'t find that app.\n', exitCode: 1 }, '');
    try {
      const result = await runCli(['load-remote-schema', '--app', 'no-such-app'], { env: env([failing.dir, shimDir].join(delimiter)) });
      assert.equal(result.code, 1);
      assert.equal(result.stderr, "hc-drizzle: heroku pg:credentials:url failed (exit 1): ›   Error: Couldn't find that app.\n");
    } finally {
      await failing.remove();
    }
  });

  it('says so when pg_dump is not on PATH', async () => {
    const result = await runCli(['load-remote-schema', '--app', 'my-app'], { env: env(heroku.dir) });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^hc-drizzle: pg_dump was not found on PATH: install the PostgreSQL client tools/);
  });

  it('passes on the pg_dump failure without the password', async () => {
    const missing = await installFakeHerokuCli(
      { stdout: credentialsUrlOutput(`postgres://${NAME}:${encodeURIComponent(PASSWORD)}@127.0.0.1:5432/${NAME}_missing`) },
      '',
    );
    try {
      const result = await runCli(['load-remote-schema', '--app', 'my-app'], { env: env([missing.dir, shimDir].join(delimiter)) });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^hc-drizzle: pg_dump --schema-only failed \(exit 1\): .*does not exist/);
      assert.ok(!result.stderr.includes('p@ss'));
    } finally {
      await missing.remove();
    }
  });

  it('refuses output without a postgres URL', async () => {
    await heroku.script({ stdout: 'Please log in with heroku login.\n' });
    try {
      const result = await runCli(['load-remote-schema', '--app', 'my-app'], { env: env(fullPath()) });
      assert.equal(result.code, 2);
      assert.equal(result.stderr, 'hc-drizzle: The heroku CLI printed no usable postgres:// URL for the database.\n');
    } finally {
      await heroku.script({ commands: { 'pg:credentials:url': { stdout: credentialsUrlOutput(databaseUrl) } } });
    }
  });
});

describe('parseCredentialsUrl', () => {
  it('decodes percent-encoded parts and keeps sslmode', () => {
    assert.deepEqual(parseCredentialsUrl('Connection URL:\n   postgres://u%40x:a%2Fb%3Ac@db.example.com:6543/d%20b?sslmode=require\n'), {
      host: 'db.example.com',
      port: '6543',
      user: 'u@x',
      password: 'a/b:c',
      database: 'd b',
      sslmode: 'require',
    });
  });

  it('takes the last URL and defaults the port', () => {
    const parsed = parseCredentialsUrl('postgres://a:b@old/x\npostgresql://c:d@[::1]/y\n');
    assert.deepEqual([parsed.host, parsed.port, parsed.user, parsed.database], ['::1', '5432', 'c', 'y']);
  });
});
