/**
 * The development schema behaves like Heroku Connect's (heroku-connect.md
 * §2.3–§3.4): what the triggers log for an application's writes, what they
 * leave alone for Heroku Connect's own, and how the schema is (re)created.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { hcTable, sfText } from 'hc-drizzle';
import { createDevelopmentSchema, DependentObjectsError, dependentName, SchemaExistsError } from 'hc-drizzle/dev';
import { asHerokuConnect, parseHstore, triggerLog } from 'hc-drizzle/trigger-log';
import type { OpenDatabase } from '../../src/node/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { account, contact, user } from '../trigger-log/fixtures.ts';

const schema = { account, contact, user };

for (const target of databaseTargets()) {
  describe(`development schema on ${target.name}`, () => {
    let database: OpenDatabase;
    before(async () => {
      database = await target.open();
      const result = await createDevelopmentSchema(database, schema);
      assert.deepEqual(result, {
        created: true,
        dropped: false,
        schemas: ['salesforce'],
        tables: ['salesforce.account', 'salesforce.contact', 'salesforce.user'],
      });
    });
    after(() => database.close());
    beforeEach(() => database.exec('truncate salesforce.account, salesforce.contact, salesforce."user", salesforce._trigger_log restart identity'));

    const logs = () => database.db.select().from(triggerLog).orderBy(triggerLog.id);

    it('creates the tables with Heroku Connect index names, the trigger log, and the procedures', async () => {
      const indexes = await database.query<{ indexname: string }>(
        `select indexname from pg_indexes where schemaname = 'salesforce' and tablename in ('account', 'contact', '_trigger_log', '_trigger_log_archive') order by 1`,
      );
      assert.deepEqual(
        indexes.map((row) => row.indexname),
        [
          '_trigger_log_archive_idx_created_at',
          '_trigger_log_archive_idx_record_id',
          '_trigger_log_archive_idx_state_table_name',
          '_trigger_log_archive_pkey',
          '_trigger_log_idx_created_at',
          '_trigger_log_idx_state_id',
          '_trigger_log_idx_state_table_name',
          '_trigger_log_pkey',
          'account_pkey',
          'contact_pkey',
          'hc_idx_account_systemmodstamp',
          'hc_idx_contact_accountid',
          'hc_idx_contact_systemmodstamp',
          'hcu_idx_account_external_id__c',
          'hcu_idx_account_sfid',
          'hcu_idx_contact_external_id__c',
          'hcu_idx_contact_sfid',
        ],
      );
      const functions = await database.query<{ proname: string; args: string }>(
        `select proname, pg_get_function_arguments(p.oid) as args from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where nspname = 'salesforce' and proname like 'hc_capture%' order by 1`,
      );
      assert.deepEqual(functions, [
        { proname: 'hc_capture_insert_from_row', args: "source_row hstore, table_name character varying, excluded_cols text[] DEFAULT '{}'::text[]" },
        { proname: 'hc_capture_update_from_row', args: "source_row hstore, table_name character varying, columns_to_include text[] DEFAULT '{}'::text[]" },
      ]);
      const columns = await database.query<{ column_name: string; data_type: string; is_nullable: string }>(
        `select column_name, data_type, is_nullable from information_schema.columns where table_schema = 'salesforce' and table_name = 'user' order by ordinal_position`,
      );
      assert.deepEqual(columns, [
        { column_name: 'id', data_type: 'integer', is_nullable: 'NO' },
        { column_name: 'sfid', data_type: 'character varying', is_nullable: 'YES' },
        { column_name: 'systemmodstamp', data_type: 'timestamp without time zone', is_nullable: 'YES' },
        { column_name: '_hc_lastop', data_type: 'character varying', is_nullable: 'YES' },
        { column_name: '_hc_err', data_type: 'text', is_nullable: 'YES' },
        { column_name: 'name', data_type: 'character varying', is_nullable: 'YES' },
      ]);
    });

    it('logs an insert, an update of the changed columns, a no-op update as IGNORE and a delete, on a read-write table', async () => {
      const { db } = database;
      const [row] = await db.insert(account).values({ name: 'Acme', externalId: 'a'.repeat(32) }).returning();
      await db.update(account).set({ name: 'Acme Corp', accountNumber: 'A-1' }).where(eq(account.id, row!.id));
      await db.update(account).set({ name: 'Acme Corp' }).where(eq(account.id, row!.id));
      await db.delete(account).where(eq(account.id, row!.id));
      const rows = await logs();
      assert.deepEqual(
        rows.map(({ action, state, tableName, recordId, sfid }) => ({ action, state, tableName, recordId, sfid })),
        [
          { action: 'INSERT', state: 'NEW', tableName: 'account', recordId: 1, sfid: null },
          { action: 'UPDATE', state: 'NEW', tableName: 'account', recordId: 1, sfid: null },
          { action: 'UPDATE', state: 'IGNORE', tableName: 'account', recordId: 1, sfid: null },
          // No sfid: the record never reached Salesforce, so there is nothing to delete (§3.3).
          { action: 'DELETE', state: 'IGNORE', tableName: 'account', recordId: 1, sfid: null },
        ],
      );
      const full = { id: '1', sfid: null, systemmodstamp: null, isdeleted: null, name: 'Acme', accountnumber: null, external_id__c: 'a'.repeat(32) };
      assert.deepEqual(parseHstore(rows[0]!.values), full);
      assert.equal(rows[0]!.old, null);
      assert.deepEqual(parseHstore(rows[1]!.values), { name: 'Acme Corp', accountnumber: 'A-1' });
      assert.deepEqual(parseHstore(rows[1]!.old), full);
      assert.equal(rows[2]!.values, '');
      assert.deepEqual(parseHstore(rows[3]!.old), { ...full, name: 'Acme Corp', accountnumber: 'A-1' });
      assert.equal(rows[3]!.values, null);
      assert.ok(rows.every((log) => typeof log.txid === 'number' && log.createdAt instanceof Date));
    });

    it('logs an update and a delete of a synced row with its sfid, and marks local writes PENDING', async () => {
      const { db } = database;
      await asHerokuConnect(db, (tx) => tx.insert(account).values({ name: 'Synced', sfid: '001000000000001AAA' }));
      await db.update(account).set({ name: 'Changed' });
      const [row] = await db.select().from(account);
      assert.equal(row!.hcLastop, 'PENDING');
      await db.delete(account);
      const rows = await logs();
      assert.deepEqual(
        rows.map(({ action, state, sfid }) => ({ action, state, sfid })),
        [
          { action: 'UPDATE', state: 'NEW', sfid: '001000000000001AAA' },
          { action: 'DELETE', state: 'NEW', sfid: '001000000000001AAA' },
        ],
      );
      assert.deepEqual(parseHstore(rows[0]!.values), { name: 'Changed' });
    });

    it("captures rows with updated_at NULL, as Heroku Connect's logger does", async () => {
      const { db } = database;
      const [row] = await db.insert(account).values({ name: 'Acme' }).returning();
      await db.update(account).set({ name: 'Acme Corp' }).where(eq(account.id, row!.id));
      await db.insert(user).values({ name: 'Ann' });
      const rows = await logs();
      assert.equal(rows.length, 3);
      assert.deepEqual(rows.map((log) => log.updatedAt), [null, null, null]);
      assert.ok(rows.every((log) => log.createdAt instanceof Date));
    });

    it("gives the archive's created_at and updated_at no default, and the live log's now()", async () => {
      const defaults = await database.query<{ table_name: string; column_name: string; column_default: string | null }>(
        `select table_name, column_name, column_default from information_schema.columns
         where table_schema = 'salesforce' and table_name in ('_trigger_log', '_trigger_log_archive')
           and column_name in ('id', 'created_at', 'updated_at') order by 1, 2`,
      );
      assert.deepEqual(
        defaults.map((row) => [row.table_name, row.column_name, row.column_default]),
        [
          ['_trigger_log', 'created_at', 'now()'],
          ['_trigger_log', 'id', "nextval('salesforce._trigger_log_id_seq'::regclass)"],
          ['_trigger_log', 'updated_at', 'now()'],
          ['_trigger_log_archive', 'created_at', null],
          ['_trigger_log_archive', 'id', null],
          ['_trigger_log_archive', 'updated_at', null],
        ],
      );
    });

    it("marks a row SYNCED when Heroku Connect sets _hc_lastop over a NULL one (its status function compares with !=)", async () => {
      const { db } = database;
      // A row whose _hc_lastop is NULL: loaded while the status trigger was off.
      await database.exec('alter table salesforce.account disable trigger hc_account_status_trigger');
      await asHerokuConnect(db, (tx) => tx.insert(account).values({ name: 'Loaded', sfid: '001000000000004AAA' }));
      await database.exec('alter table salesforce.account enable trigger hc_account_status_trigger');
      assert.equal((await db.select().from(account))[0]!.hcLastop, null);
      await asHerokuConnect(db, (tx) => tx.update(account).set({ hcLastop: 'UPDATED', hcErr: '{"message":"x"}' }));
      const [row] = await db.select().from(account);
      assert.equal(row!.hcLastop, 'SYNCED');
      assert.equal(row!.hcErr, null);
    });

    it('logs every change to a read-only table as READONLY', async () => {
      const { db } = database;
      await db.insert(user).values({ name: 'Ann' });
      await db.update(user).set({ name: 'Ann' });
      await db.delete(user);
      assert.deepEqual(
        (await logs()).map(({ action, state, tableName }) => ({ action, state, tableName })),
        [
          { action: 'INSERT', state: 'READONLY', tableName: 'user' },
          { action: 'UPDATE', state: 'READONLY', tableName: 'user' },
          { action: 'DELETE', state: 'READONLY', tableName: 'user' },
        ],
      );
    });

    it("does not log Heroku Connect's own writes and marks their rows SYNCED, keeping a status it set itself", async () => {
      const { db } = database;
      const [local] = await db.insert(account).values({ name: 'Local' }).returning();
      assert.equal(local!.hcLastop, 'PENDING');
      // Heroku Connect writes the new sfid back after creating the record (§3.3), setting _hc_lastop itself.
      await asHerokuConnect(db, (tx) => tx.update(account).set({ sfid: '001000000000002AAA', hcLastop: 'INSERTED' }));
      assert.equal((await db.select().from(account))[0]!.hcLastop, 'INSERTED');
      await asHerokuConnect(db, async (tx) => {
        await tx.update(account).set({ name: 'From Salesforce' });
        await tx.insert(account).values({ name: 'New in Salesforce', sfid: '001000000000003AAA' });
        await tx.delete(account).where(eq(account.sfid, '001000000000003AAA'));
      });
      const [row] = await db.select().from(account);
      assert.equal(row!.hcLastop, 'SYNCED');
      assert.equal(row!.hcErr, null);
      assert.deepEqual(
        (await logs()).map((log) => log.action),
        ['INSERT'],
      );
    });

    it('with force, lists every object outside the schema the drop would cascade to, refuses, and drops exactly those when named', async () => {
      // Objects outside the schema as the catalogs list them, to compare before and after the drop.
      const outside = async () =>
        (
          await database.query<{ name: string }>(
            `select o.type || ' ' || o.identity as name
             from (select 'pg_proc'::regclass as c, oid as o, 0 as s from pg_proc where pronamespace = 'public'::regnamespace
                   union all select 'pg_class'::regclass, oid as o, 0 as s from pg_class where relnamespace = 'public'::regnamespace
                   union all select 'pg_constraint'::regclass, oid, 0 from pg_constraint where connamespace = 'public'::regnamespace
                   union all select 'pg_trigger'::regclass, t.oid, 0 from pg_trigger t join pg_class r on r.oid = t.tgrelid where r.relnamespace = 'public'::regnamespace
                   union all select 'pg_attrdef'::regclass, d.oid, 0 from pg_attrdef d join pg_class r on r.oid = d.adrelid where r.relnamespace = 'public'::regnamespace
                   union all select 'pg_class'::regclass, attrelid, attnum from pg_attribute a join pg_class r on r.oid = a.attrelid
                     where r.relnamespace = 'public'::regnamespace and attnum > 0 and not attisdropped) x,
                  pg_identify_object(x.c, x.o, x.s) o order by 1`,
          )
        ).map((row) => row.name);
      await database.exec(`
        create table public.dev_orders (id serial primary key, account_sfid varchar(18) constraint dev_orders_account_fk references salesforce.account(sfid));
        create view public.dev_account_names as select name from salesforce.account;
        create view public.dev_names_again as select * from public.dev_account_names;
        create materialized view public.dev_account_count as select count(*) as n from salesforce.account;
        create table public.dev_child () inherits (salesforce.contact);
        create table public.dev_rows (id int, kept int, account salesforce.account);
        create function public.dev_name(a salesforce.account) returns text language sql as 'select a.name';
        create trigger dev_notify after insert on public.dev_rows for each row execute function salesforce.tlog_notify_trigger();
        create table salesforce.app_notes (id serial primary key, body text);
        create view salesforce.app_view as select name from salesforce.account;
        create function salesforce.app_fn() returns int language sql as 'select 1';
        create type salesforce.app_mood as enum ('calm');
        -- a table of an hcTable removed from the code: Heroku Connect's shape, dropped with the schema unasked
        create table salesforce.old_object (id serial primary key, sfid varchar(18), _hc_lastop varchar(32), _hc_err text);`);
      try {
        const before = await outside();
        const refusal = await createDevelopmentSchema(database, schema, { force: true }).then(
          () => assert.fail('force went ahead'),
          (error: unknown) => error,
        );
        assert.ok(refusal instanceof DependentObjectsError, String(refusal));
        assert.equal(refusal.code, 'HC_DROP_DEPENDENTS');
        assert.equal(refusal.exitCode, 2);
        const listed = refusal.objects.map(dependentName);
        assert.deepEqual(listed, [
          // The app's own objects inside the schema...
          'function salesforce.app_fn()',
          'table salesforce.app_notes',
          'type salesforce.app_mood',
          'view salesforce.app_view',
          // ...and those outside it that the cascade reaches.
          'function public.dev_name(salesforce.account)',
          'materialized view public.dev_account_count',
          'table public.dev_child',
          'table column public.dev_rows.account',
          'table constraint dev_orders_account_fk on public.dev_orders',
          'trigger dev_notify on public.dev_rows',
          'view public.dev_account_names',
          'view public.dev_names_again',
        ]);
        assert.deepEqual(await outside(), before, 'nothing was dropped');
        const result = await createDevelopmentSchema(database, schema, { force: true, alsoDrop: listed });
        assert.equal(result.dropped, true);
        const after = await outside();
        const gone = before.filter((name) => !after.includes(name));
        // What went is what was listed, with the parts of what was listed (its columns, its defaults).
        for (const name of gone) assert.ok(listed.some((object) => name === object || name.includes(object.split(' ').at(-1)!)), `${name} went unlisted`);
        for (const name of listed) assert.ok(!after.includes(name), `${name} is still there`);
        assert.ok(after.includes('table public.dev_rows') && after.includes('table column public.dev_rows.kept'));
        assert.deepEqual(await database.query(`select 1 from pg_class where relnamespace = 'salesforce'::regnamespace and relname in ('app_notes', 'app_view', 'old_object')`), []);
      } finally {
        await database.exec(`drop view if exists public.dev_names_again, public.dev_account_names;
          drop materialized view if exists public.dev_account_count;
          drop table if exists public.dev_orders, public.dev_rows, public.dev_child;
          drop function if exists public.dev_name;`);
      }
    });

    it('refuses to create a schema that exists, keeps it with ifNotExists, and recreates it with force', async () => {
      await assert.rejects(createDevelopmentSchema(database, schema), SchemaExistsError);
      assert.deepEqual(await createDevelopmentSchema(database, schema, { ifNotExists: true }), {
        created: false,
        dropped: false,
        schemas: ['salesforce'],
        tables: [],
      });
      await database.db.insert(account).values({ name: 'Gone after force' });
      // A Drizzle db works too: the DDL then runs statement by statement in one transaction.
      const result = await createDevelopmentSchema(database.db, schema, { force: true });
      assert.equal(result.dropped, true);
      assert.equal((await database.db.select().from(account)).length, 0);
    });

    it('creates objects without SystemModstamp with their own modstamp field, indexed as Heroku Connect indexes it (§2.5)', async () => {
      const share = hcTable('AccountShare', { accessLevel: sfText('AccountAccessLevel') }, { modstampField: 'LastModifiedDate', schema: 'dev_share_test' });
      const history = hcTable('AccountHistory', { field: sfText('Field') }, { modstampField: 'CreatedDate', schema: 'dev_share_test' });
      await createDevelopmentSchema(database, [share, history]);
      try {
        const columns = await database.query<{ t: string; c: string; type: string }>(
          `select table_name as t, column_name as c, data_type as type from information_schema.columns
           where table_schema = 'dev_share_test' and column_name in ('systemmodstamp', 'lastmodifieddate', 'createddate') order by 1, 2`,
        );
        assert.deepEqual(columns, [
          { t: 'accounthistory', c: 'createddate', type: 'timestamp without time zone' },
          { t: 'accountshare', c: 'lastmodifieddate', type: 'timestamp without time zone' },
        ]);
        const indexes = await database.query<{ indexname: string }>(`select indexname from pg_indexes where schemaname = 'dev_share_test' and indexname like 'hc_idx_%' order by 1`);
        assert.deepEqual(indexes.map((row) => row.indexname), ['hc_idx_accounthistory_createddate', 'hc_idx_accountshare_lastmodifieddate']);
        await database.db.insert(share).values({ accessLevel: 'Read' });
        const [log] = await database.query<{ values: string }>(`select "values" from dev_share_test._trigger_log`);
        assert.deepEqual(parseHstore(log!.values), { id: '1', sfid: null, lastmodifieddate: null, isdeleted: null, accountaccesslevel: 'Read' });
      } finally {
        await database.exec('drop schema dev_share_test cascade');
      }
    });

    it('leaves nothing behind when a statement fails', async () => {
      const clash = hcTable('Clash', { name: sfText('Name') }, { schema: 'dev_fail_test' });
      const sameName = hcTable('Clash', { other: sfText('Other') }, { schema: 'dev_fail_test' });
      await assert.rejects(createDevelopmentSchema(database, [clash, sameName]), /already exists/);
      assert.deepEqual(await database.query(`select 1 from pg_namespace where nspname = 'dev_fail_test'`), []);
    });
  });
}

describe('force on a database elsewhere', () => {
  it('refuses before sending anything to a remote host', async () => {
    const db = drizzle({ connection: 'postgres://postgres@db.example.com:5432/x' });
    await assert.rejects(createDevelopmentSchema(db, schema, { force: true }), /not on this machine/);
    await db.$client.end();
  });
});

describe('force on a database elsewhere, named by PGHOST', () => {
  it('refuses a URL without a host when PGHOST names another machine, as node-postgres would connect there', async () => {
    const saved = process.env['PGHOST'];
    process.env['PGHOST'] = 'db.example.com';
    try {
      const db = drizzle({ connection: 'postgres:///x' });
      await assert.rejects(createDevelopmentSchema(db, schema, { force: true }), /Refusing to drop salesforce on db\.example\.com:5432\/x: it is not on this machine/);
      await db.$client.end();
    } finally {
      if (saved === undefined) delete process.env['PGHOST'];
      else process.env['PGHOST'] = saved;
    }
  });
});
