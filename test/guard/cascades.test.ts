/**
 * Writes that change a read-only hcTable through a foreign key's action
 * (ON DELETE/UPDATE CASCADE, SET NULL, SET DEFAULT) or TRUNCATE ... CASCADE:
 * refused before any SQL is sent, with the constraints really in the
 * database, on PGlite and (with DATABASE_URL) PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { integer, pgTable, serial, text, varchar } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { WriteNotSupportedError, guardReadOnly, hcTable, sfInteger, sfText, type AnyPgDatabase } from '../../src/index.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { withoutWriteRestrictions } from '../../src/testing/index.ts';

type Db = AnyPgDatabase;

const regions = pgTable('regions', { code: varchar('code', { length: 8 }).primaryKey(), label: text('label') });
const teams = pgTable('teams', {
  id: integer('id').primaryKey(),
  regionCode: varchar('region_code', { length: 8 }).references(() => regions.code, { onDelete: 'cascade' }),
  name: text('name'),
});
const notes = pgTable('notes', { id: serial('id').primaryKey(), body: text('body') });
/** Read-only; a delete of its region deletes it. */
const contact = hcTable('Contact', { region: sfText('Region__c', { length: 8 }).references(() => regions.code, { onDelete: 'cascade' }) });
/** Read-only; a team's delete nulls it, a change of the team's id follows into it. */
const task = hcTable('Task', {
  team: sfInteger('Team__c').references(() => teams.id, { onDelete: 'set null', onUpdate: 'cascade' }),
});

const SYSTEM = 'id serial primary key, sfid varchar(18) unique, systemmodstamp timestamp, isdeleted boolean, _hc_lastop varchar(32), _hc_err text';
const DDL = [
  'create schema salesforce',
  'create table regions (code varchar(8) primary key, label text)',
  'create table teams (id integer primary key, region_code varchar(8) references regions(code) on delete cascade, name text)',
  'create table notes (id serial primary key, body text)',
  `create table salesforce.contact (${SYSTEM}, region__c varchar(8) references regions(code) on delete cascade)`,
  `create table salesforce.task (${SYSTEM}, team__c integer references teams(id) on delete set null on update cascade)`,
  "insert into regions values ('EU', 'Europe'), ('US', 'States'), ('XX', 'unused')",
  "insert into teams values (1, 'EU', 'one'), (2, 'US', 'two')",
  "insert into notes (body) values ('a note')",
  "insert into salesforce.contact (sfid, region__c) values ('003000000000001', 'EU'), ('003000000000002', 'US')",
  "insert into salesforce.task (sfid, team__c) values ('00T000000000001', 1), ('00T000000000002', 2)",
];

interface Target {
  readonly name: string;
  readonly db: Db;
}

const targets: Target[] = [];
const closers: (() => Promise<unknown>)[] = [];
{
  const client = new PGlite();
  for (const statement of DDL) await client.exec(statement);
  targets.push({ name: 'pglite', db: drizzlePglite({ client }) as unknown as Db });
  closers.push(() => client.close());
  const url = process.env['DATABASE_URL'] || undefined;
  if (url !== undefined) {
    const database = await createTestDatabase({ url });
    for (const statement of DDL) await database.exec(statement);
    const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
    const direct = new URL(url);
    direct.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: direct.toString(), max: 2 });
    targets.push({ name: 'node-postgres', db: drizzleNodePg({ client: pool }) as unknown as Db });
    closers.unshift(() => pool.end(), () => database.close());
  }
}
after(async () => {
  for (const close of closers) await close();
});

async function everything(db: Db) {
  const read = async (table: string) => ((await db.execute(sql.raw(`select * from ${table} order by 1`))) as unknown as { rows: unknown[] }).rows;
  return { contact: await read('salesforce.contact'), task: await read('salesforce.task'), regions: await read('regions'), teams: await read('teams') };
}

function refusal(table: string) {
  return (error: unknown) => {
    assert.ok(error instanceof WriteNotSupportedError, `expected WriteNotSupportedError, got ${String(error)}`);
    assert.equal(error.table, table);
    return true;
  };
}

