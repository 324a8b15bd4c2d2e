/**
 * diffHerokuConnect finds every kind of drift between the code, the mapping
 * and the database, and says it object by object, `terraform plan` style.
 * The database is a real one, built as Heroku Connect builds it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { READ_WRITE, hcTable, sfExternalId, sfPhone, sfText } from 'hc-drizzle';
import { diffHerokuConnect, formatHerokuConnectDiff, introspectHerokuConnect, type HerokuConnectDiff } from 'hc-drizzle/node';
import { parseMappingExport } from '../../src/mapping/mapping-export.ts';
import type { OpenDatabase } from '../../src/node/database.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { herokuConnectSchemaDdl } from '../pull/heroku-connect-schema.ts';

const code = {
  account: hcTable(
    'Account',
    { name: sfText('Name'), phone: sfPhone('Phone'), externalId: sfExternalId('External_Id__c') },
    { access: READ_WRITE, pollingSeconds: 300, schema: 'drift' },
  ),
  lead: hcTable('Lead', { company: sfText('Company') }, { schema: 'drift' }),
  other: hcTable('Opportunity', {}, { schema: 'elsewhere' }),
};

const mapping = parseMappingExport(
  {
    mappings: [
      {
        object_name: 'Account',
        config: {
          access: 'read_only',
          sf_notify_enabled: true,
          sf_polling_seconds: 600,
          sf_max_daily_api_calls: 1000,
          fields: { Id: {}, IsDeleted: {}, SystemModstamp: {}, Name: {}, Fax: {}, External_Id__c: {} },
          indexes: { Id: { unique: true }, SystemModstamp: { unique: false }, Name: { unique: false }, External_Id__c: { unique: false } },
        },
      },
      {
        object_name: 'Case',
        config: { access: 'read_only', fields: { Id: {}, IsDeleted: {}, SystemModstamp: {}, Subject: {} } },
      },
    ],
  },
  'the drift mapping',
);

const DDL = [
  ...herokuConnectSchemaDdl('drift', mapping, {
    Account: { Name: 'varchar(80)', Fax: 'varchar(40)', External_Id__c: 'varchar(32)' },
    Case: { Subject: 'varchar(255)' },
  }),
  // What the mapping does not say: an index Heroku Connect was told of but has not built, a column someone added, a table left behind.
  'drop index drift.hc_idx_account_name',
  'alter table drift.account add column legacy__c text',
  'create table drift.contact (id serial primary key, sfid varchar(18), lastname varchar(80))',
];

describe('diffHerokuConnect', () => {
  let database: OpenDatabase;
  let diff: HerokuConnectDiff;
  before(async () => {
    database = await createTestDatabase({ url: undefined });
    await database.exec(DDL.join(';\n'));
    diff = diffHerokuConnect({ tables: code, mapping, database: await introspectHerokuConnect(database.db, { schema: 'drift' }) });
  });
  after(() => database?.close());

  it('reports objects, options, fields, columns, types and indexes that differ, grouped by object', () => {
    assert.equal(diff.inSync, false);
    assert.equal(
      formatHerokuConnectDiff(diff),
      [
        '~ Account  drift.account',
        '    ~ access: read_only → read_write',
        '    ~ notifyEnabled: true → false',
        '    ~ pollingSeconds: 600 → 300',
        '    ~ maxDailyApiCalls: 1000 → 30000',
        '    ~ upsertField: none → External_Id__c',
        '    ~ index External_Id__c: non-unique → unique',
        '    - field Fax: mapped, not in the code; the database has its column fax',
        '    ~ index Name: non-unique (mapping), none (database) → none',
        '    + field Phone: in the code, not in the mapping; no column',
        '    ~ column name: varchar(80) → varchar(255)',
        '    - column legacy__c: in the database (text), maps no field of the mapping nor the code',
        '',
        '- Case  drift.case',
        '    - mapped, with its table drift.case, but not in the code',
        '',
        '- contact  drift.contact',
        '    - the database has the table drift.contact, which neither the code nor the mapping has',
        '',
        '+ Lead  drift.lead',
        '    + in the code only: not in the mapping, no table',
        '',
        'Not compared (another schema than drift): elsewhere.opportunity.',
        "Drift in 4 objects of 4 in drift: 1 only in the code, 2 only in the connection, 1 changed. (+ the code has it, the connection lacks it; - the reverse; ~ old → new is the connection's → the code's)",
        '',
      ].join('\n'),
    );
  });

  it('gives the same report as JSON, each change with the value every source has', () => {
    const json = JSON.parse(JSON.stringify(diff)) as HerokuConnectDiff;
    assert.equal(formatHerokuConnectDiff(json), formatHerokuConnectDiff(diff));
    const account = json.objects.find((object) => object.object === 'Account')!;
    assert.deepEqual(account.in, { code: true, mapping: true, database: true });
    assert.deepEqual(
      account.changes.find((change) => change.subject === 'type'),
      { action: '~', subject: 'type', name: 'name', code: 'varchar(255)', database: 'varchar(80)', summary: 'column name: varchar(80) → varchar(255)' },
    );
  });
});
