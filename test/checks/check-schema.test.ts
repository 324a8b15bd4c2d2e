/**
 * checkSchema(): every code fires on a schema that has the problem, and the
 * fixed schema passes with no diagnostic at all.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
// relations() is drizzle-orm's in 0.45 and drizzle-orm/_relations' in 1.0.
import { relations } from '../support/drizzle-version.ts';
import {
  READ_WRITE,
  checkSchema,
  hcTable,
  sfCheckbox,
  sfDateTime,
  sfExternalId,
  sfField,
  sfLookup,
  sfPicklist,
  sfText,
  type CheckCode,
  type CheckSchemaOptions,
} from 'hc-drizzle';
import * as exampleApp from '../../examples/app.ts';
import * as exampleSalesforce from '../../examples/salesforce.ts';

const codes = (schema: unknown, options?: CheckSchemaOptions) => checkSchema(schema, options).map(({ code }) => code);

/** An app's own table, with no constraint pointing anywhere. */
const regions = () => pgTable('regions', { code: varchar('code', { length: 8 }).primaryKey(), label: text('label') });

interface Case {
  readonly code: CheckCode;
  readonly does: string;
  readonly broken: () => { schema: unknown; options?: CheckSchemaOptions };
  readonly fixed: () => { schema: unknown; options?: CheckSchemaOptions };
}

