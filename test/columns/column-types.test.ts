/**
 * Every sf* builder makes the column Heroku Connect creates for its Salesforce
 * type (heroku-connect.md §1), with the metadata the mapping needs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import {
  hcTable,
  sfAnyType,
  sfCheckbox,
  sfCurrency,
  sfDate,
  sfDateTime,
  sfEmail,
  sfEncryptedString,
  sfExternalId,
  sfFieldOf,
  sfId,
  sfInteger,
  sfLookup,
  sfMasterDetail,
  sfMultiPicklist,
  sfNumber,
  sfObjectOf,
  sfPercent,
  sfPhone,
  sfPicklist,
  sfText,
  sfTextArea,
  sfTextAreaLong,
  sfTime,
  sfUrl,
  READ_WRITE,
} from 'hc-drizzle';

const parent = hcTable('Parent__c', {});
const everything = hcTable('Everything__c', {
  text: sfText('Text__c'),
  text80: sfText('Text80__c', { length: 80 }),
  textArea: sfTextArea('TextArea__c'),
  textAreaLong: sfTextAreaLong('TextAreaLong__c'),
  email: sfEmail('Email__c'),
  phone: sfPhone('Phone__c'),
  url: sfUrl('Url__c'),
  picklist: sfPicklist('Picklist__c', { values: ['A', 'B'] }),
  longPicklist: sfPicklist('LongPicklist__c', { values: ['short', 'x'.repeat(300)] }),
  multiPicklist: sfMultiPicklist('Multi__c', { values: ['A', 'B'] }),
  checkbox: sfCheckbox('Checkbox__c'),
  number: sfNumber('Number__c'),
  currency: sfCurrency('Currency__c'),
  percent: sfPercent('Percent__c'),
  integer: sfInteger('Integer__c'),
  date: sfDate('Date__c'),
  dateTime: sfDateTime('DateTime__c'),
  time: sfTime('Time__c'),
  otherId: sfId('Other_Id__c'),
  externalId: sfExternalId('External_Id__c'),
  encrypted: sfEncryptedString('Encrypted__c'),
  anyType: sfAnyType('AnyType__c'),
  lookup: sfLookup('Parent__c', { references: () => parent }),
  masterDetail: sfMasterDetail('Master__c', { references: () => parent }),
});
const columns = getTableColumns(everything);

describe('column types', () => {
  const expected: Record<string, string> = {
    id: 'serial',
    sfid: 'varchar(18)',
    systemModstamp: 'timestamp',
    isDeleted: 'boolean',
    hcLastop: 'varchar(32)',
    hcErr: 'text',
    text: 'varchar(255)',
    text80: 'varchar(80)',
    textArea: 'varchar(255)',
    textAreaLong: 'text',
    email: 'varchar(80)',
    phone: 'varchar(40)',
    url: 'varchar(255)',
    picklist: 'varchar(255)',
    longPicklist: 'varchar(300)',
    multiPicklist: 'varchar(4099)',
    checkbox: 'boolean',
    number: 'double precision',
    currency: 'double precision',
    percent: 'double precision',
    integer: 'integer',
    date: 'date',
    dateTime: 'timestamp',
    time: 'time',
    otherId: 'varchar(18)',
    externalId: 'varchar(32)',
    encrypted: 'varchar(255)',
    anyType: 'text',
    lookup: 'varchar(18)',
    masterDetail: 'varchar(18)',
  };
  for (const [key, sqlType] of Object.entries(expected)) {
    it(`${key} is ${sqlType}`, () => {
      const column = columns[key as keyof typeof columns];
      assert.ok(column, `no column ${key}`);
      assert.equal(column.getSQLType(), sqlType);
    });
  }

  it('names every column after the lower-cased Salesforce field name', () => {
    assert.equal(columns.textAreaLong.name, 'textarealong__c');
    assert.equal(columns.systemModstamp.name, 'systemmodstamp');
    assert.equal(columns.hcLastop.name, '_hc_lastop');
  });

  it('keeps Salesforce columns nullable, and id the primary key', () => {
    for (const [key, column] of Object.entries(columns)) {
      if (key === 'id') assert.ok(column.primary);
      else assert.equal(column.notNull, false, `${key} should be nullable`);
    }
  });

  it('makes sfid, other sfId fields, upsert fields unique; lookups are not', () => {
    assert.equal(columns.sfid.isUnique, true);
    assert.equal(columns.otherId.isUnique, true);
    assert.equal(columns.externalId.isUnique, true);
    assert.equal(columns.lookup.isUnique, false);
    assert.equal(getTableColumns(hcTable('X__c', { plain: sfId('Plain__c', { unique: false }) })).plain.isUnique, false);
  });

  it('never creates a foreign key for a lookup or master-detail', () => {
    assert.deepEqual(getTableConfig(everything).foreignKeys, []);
  });

  it('records the Salesforce metadata on the built columns', () => {
    assert.deepEqual(
      { sfName: sfFieldOf(columns.picklist)?.sfName, values: sfFieldOf(columns.picklist)?.values },
      { sfName: 'Picklist__c', values: ['A', 'B'] },
    );
    assert.equal(sfFieldOf(columns.lookup)?.references?.(), parent);
    assert.equal(sfFieldOf(columns.lookup)?.index, true);
    assert.equal(sfFieldOf(columns.externalId)?.upsert, true);
    assert.equal(sfFieldOf(columns.hcErr), undefined);
  });

  it('makes an external id with { upsert: false } plain and unindexed', () => {
    const table = hcTable('Y__c', { ext: sfExternalId('Ext__c', { upsert: false }) });
    const column = getTableColumns(table).ext;
    assert.equal(column.isUnique, false);
    assert.deepEqual({ upsert: sfFieldOf(column)?.upsert, index: sfFieldOf(column)?.index }, { upsert: false, index: false });
  });

  it('gives an external id a fresh 32-hex-digit default', () => {
    const make = columns.externalId.defaultFn;
    assert.ok(make);
    const [first, second] = [make(), make()];
    assert.match(String(first), /^[0-9a-f]{32}$/);
    assert.notEqual(first, second);
  });
});

describe('hcTable', () => {
  it('puts the table in the salesforce schema, named after the object', () => {
    const config = getTableConfig(everything);
    assert.deepEqual({ schema: config.schema, name: config.name }, { schema: 'salesforce', name: 'everything__c' });
  });

  it('takes schema, tableName and the mapping options', () => {
    const table = hcTable('Account', {}, {
      schema: 'org',
      tableName: 'accounts',
      access: READ_WRITE,
      notifyEnabled: true,
      pollingSeconds: 120,
      maxDailyApiCalls: 5000,
    });
    const config = getTableConfig(table);
    assert.deepEqual({ schema: config.schema, name: config.name }, { schema: 'org', name: 'accounts' });
    assert.deepEqual(sfObjectOf(table), {
      objectName: 'Account',
      access: 'read_write',
      notifyEnabled: true,
      pollingSeconds: 120,
      maxDailyApiCalls: 5000,
      modstampField: 'SystemModstamp',
      isDeleted: true,
    });
  });

  it('defaults to read-only, no notify, 600 s polling, 30000 daily API calls', () => {
    assert.deepEqual(sfObjectOf(parent), {
      objectName: 'Parent__c',
      access: 'read_only',
      notifyEnabled: false,
      pollingSeconds: 600,
      maxDailyApiCalls: 30000,
      modstampField: 'SystemModstamp',
      isDeleted: true,
    });
  });

  for (const objectName of ['User', 'RecordType', 'EmailTemplate']) {
    it(`leaves out isdeleted for ${objectName}`, () => {
      assert.equal('isDeleted' in getTableColumns(hcTable(objectName, {})), false);
      assert.equal(sfObjectOf(hcTable(objectName, {}))?.isDeleted, false);
    });
  }

  it('leaves out isdeleted when told the object has no IsDeleted, and keeps it when told it has', () => {
    assert.equal('isDeleted' in getTableColumns(hcTable('UserRole', {}, { isDeleted: false })), false);
    assert.equal(getTableColumns(hcTable('User', {}, { isDeleted: true })).isDeleted.name, 'isdeleted');
  });

  it('maps the field standing in for SystemModstamp on objects without one, indexed, in its place', () => {
    const share = hcTable('AccountShare', { accountId: sfLookup('AccountId') }, { modstampField: 'LastModifiedDate' });
    const columns = getTableColumns(share);
    assert.deepEqual(Object.keys(columns), ['id', 'sfid', 'lastModifiedDate', 'isDeleted', 'hcLastop', 'hcErr', 'accountId']);
    assert.equal(columns.lastModifiedDate.name, 'lastmodifieddate');
    assert.equal(columns.lastModifiedDate.getSQLType(), 'timestamp');
    assert.deepEqual(sfFieldOf(columns.lastModifiedDate), { sfName: 'LastModifiedDate', kind: 'datetime', upsert: false, index: true });
    assert.equal(sfObjectOf(share)?.modstampField, 'LastModifiedDate');
    const history = hcTable('AccountHistory', {}, { modstampField: 'CreatedDate' });
    assert.equal(getTableColumns(history).createdDate.name, 'createddate');
    assert.equal('systemModstamp' in getTableColumns(history), false);
  });

  it('passes extraConfig indexes to Drizzle', () => {
    const table = hcTable('Z__c', { name: sfText('Name') }, { extraConfig: () => [] });
    assert.deepEqual(getTableConfig(table).indexes, []);
  });

  it('does not throw for an empty object name or a bad access value (check reports them)', () => {
    const table = hcTable('', {}, { access: 'write_only' as 'read_only' });
    assert.deepEqual({ name: getTableConfig(table).name, access: sfObjectOf(table)?.access }, { name: '', access: 'write_only' });
  });
});
