/**
 * The tables and databases the guard tests run on: PGlite always; with
 * DATABASE_URL, a fresh PostgreSQL database reached through node-postgres,
 * through @neondatabase/serverless over a loopback WebSocket proxy, and
 * through neon-http against a loopback SQL-over-HTTP endpoint.
 */
import { PGlite } from '@electric-sql/pglite';
import { hstore } from '@electric-sql/pglite/contrib/hstore';
import { neon, Pool as NeonPool } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNeonHttp } from 'drizzle-orm/neon-http';
import { drizzle as drizzleNeon } from 'drizzle-orm/neon-serverless';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migrateNeonHttp } from 'drizzle-orm/neon-http/migrator';
import { migrate as migrateNeon } from 'drizzle-orm/neon-serverless/migrator';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { READ_WRITE, hcTable, sfExternalId, sfText } from '../../src/index.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { queryOption, type DatabaseWithQuery } from '../support/drizzle-version.ts';
import { startNeonHttpEndpoint } from '../support/neon-http-endpoint.ts';
import { startNeonProxy, useLocalNeon } from '../support/neon-proxy.ts';

/** Read-only (the default). */
export const user = hcTable('User', { name: sfText('Name') });
/** Read-only, in a schema of its own. */
export const lead = hcTable('Lead', { company: sfText('Company') }, { schema: 'sfdc' });
/** Read-write. */
export const account = hcTable(
  'Account',
  { name: sfText('Name'), externalId: sfExternalId('External_ID__c') },
  { access: READ_WRITE },
);
/** The application's own table. */
export const note = pgTable('note', { id: serial('id').primaryKey(), body: text('body').notNull() });

/** The application's own table in public, sharing the read-only hcTable's name (Drizzle renders it unqualified). */
export const appUser = pgTable('user', { id: serial('id').primaryKey(), name: text('name') });

export const schema = { user, lead, account, note };

const DDL = [
  'create schema salesforce',
  'create schema sfdc',
  `create table salesforce."user" (id serial primary key, sfid varchar(18) unique, systemmodstamp timestamp,
     _hc_lastop varchar(32), _hc_err text, name varchar(255))`,
  `create table sfdc.lead (id serial primary key, sfid varchar(18) unique, systemmodstamp timestamp, isdeleted boolean,
     _hc_lastop varchar(32), _hc_err text, company varchar(255))`,
  `create table salesforce.account (id serial primary key, sfid varchar(18) unique, systemmodstamp timestamp,
     isdeleted boolean, _hc_lastop varchar(32), _hc_err text, name varchar(255), external_id__c varchar(32) unique)`,
  'create table note (id serial primary key, body text not null)',
  'create table public."user" (id serial primary key, name text)',
  `insert into salesforce."user" (sfid, name) values ('005000000000001', 'Ada'), ('005000000000002', 'Grace')`,
  `insert into sfdc.lead (sfid, company) values ('00Q000000000001', 'Initech')`,
];

/** The database types the guard accepts, as each driver makes them. */
function makeDatabases(pool: pg.Pool, neonPool: NeonPool, neonHttpUrl: string) {
  return {
    nodePg: drizzleNodePg({ client: pool, ...queryOption(schema) }),
    neon: drizzleNeon({ client: neonPool, ...queryOption(schema) }),
    neonHttp: drizzleNeonHttp({ client: neon(neonHttpUrl), ...queryOption(schema) }),
  };
}
/** What every target's database is, whatever its driver. */
export type TargetDb = DatabaseWithQuery<typeof schema>;
/** The neon-http database, for what only it has (`batch`, `$withAuth`). */
export type NeonHttpDb = ReturnType<typeof makeDatabases>['neonHttp'];

export interface GuardTarget {
  readonly name: 'pglite' | 'node-postgres' | 'neon-serverless' | 'neon-http';
  /** An unguarded database, for comparisons and for reading after a refusal. */
  readonly db: TargetDb;
  readonly transactions: boolean;
  /** drizzle-orm's own `migrate()` for this driver. */
  migrate(db: TargetDb, config: { migrationsFolder: string }): Promise<unknown>;
}

// Each driver's migrate() takes its own db type; a guarded db of any target is one.
type Migrate = GuardTarget['migrate'];

export interface GuardTargets {
  readonly targets: GuardTarget[];
  /** Present with DATABASE_URL. */
  readonly neonHttp: NeonHttpDb | undefined;
  close(): Promise<void>;
}

/** Open every target, each with the tables above created and two users and a lead in it. */
export async function openGuardTargets(): Promise<GuardTargets> {
  // hstore, as Heroku Connect's schemas have it (the pull tests build one here too).
  const client = new PGlite({ extensions: { hstore } });
  for (const statement of DDL) await client.exec(statement);
  const targets: GuardTarget[] = [{ name: 'pglite', db: drizzlePglite({ client, ...queryOption(schema) }), transactions: true, migrate: migratePglite as Migrate }];
  const closers: (() => Promise<unknown>)[] = [() => client.close()];
  let neonHttp: NeonHttpDb | undefined;

  const url = process.env['DATABASE_URL'] || undefined;
  if (url !== undefined) {
    const database = await createTestDatabase({ url });
    closers.unshift(() => database.close());
    for (const statement of DDL) await database.exec(statement);
    const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
    const direct = new URL(url);
    direct.pathname = `/${name}`;
    // The Neon client only speaks to the local server, by address (the proxy and endpoint allow nothing else).
    const local = `postgres://${direct.username || 'postgres'}:${direct.password || 'local'}@127.0.0.1:5432/${name}`;

    const proxy = await startNeonProxy();
    const endpoint = await startNeonHttpEndpoint();
    useLocalNeon(proxy, endpoint.port);

    const pool = new pg.Pool({ connectionString: direct.toString(), max: 4 });
    const neonPool = new NeonPool({ connectionString: local, max: 4 });
    const databases = makeDatabases(pool, neonPool, local);
    neonHttp = databases.neonHttp;
    targets.push(
      { name: 'node-postgres', db: databases.nodePg, transactions: true, migrate: migrateNodePg as Migrate },
      { name: 'neon-serverless', db: databases.neon, transactions: true, migrate: migrateNeon as Migrate },
      { name: 'neon-http', db: databases.neonHttp, transactions: false, migrate: migrateNeonHttp as unknown as Migrate },
    );
    closers.unshift(
      () => pool.end(),
      () => neonPool.end(),
      () => proxy.close(),
      () => endpoint.close(),
    );
  }
  return {
    targets,
    neonHttp,
    close: async () => {
      for (const close of closers) await close();
    },
  };
}

/** Every row of a table, in id order: what a refused write must leave unchanged. */
export async function rowsOf(db: TargetDb, table: 'salesforce."user"' | 'sfdc.lead' | 'salesforce.account' | 'note' | 'public."user"') {
  const result = (await db.execute(sql.raw(`select * from ${table} order by id`))) as unknown as { rows: unknown[] };
  return result.rows;
}