const cases: Case[] = [
  {
    code: 'E001',
    does: 'an hcTable without an object name',
    broken: () => ({ schema: [hcTable('', { name: sfText('Name') })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') })] }),
  },
  {
    code: 'E002',
    does: 'an access value other than read_only / read_write',
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { access: 'write' as never })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { access: 'read_only' })] }),
  },
  {
    code: 'E003',
    does: 'two columns for one Salesforce field (names compared case-insensitively)',
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name'), title: sfText('name') })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name'), title: sfText('Title__c') })] }),
  },
  {
    code: 'E004',
    does: 'two upsert fields',
    broken: () => ({ schema: [hcTable('Account', { a: sfExternalId('A__c'), b: sfExternalId('B__c') })] }),
    fixed: () => ({ schema: [hcTable('Account', { a: sfExternalId('A__c'), b: sfExternalId('B__c', { upsert: false }) })] }),
  },
  {
    code: 'E005',
    does: "a foreign key from an app table to an hcTable's id",
    broken: () => {
      const account = hcTable('Account', { name: sfText('Name') });
      const orders = pgTable('orders', { id: integer('id').primaryKey(), accountId: integer('account_id').references(() => account.id) });
      return { schema: { account, orders } };
    },
    fixed: () => {
      const account = hcTable('Account', { name: sfText('Name') });
      const orders = pgTable('orders', { id: integer('id').primaryKey(), accountSfid: varchar('account_sfid', { length: 18 }) });
      return { schema: { account, orders } };
    },
  },
  {
    code: 'E006',
    does: 'two hcTables for one Salesforce object',
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name') }), hcTable('Account', { phone: sfText('Phone') }, { schema: 'other' })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') }), hcTable('Contact', { phone: sfText('Phone') })] }),
  },
  {
    code: 'E007',
    does: 'a read_write hcTable without an upsert field',
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { access: READ_WRITE })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name'), ext: sfExternalId('External_ID__c') }, { access: READ_WRITE })] }),
  },
  {
    code: 'E008',
    does: "a foreign-key constraint to an hcTable's sfid",
    broken: () => {
      const account = hcTable('Account', { name: sfText('Name') });
      const notes = pgTable('notes', { id: integer('id').primaryKey(), accountSfid: varchar('account_sfid', { length: 18 }).references(() => account.sfid) });
      return { schema: { account, notes } };
    },
    fixed: () => {
      const account = hcTable('Account', { name: sfText('Name') });
      const notes = pgTable('notes', { id: integer('id').primaryKey(), accountSfid: varchar('account_sfid', { length: 18 }) });
      return { schema: { account, notes } };
    },
  },
  {
    code: 'E101',
    does: 'an object name that is not a Salesforce API name',
    broken: () => ({ schema: [hcTable('My Object__c', { name: sfText('Name') })] }),
    fixed: () => ({ schema: [hcTable('My_Object__c', { name: sfText('Name') })] }),
  },
  {
    code: 'E102',
    does: 'a field name that is not a Salesforce field API name (a relationship name here)',
    broken: () => ({ schema: [hcTable('Contact', { account: sfText('Account__r') })] }),
    fixed: () => ({ schema: [hcTable('Contact', { account: sfLookup('Account__c') })] }),
  },
  {
    code: 'E103',
    does: 'a column whose database name is not the field name lower-cased',
    broken: () => ({ schema: [hcTable('Account', { score: sfField(varchar('score', { length: 10 }), 'Score__c', 'text', {}) })] }),
    fixed: () => ({ schema: [hcTable('Account', { score: sfText('Score__c', { length: 10 }) })] }),
  },
  {
    code: 'E104',
    does: 'a table name other than the object name lower-cased',
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { tableName: 'accounts' })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { tableName: 'account' })] }),
  },
  {
    code: 'E105',
    does: 'a compound address field',
    broken: () => ({ schema: [hcTable('Account', { billing: sfText('BillingAddress') })] }),
    fixed: () => ({ schema: [hcTable('Account', { billingStreet: sfText('BillingStreet'), billingCity: sfText('BillingCity', { length: 40 }) })] }),
  },
  {
    code: 'E111',
    does: 'an upsert field of a kind that cannot be an External ID',
    broken: () => ({ schema: [hcTable('Account', { flag: sfCheckbox('Flag__c', { upsert: true }) }, { access: READ_WRITE })] }),
    fixed: () => ({ schema: [hcTable('Account', { flag: sfCheckbox('Flag__c'), code: sfText('Code__c', { upsert: true }) }, { access: READ_WRITE })] }),
  },
  {
    code: 'E112',
    does: 'a picklist value longer than its column',
    broken: () => ({ schema: [hcTable('Opportunity', { stage: sfPicklist('StageName', { values: ['Open', 'Closed Won'], length: 5 }) })] }),
    fixed: () => ({ schema: [hcTable('Opportunity', { stage: sfPicklist('StageName', { values: ['Open', 'Closed Won'], length: 40 }) })] }),
  },
  {
    code: 'E113',
    does: 'two columns with one database name',
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name'), lastOperation: varchar('_hc_lastop', { length: 32 }) })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') })] }),
  },
  {
    code: 'E114',
    does: 'a column that maps no Salesforce field',
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name'), note: text('note') })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name'), note: sfText('Note__c') })] }),
  },
  {
    code: 'E115',
    does: 'a system column overridden with another type',
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name'), hcErr: varchar('_hc_err', { length: 10 }) })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') })] }),
  },
  {
    code: 'E116',
    does: 'an IsDeleted column on an object that has none',
    broken: () => ({ schema: [hcTable('user', { name: sfText('Name') })] }),
    fixed: () => ({ schema: [hcTable('User', { name: sfText('Name') })] }),
  },
  {
    code: 'E117',
    does: "a lookup whose references is not an hcTable",
    broken: () => {
      const regionTable = regions();
      return { schema: { regionTable, contact: hcTable('Contact', { region: sfLookup('Region__c', { references: () => regionTable }) }) } };
    },
    fixed: () => {
      const region = hcTable('Region__c', { name: sfText('Name') });
      return { schema: { region, contact: hcTable('Contact', { region: sfLookup('Region__c', { references: () => region }) }) } };
    },
  },
  {
    code: 'E121',
    does: 'a polling interval under 2 minutes',
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { pollingSeconds: 60 })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { pollingSeconds: 600 })] }),
  },
  {
    code: 'W121',
    does: "a polling interval the demo plan refuses",
    broken: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { pollingSeconds: 300 })] }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { pollingSeconds: 900 })] }),
  },
  {
    code: 'E130',
    does: 'an extraConfig callback that throws',
    broken: () => ({
      schema: [
        hcTable('Account', { name: sfText('Name') }, {
          extraConfig: (t) => [index('by_nme').on((t as unknown as Record<string, never>)['nme']!)],
        }),
      ],
    }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') }, { extraConfig: (t) => [index('by_name').on(t.name)] })] }),
  },
  {
    code: 'E131',
    does: 'a multi-column unique index on an hcTable',
    broken: () => ({
      schema: [
        hcTable('Account', { name: sfText('Name'), site: sfText('Site') }, { extraConfig: (t) => [uniqueIndex('name_site').on(t.name, t.site)] }),
      ],
    }),
    fixed: () => ({
      schema: [hcTable('Account', { name: sfText('Name'), site: sfText('Site') }, { extraConfig: (t) => [uniqueIndex('site').on(t.site)] })],
    }),
  },
  {
    code: 'W131',
    does: 'a multi-column index on an hcTable',
    broken: () => ({
      schema: [hcTable('Account', { name: sfText('Name'), site: sfText('Site') }, { extraConfig: (t) => [index('name_site').on(t.name, t.site)] })],
    }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name', { index: true }), site: sfText('Site', { index: true }) })] }),
  },
  {
    code: 'E132',
    does: 'a primary key other than id',
    broken: () => ({ schema: [hcTable('Account', { code: sfText('Code__c').primaryKey() })] }),
    fixed: () => ({ schema: [hcTable('Account', { code: sfText('Code__c').unique() })] }),
  },
  {
    code: 'W133',
    does: 'a check constraint on an hcTable',
    broken: () => ({
      schema: [hcTable('Account', { name: sfText('Name') }, { extraConfig: (t) => [check('named', sql`${t.name} <> ''`)] })],
    }),
    fixed: () => ({ schema: [hcTable('Account', { name: sfText('Name') })] }),
  },
  {
    code: 'W134',
    does: "a foreign key from an hcTable to an app table",
    broken: () => {
      const regionTable = regions();
      return { schema: { regionTable, account: hcTable('Account', { region: sfText('Region__c', { length: 8 }).references(() => regionTable.code) }) } };
    },
    fixed: () => ({ schema: { regionTable: regions(), account: hcTable('Account', { region: sfText('Region__c', { length: 8 }) }) } }),
  },
  {
    code: 'E135',
    does: 'a foreign key from a read-only hcTable whose ON DELETE / ON UPDATE action changes it',
    broken: () => {
      const regionTable = regions();
      const region = sfText('Region__c', { length: 8 }).references(() => regionTable.code, { onDelete: 'cascade' });
      return { schema: { regionTable, account: hcTable('Account', { region }) } };
    },
    fixed: () => ({ schema: { regionTable: regions(), account: hcTable('Account', { region: sfText('Region__c', { length: 8 }) }) } }),
  },
  {
    code: 'W135',
    does: 'a foreign key from a read_write hcTable whose ON DELETE / ON UPDATE action changes it',
    broken: () => {
      const regionTable = regions();
      const region = sfText('Region__c', { length: 8 }).references(() => regionTable.code, { onUpdate: 'set null' });
      return { schema: { regionTable, account: hcTable('Account', { region, key: sfExternalId('Key__c') }, { access: READ_WRITE }) } };
    },
    fixed: () => ({
      schema: { regionTable: regions(), account: hcTable('Account', { region: sfText('Region__c', { length: 8 }), key: sfExternalId('Key__c') }, { access: READ_WRITE }) },
    }),
  },
  {
    code: 'W141',
    does: "an hcTable exported from a file drizzle-kit's schema matches",
    broken: () => {
      const account = hcTable('Account', { name: sfText('Name') });
      return { schema: { account }, options: { drizzleKitFiles: [{ path: 'src/db/app.ts', exports: { account, regions: regions() } }] } };
    },
    fixed: () => {
      const account = hcTable('Account', { name: sfText('Name') });
      return { schema: { account }, options: { drizzleKitFiles: [{ path: 'src/db/app.ts', exports: { regions: regions() } }] } };
    },
  },
];

describe('checkSchema codes', () => {
  for (const { code, does, broken, fixed } of cases) {
    it(`${code} fires on ${does}, and the fixed schema passes`, () => {
      const bad = broken();
      const found = checkSchema(bad.schema, bad.options).filter((diagnostic) => diagnostic.code === code);
      assert.ok(found.length > 0, `${code} did not fire; got ${JSON.stringify(codes(bad.schema, bad.options))}`);
      for (const diagnostic of found) {
        assert.equal(diagnostic.level, code.startsWith('E') ? 'error' : 'warning');
        assert.ok(diagnostic.message.length > 0 && diagnostic.hint.length > 0);
      }
      const good = fixed();
      assert.deepEqual(checkSchema(good.schema, good.options), []);
    });
  }
});

describe('checkSchema behaviour', () => {
  it('has a test case for every code it can report', () => {
    const tested = new Set(cases.map(({ code }) => code));
    const documented = [
      'E001', 'E002', 'E003', 'E004', 'E005', 'E006', 'E007', 'E008', 'E101', 'E102', 'E103', 'E104', 'E105',
      'E111', 'E112', 'E113', 'E114', 'E115', 'E116', 'E117', 'E121', 'W121', 'E130', 'E131', 'W131', 'E132',
      'W133', 'W134', 'E135', 'W135', 'W141',
    ] satisfies CheckCode[];
    assert.deepEqual([...tested].sort(), [...documented].sort());
  });

  it('accepts objects mapped without SystemModstamp or IsDeleted, and checks the field standing in for it', () => {
    const share = hcTable('AccountShare', {}, { modstampField: 'LastModifiedDate' });
    const role = hcTable('UserRole', { name: sfText('Name') }, { isDeleted: false });
    assert.deepEqual(checkSchema([share, role]), []);
    const overridden = hcTable('AccountShare', { lastModifiedDate: sfText('LastModifiedDate') }, { modstampField: 'LastModifiedDate' });
    assert.deepEqual(
      checkSchema([overridden]).map(({ code, column }) => [code, column]),
      [['E115', 'lastmodifieddate']],
    );
  });

  it('reports E006 on each hcTable that maps the object, as django-heroku-connect does', () => {
    const first = hcTable('Account', { name: sfText('Name') });
    const second = hcTable('Account', { phone: sfText('Phone') }, { schema: 'other' });
    const found = checkSchema({ first, second }).filter(({ code }) => code === 'E006');
    assert.deepEqual(found.map(({ table }) => table), ['salesforce.account', 'other.account']);
  });

  it('reports both E005 and E008 for a foreign key to id, on the referencing column', () => {
    const account = hcTable('Account', { name: sfText('Name') });
    const orders = pgTable('orders', { id: integer('id').primaryKey(), accountId: integer('account_id').references(() => account.id) });
    const found = checkSchema({ orders }).map(({ code, table, column }) => ({ code, table, column }));
    assert.deepEqual(found, [
      { code: 'E005', table: 'orders', column: 'account_id' },
      { code: 'E008', table: 'orders', column: 'account_id' },
    ]);
  });

  it("reports E005 for a relations() join on an hcTable's id, without any constraint, in either direction, once", () => {
    const account = hcTable('Account', { name: sfText('Name') });
    const orders = pgTable('orders', { id: integer('id').primaryKey(), accountId: integer('account_id') });
    const orderRelations = relations(orders, ({ one }) => ({ account: one(account, { fields: [orders.accountId], references: [account.id] }) }));
    const accountRelations = relations(account, ({ many }) => ({ orders: many(orders) }));
    const found = checkSchema({ account, orders, orderRelations, accountRelations });
    assert.deepEqual(found.map(({ code, table, column }) => ({ code, table, column })), [{ code: 'E005', table: 'orders', column: 'account_id' }]);
    assert.match(found[0]!.message, /relation `account` of orders joins orders\(account_id\) on salesforce\.account\.id/);
    // Declared from the hcTable's side, pointing at the app column holding its id.
    const reversed = relations(account, ({ one }) => ({ order: one(orders, { fields: [account.id], references: [orders.accountId] }) }));
    assert.deepEqual(checkSchema({ account, orders, reversed }).map(({ code, table }) => [code, table]), [['E005', 'orders']]);
    // Joined on sfid: fine.
    const bySfid = pgTable('orders', { id: integer('id').primaryKey(), accountSfid: varchar('account_sfid', { length: 18 }) });
    const fine = relations(bySfid, ({ one }) => ({ account: one(account, { fields: [bySfid.accountSfid], references: [account.sfid] }) }));
    assert.deepEqual(checkSchema({ account, bySfid, fine }), []);
  });

  it('reads a defineRelations() result: a relation joined on an hcTable id is E005', () => {
    const account = hcTable('Account', { name: sfText('Name') });
    const orders = pgTable('orders', { id: integer('id').primaryKey(), accountId: integer('account_id') });
    // The shape drizzle-orm 1.0's defineRelations() returns, once built (its columns wrapped as r.table.column).
    const wrap = (column: unknown) => ({ _: { column } });
    const defined = {
      orders: { table: orders, name: 'orders', relations: { account: { targetTable: account, sourceColumns: [wrap(orders.accountId)], targetColumns: [wrap(account.id)] } } },
      account: { table: account, name: 'account', relations: { orders: { targetTable: orders, sourceColumns: [wrap(account.id)], targetColumns: [wrap(orders.accountId)] } } },
    };
    assert.deepEqual(checkSchema({ account, orders, defined }).map(({ code, table, column }) => [code, table, column]), [['E005', 'orders', 'account_id']]);
  });

  it('reports E135 for ON DELETE SET NULL and SET DEFAULT too, and keeps W134 for a foreign key that changes nothing', () => {
    const regionTable = regions();
    for (const action of ['set null', 'set default', 'cascade'] as const) {
      const account = hcTable('Account', { region: sfText('Region__c', { length: 8 }).references(() => regionTable.code, { onDelete: action }) });
      assert.deepEqual(codes({ regionTable, account }), ['E135'], action);
    }
    const restricted = hcTable('Account', { region: sfText('Region__c', { length: 8 }).references(() => regionTable.code, { onDelete: 'restrict' }) });
    assert.deepEqual(codes({ regionTable, restricted }), ['W134']);
  });

  it('builds broken tables without throwing, so the problems get a place', () => {
    const fromPlainJavaScript = hcTable(undefined as unknown as string, { name: sfText('Name') }, { access: 'rw' as never });
    assert.deepEqual(codes({ fromPlainJavaScript }), ['E001', 'E002']);
    assert.equal(checkSchema({ fromPlainJavaScript })[0]?.table, 'salesforce.<fromPlainJavaScript>');
  });

  it('accepts an array, a module namespace, and skips values that are not tables', () => {
    const account = hcTable('Account', { name: sfText('Name') }, { access: READ_WRITE });
    assert.deepEqual(codes([account]), ['E007']);
    assert.deepEqual(codes({ account, version: 1, helper: () => account }), ['E007']);
    assert.deepEqual(codes(null), []);
  });

  it('groups diagnostics by table in schema order, errors before warnings', () => {
    const b = hcTable('B__c', { name: sfText('Name') }, { pollingSeconds: 300, access: 'x' as never });
    const a = hcTable('A__c', { name: sfText('Name'), dup: sfText('Name') });
    assert.deepEqual(
      checkSchema({ b, a }).map(({ code, table }) => `${table} ${code}`),
      ['salesforce.b__c E002', 'salesforce.b__c W121', 'salesforce.a__c E003'],
    );
  });

  it('accepts valid Salesforce API names of every shape', () => {
    const objects = ['Account', 'My_Object__c', 'ns__My_Object__c', 'Knowledge__kav', 'Order_Event__e', 'Setting__mdt'];
    const fields = ['Name', 'Score__c', 'ns__Score__c', 'Nickname__pc', 'Site__Latitude__s', 'npe01__Home_Address__c', 'X2nd_Line__c'];
    const tables = objects.map((object, at) =>
      hcTable(object, Object.fromEntries(fields.map((field) => [`${field}${at}`, sfText(field)]))),
    );
    assert.deepEqual(codes(tables), []);
  });

  it('names what is wrong with an invalid API name', () => {
    const problems = (field: string) =>
      checkSchema([hcTable('Account', { field: sfText(field) })]).find(({ code }) => code === 'E102')?.message ?? 'valid';
    assert.match(problems('Score_'), /must not end with an underscore/);
    assert.match(problems('1st__c'), /must start with a letter/);
    assert.match(problems('Score___c'), /three underscores/);
    assert.match(problems('Sco-re__c'), /contains "-"/);
    assert.match(problems('Score__x'), /not a Salesforce field suffix/);
    assert.match(problems(`${'A'.repeat(41)}__c`), /longer than 40/);
    assert.match(problems(`${'n'.repeat(16)}__Score__c`), /namespace prefix .* longer than 15/);
    assert.equal(problems(`${'A'.repeat(40)}__c`), 'valid');
  });

  it('finds no error in the example app', () => {
    const errors = checkSchema({ ...exampleSalesforce, ...exampleApp }).filter(({ level }) => level === 'error');
    assert.deepEqual(errors, []);
  });
});