for (const target of targets) {
  describe(`cascades on ${target.name}`, () => {
    const db = guardReadOnly(target.db);

    /** `attempt` is refused (at once or as it runs), naming `table`, and nothing changed. */
    async function refused(table: string, attempt: () => unknown) {
      const before = await everything(target.db);
      await assert.rejects(async () => attempt(), refusal(table));
      assert.deepEqual(await everything(target.db), before);
    }

    test('a delete of an app row that a read-only table references ON DELETE CASCADE is refused', async () => {
      await refused('salesforce.contact', () => db.delete(regions).where(eq(regions.code, 'EU')));
      await refused('salesforce.contact', () => db.execute(sql`delete from regions where code = 'EU'`));
      await refused('salesforce.contact', () => db.execute("DELETE FROM public.regions WHERE code = 'US'"));
      await refused('salesforce.contact', () => db.execute(sql`with gone as (delete from ${regions} returning code) select * from gone`));
      // MERGE can delete (PostgreSQL 15+; PGlite is 17).
      await refused('salesforce.contact', () =>
        db.execute(sql`merge into regions r using (select 'EU' as code) s on r.code = s.code when matched then delete`),
      );
    });

    test('through an app table: a delete that cascades to teams, whose delete nulls a read-only task, is refused', async () => {
      await refused('salesforce.task', () => db.delete(teams).where(eq(teams.id, 1)));
      // regions → teams (ON DELETE CASCADE) → task (ON DELETE SET NULL); contact is reached first here.
      await refused('salesforce.contact', () => db.delete(regions));
    });

    test('an update of a referenced column with ON UPDATE CASCADE is refused; other columns are not', async () => {
      await refused('salesforce.task', () => db.update(teams).set({ id: 10 }).where(eq(teams.id, 1)));
      await refused('salesforce.task', () => db.execute(sql`update teams set name = 'x', id = id + 100`));
      await refused('salesforce.task', () => db.execute(sql`update teams as t set (name, id) = ('y', 7) where t.id = 2`));
      // An upsert's DO UPDATE is an update too.
      await refused('salesforce.task', () =>
        db.execute(sql`insert into teams (id, name) values (1, 'one') on conflict (id) do update set id = 11`),
      );
      await refused('salesforce.task', () =>
        db.insert(teams).values({ id: 2, name: 'two' }).onConflictDoUpdate({ target: teams.id, set: { id: 12 } }),
      );
      await db.insert(teams).values({ id: 2, name: 'two' }).onConflictDoUpdate({ target: teams.id, set: { name: 'two' } });
      await db.update(teams).set({ name: 'renamed' }).where(eq(teams.id, 1));
      await db.execute(sql`update teams set region_code = 'US' where id = 1`);
      await db.update(regions).set({ label: 'Europa' }).where(eq(regions.code, 'EU'));
      const rows = await everything(target.db);
      assert.deepEqual(
        (rows.teams as { id: number; name: string; region_code: string }[]).map(({ id, name, region_code }) => [id, name, region_code]),
        [[1, 'renamed', 'US'], [2, 'two', 'US']],
      );
      await db.execute(sql`update teams set region_code = 'EU', name = 'one' where id = 1`);
    });

    test('TRUNCATE ... CASCADE of a table a read-only table references is refused, also inside code', async () => {
      await refused('salesforce.contact', () => db.execute(sql`truncate regions cascade`));
      await refused('salesforce.contact', () => db.execute(sql`TRUNCATE TABLE ONLY notes, public.regions RESTART IDENTITY CASCADE`));
      await refused('salesforce.task', () => db.execute(sql`truncate teams cascade`));
      await refused('salesforce.contact', () => db.execute(sql`do $$ begin truncate regions cascade; end $$`));
      await refused('salesforce.contact', () =>
        db.execute(sql`create function wipe() returns void language plpgsql as $$ begin execute 'truncate regions cascade'; end $$`),
      );
      // Without CASCADE PostgreSQL refuses it itself; a table nothing read-only references is free.
      await db.execute(sql`truncate notes cascade`);
      await db.execute(sql`insert into notes (body) values ('a note')`);
    });

    test('DDL adding a foreign key with a changing action to a read-only table, or to a table whose changes reach one, is refused', async () => {
      await refused('salesforce.contact', () =>
        db.execute(sql`alter table salesforce.contact add constraint contact_region foreign key (region__c) references regions (code) on delete set null`),
      );
      await refused('salesforce.task', () =>
        db.execute(sql`ALTER TABLE IF EXISTS ONLY salesforce.task ADD COLUMN owner_team integer REFERENCES teams (id) ON UPDATE CASCADE`),
      );
      // teams' deletes reach task: a new cascade into teams would reach it too.
      await refused('salesforce.task', () =>
        db.execute(sql`alter table teams add column note_id integer references notes (id) on delete cascade`),
      );
      // A foreign key with no action, or one on a table that reaches nothing read-only, is DDL the guard lets through.
      await db.execute(sql`alter table notes add column team_id integer references teams (id) on delete cascade`);
      await db.execute(sql`alter table notes drop column team_id`);
    });

    test('reads, inserts and unrelated writes run as before; withoutWriteRestrictions lifts the cascade refusals too', async () => {
      assert.equal((await db.select().from(regions)).length, 3);
      await db.insert(regions).values({ code: 'NEW', label: 'new' });
      await db.execute(sql`delete from notes where body = 'nothing'`);
      // A delete of regions is refused whichever rows it names: the guard cannot see which rows reference them.
      await refused('salesforce.contact', () => db.delete(regions).where(eq(regions.code, 'NEW')));
      await withoutWriteRestrictions(() => db.delete(regions).where(eq(regions.code, 'NEW')));
      assert.equal((await db.select().from(regions)).length, 3);
    });
  });
}
