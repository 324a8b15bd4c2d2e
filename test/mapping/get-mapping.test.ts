/**
 * getMapping() gives what django-heroku-connect's get_mapping() gives for the
 * same models (its tests/db/models/test_base.py cases, and the example app).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { index, uniqueIndex, unique } from 'drizzle-orm/pg-core';
import {
  READ_WRITE,
  getMapping,
  hcTable,
  sfDateTime,
  sfExternalId,
  sfLookup,
  sfNumber,
  sfText,
} from 'hc-drizzle';
import { mappingConfigOf } from '../../src/mapping/get-mapping.ts';
import * as example from '../../examples/salesforce.ts';

const systemFields = { Id: {}, SystemModstamp: {}, IsDeleted: {} };
const systemIndexes = { Id: { unique: true }, SystemModstamp: { unique: false } };
const defaults = { access: 'read_only', sf_notify_enabled: false, sf_polling_seconds: 600, sf_max_daily_api_calls: 30000 };

describe('mapping config of one table', () => {
  it('lists only the system fields for an empty table', () => {
    assert.deepEqual(mappingConfigOf(hcTable('My_Object__c', {})), { ...defaults, fields: systemFields, indexes: systemIndexes });
  });

  it('indexes fields marked index, unique, or unique and indexed', () => {
    const table = hcTable('My_Object__c', {
      date1: sfDateTime('Date1__c', { index: true }),
      date2: sfDateTime('Date2__c').unique(),
      date3: sfDateTime('Date3__c', { index: true }).unique(),
    });
    assert.deepEqual(mappingConfigOf(table), {
      ...defaults,
      fields: { ...systemFields, Date1__c: {}, Date2__c: {}, Date3__c: {} },
      indexes: { ...systemIndexes, Date1__c: { unique: false }, Date2__c: { unique: true }, Date3__c: { unique: true } },
    });
  });

  it('names the upsert field and indexes it as unique, read-only tables too', () => {
    const table = hcTable('My_Object__c', { date: sfDateTime('Date__c', { upsert: true }) });
    assert.deepEqual(mappingConfigOf(table), {
      ...defaults,
      fields: { ...systemFields, Date__c: {} },
      indexes: { ...systemIndexes, Date__c: { unique: true } },
      upsert_field: 'Date__c',
    });
  });

  it('carries access, notify, polling and API call settings', () => {
    const table = hcTable('My_Object__c', {}, { access: READ_WRITE, notifyEnabled: true, pollingSeconds: 120, maxDailyApiCalls: 1000 });
    assert.deepEqual(mappingConfigOf(table), {
      access: 'read_write',
      sf_notify_enabled: true,
      sf_polling_seconds: 120,
      sf_max_daily_api_calls: 1000,
      fields: systemFields,
      indexes: systemIndexes,
    });
  });

  for (const objectName of ['User', 'RecordType']) {
    it(`has no IsDeleted for ${objectName}`, () => {
      const { fields, indexes } = mappingConfigOf(hcTable(objectName, {}));
      assert.deepEqual({ fields, indexes }, { fields: { Id: {}, SystemModstamp: {} }, indexes: systemIndexes });
    });
  }

  it('maps a share object on LastModifiedDate, as Heroku Connect exports AccountShare (terraform-provider-herokux)', () => {
    // davidji99/terraform-provider-herokux herokux/resource_herokux_connect_mappings_test.go, TestConnectMappingMore.
    assert.deepEqual(mappingConfigOf(hcTable('AccountShare', {}, { modstampField: 'LastModifiedDate' })), {
      ...defaults,
      fields: { Id: {}, IsDeleted: {}, LastModifiedDate: {} },
      indexes: { Id: { unique: true }, LastModifiedDate: { unique: false } },
    });
  });

  it('maps a history object on CreatedDate, and an object declared without IsDeleted without it', () => {
    const { fields, indexes } = mappingConfigOf(hcTable('AccountHistory', {}, { modstampField: 'CreatedDate', isDeleted: false }));
    assert.deepEqual({ fields, indexes }, { fields: { Id: {}, CreatedDate: {} }, indexes: { Id: { unique: true }, CreatedDate: { unique: false } } });
  });

  it('takes fields from shared column sets like inherited mixins', () => {
    const dated = () => ({ date: sfDateTime('Date__c') });
    const named = () => ({ name: sfText('Name') });
    const table = hcTable('My_Object__c', { ...dated(), ...named(), number: sfNumber('Number__c', { upsert: true }) });
    assert.deepEqual(mappingConfigOf(table), {
      ...defaults,
      fields: { ...systemFields, Date__c: {}, Name: {}, Number__c: {} },
      indexes: { ...systemIndexes, Number__c: { unique: true } },
      upsert_field: 'Number__c',
    });
  });

  it('indexes lookups (not unique) and external ids (unique upsert field)', () => {
    const table = hcTable('Contact', { accountId: sfLookup('AccountId'), ext: sfExternalId('Ext__c') }, { access: READ_WRITE });
    const config = mappingConfigOf(table);
    assert.deepEqual(config.indexes, { ...systemIndexes, AccountId: { unique: false }, Ext__c: { unique: true } });
    assert.equal(config.upsert_field, 'Ext__c');
  });

  it('indexes single-column indexes and uniques from extraConfig, not multi-column ones', () => {
    const table = hcTable(
      'Thing__c',
      { a: sfText('A__c'), b: sfText('B__c'), c: sfText('C__c'), d: sfText('D__c'), e: sfText('E__c') },
      { extraConfig: (t) => [index('thing_a').on(t.a), uniqueIndex('thing_b').on(t.b), unique('thing_c').on(t.c), index('thing_de').on(t.d, t.e)] },
    );
    assert.deepEqual(mappingConfigOf(table).indexes, {
      ...systemIndexes,
      A__c: { unique: false },
      B__c: { unique: true },
      C__c: { unique: true },
    });
  });

  it('does not list a partial index, which Heroku Connect cannot create', () => {
    const table = hcTable('Thing__c', { a: sfText('A__c') }, { extraConfig: (t) => [uniqueIndex('thing_a_open').on(t.a).where(sql`${t.a} <> ''`)] });
    assert.deepEqual(mappingConfigOf(table).indexes, systemIndexes);
  });

  it('leaves a column without Salesforce metadata out of the mapping', () => {
    const table = hcTable('Thing__c', { name: sfText('Name') });
    assert.equal(Object.keys(mappingConfigOf(table).fields).includes('_hc_lastop'), false);
  });
});

describe('mapping document', () => {
  it('matches makemappings for the example app, objects in definition order', () => {
    const mapping = getMapping(example, { appName: 'hc-example', organizationId: '00D000000000001', exportedAt: new Date('2024-05-01T10:00:00Z') });
    const audit = { CreatedDate: {}, LastModifiedDate: {} };
    assert.deepEqual(mapping, {
      version: 1,
      connection: { organization_id: '00D000000000001', app_name: 'hc-example', exported_at: '2024-05-01T10:00:00+00:00' },
      mappings: [
        {
          object_name: 'User',
          config: {
            ...defaults,
            fields: { Id: {}, SystemModstamp: {}, ...audit, Name: {}, Email: {}, IsActive: {} },
            indexes: systemIndexes,
          },
        },
        {
          object_name: 'Account',
          config: {
            ...defaults,
            access: 'read_write',
            sf_polling_seconds: 300,
            fields: { ...systemFields, ...audit, Name: {}, External_ID__c: {}, Industry: {}, AnnualRevenue: {}, Website: {}, Phone: {}, OwnerId: {} },
            indexes: { ...systemIndexes, External_ID__c: { unique: true }, OwnerId: { unique: false } },
            upsert_field: 'External_ID__c',
          },
        },
        {
          object_name: 'Contact',
          config: {
            ...defaults,
            fields: { ...systemFields, ...audit, FirstName: {}, LastName: {}, Email: {}, Interests__c: {}, AccountId: {} },
            indexes: { ...systemIndexes, Email: { unique: false }, AccountId: { unique: false } },
          },
        },
      ],
    });
  });

  it('keeps an array of tables in its order and each table once', () => {
    const mapping = getMapping([example.contact, example.account, example.contact], { appName: '', organizationId: '' });
    assert.deepEqual(mapping.mappings.map((m) => m.object_name), ['Contact', 'Account']);
  });

  it('takes app name and organization id from the settings when not given', () => {
    const saved = { ...process.env };
    process.env['HEROKU_APP_NAME'] = 'from-env';
    process.env['HEROKU_CONNECT_ORGANIZATION_ID'] = '00DENV';
    try {
      const { connection } = getMapping([], {});
      assert.deepEqual([connection.app_name, connection.organization_id], ['from-env', '00DENV']);
    } finally {
      process.env = saved;
    }
  });

  it('prints exported_at like Python isoformat: microseconds only when not zero, offset kept', () => {
    const at = (exportedAt: Date | string) => getMapping([], { appName: '', organizationId: '', exportedAt }).connection.exported_at;
    assert.equal(at(new Date('2023-02-15T17:13:42.743Z')), '2023-02-15T17:13:42.743000+00:00');
    assert.equal(at(new Date('2023-02-15T17:13:42Z')), '2023-02-15T17:13:42+00:00');
    assert.equal(at('2023-02-15T17:13:42.743308+00:00'), '2023-02-15T17:13:42.743308+00:00');
    assert.equal(at('2023-02-15T19:13:42+02:00'), '2023-02-15T19:13:42+02:00');
    assert.equal(at('2023-02-15T17:13:42Z'), '2023-02-15T17:13:42+00:00');
    assert.equal(at('2023-02-15 17:13'), '2023-02-15T17:13:00+00:00');
    assert.equal(at('2023-02-15'), '2023-02-15T00:00:00+00:00');
  });

  it('refuses an exported_at that is not an ISO 8601 date-time', () => {
    for (const bad of ['yesterday', '2023-02-30T00:00:00Z', '2023-13-01T00:00:00Z', '2023-02-15T25:00:00Z', '']) {
      assert.throws(() => getMapping([], { appName: '', organizationId: '', exportedAt: bad }), { code: 'HC_INPUT' }, bad);
    }
  });
});
