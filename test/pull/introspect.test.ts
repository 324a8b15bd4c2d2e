/**
 * introspectHerokuConnect reads the mapped tables of a Heroku Connect schema
 * from pg_catalog, the same through every driver: PGlite, and with
 * DATABASE_URL node-postgres, Neon over WebSocket and Neon over HTTP. What
 * Heroku Connect keeps for itself (trigger log, _hcmeta, _sf_event_log,
 * sequences, functions, triggers) is left out.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { introspectHerokuConnect, type IntrospectedHerokuConnect } from 'hc-drizzle/node';
import { parseMappingExport } from '../../src/mapping/mapping-export.ts';
import { openGuardTargets, type GuardTargets } from '../guard/targets.ts';
import { herokuConnectSchemaDdl } from './heroku-connect-schema.ts';

const mapping = parseMappingExport(
  {
    connection: { features: { ucs_basic_collation_index: true } },
    mappings: [
      {
        object_name: 'Contact',
        config: {
          access: 'read_write',
          fields: { Id: {}, IsDeleted: {}, SystemModstamp: {}, Email: {}, AccountId: {}, Ext__c: {}, Score__c: {} },
          indexes: { Id: { unique: true }, SystemModstamp: { unique: false }, AccountId: { unique: false }, Ext__c: { unique: true } },
          upsert_field: 'Ext__c',
        },
      },
    ],
  },
  'the introspection fixture',
);
const DDL = [
  ...herokuConnectSchemaDdl('hc_introspect', mapping, { Contact: { Email: 'varchar(80)', AccountId: 'varchar(18)', Ext__c: 'varchar(32)', Score__c: 'double precision' } }),
  // What someone else added to the schema: indexes Heroku Connect does not make, a view, a sequence.
  'create index contact_email_lower on hc_introspect.contact (lower(email))',
  `create index contact_open on hc_introspect.contact (email) where not isdeleted`,
  'create index contact_pair on hc_introspect.contact (accountid, email)',
  'create view hc_introspect.contact_view as select sfid from hc_introspect.contact',
  'create sequence hc_introspect.other_seq',
];

const EXPECTED: IntrospectedHerokuConnect = {
  schema: 'hc_introspect',
  exists: true,
  tables: [
    {
      name: 'contact',
      columns: [
        { name: 'id', type: 'integer', notNull: true },
        { name: 'sfid', type: 'character varying', length: 18, notNull: false },
        { name: 'isdeleted', type: 'boolean', notNull: false },
        { name: 'systemmodstamp', type: 'timestamp without time zone', notNull: false },
        { name: 'email', type: 'character varying', length: 80, notNull: false },
        { name: 'accountid', type: 'character varying', length: 18, notNull: false },
        { name: 'ext__c', type: 'character varying', length: 32, notNull: false },
        { name: 'score__c', type: 'double precision', notNull: false },
        { name: '_hc_lastop', type: 'character varying', length: 32, notNull: false },
        { name: '_hc_err', type: 'text', notNull: false },
      ],
      indexes: [
        { name: 'contact_email_lower', columns: [], unique: false, primary: false, partial: true },
        { name: 'contact_open', columns: ['email'], unique: false, primary: false, partial: true },
        { name: 'contact_pair', columns: ['accountid', 'email'], unique: false, primary: false, partial: false },
        { name: 'contact_pkey', columns: ['id'], unique: true, primary: true, partial: false },
        { name: 'hc_idx_contact_accountid', columns: ['accountid'], unique: false, primary: false, partial: false },
        { name: 'hc_idx_contact_systemmodstamp', columns: ['systemmodstamp'], unique: false, primary: false, partial: false },
        { name: 'hcu_idx_contact_ext__c', columns: ['ext__c'], unique: true, primary: false, partial: false },
        { name: 'hcu_idx_contact_sfid', columns: ['sfid'], unique: true, primary: false, partial: false },
      ],
    },
  ],
};

describe('introspectHerokuConnect', () => {
  let targets: GuardTargets;
  before(async () => {
    targets = await openGuardTargets();
    // The PostgreSQL targets share one database: build the schema on PGlite and once on PostgreSQL.
    for (const target of targets.targets.filter((candidate) => candidate.name === 'pglite' || candidate.name === 'node-postgres')) {
      for (const statement of DDL) await target.db.execute(statement);
    }
  });
  after(() => targets?.close());

  it('reads the tables, columns, types, lengths and indexes the same through every driver, without Heroku Connect\'s own', async () => {
    for (const target of targets.targets) {
      assert.deepEqual(await introspectHerokuConnect(target.db, { schema: 'hc_introspect' }), EXPECTED, target.name);
    }
  });

  it('says when the schema does not exist', async () => {
    for (const target of targets.targets) {
      assert.deepEqual(await introspectHerokuConnect(target.db, { schema: 'no_such_schema' }), { schema: 'no_such_schema', exists: false, tables: [] });
    }
  });
});
