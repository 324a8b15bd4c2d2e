/** The example app's tables in an embedded PGlite, with a user, two accounts, contacts, a profile and a note. */
import { PGlite } from '@electric-sql/pglite';
import { hstore } from '@electric-sql/pglite/contrib/hstore';
import { drizzle } from 'drizzle-orm/pglite';
import { createDevelopmentSchema } from '../../src/dev/index.ts';
import * as salesforce from '../../examples/salesforce.ts';

export async function openExampleDatabase(): Promise<PGlite> {
  const client = new PGlite({ extensions: { hstore } });
  await createDevelopmentSchema(drizzle({ client }), salesforce);
  await client.exec(`
    create table account_profile (id serial primary key, account_external_id varchar(32) not null unique,
      tier text not null default 'standard', seats integer not null default 1);
    create table contact_note (id serial primary key, contact_sfid varchar(18) not null, body text not null,
      created_at timestamp not null default now());
    insert into salesforce."user" (sfid, name) values ('005000000000001AAA', 'Ada');
    insert into salesforce.account (sfid, name, external_id__c, ownerid)
      values ('001000000000001AAA', 'Acme', 'ACME-1', '005000000000001AAA'), ('001000000000002AAA', 'Initech', 'INIT-1', null);
    insert into salesforce.contact (sfid, lastname, accountid)
      values ('003000000000001AAA', 'Lovelace', '001000000000001AAA'), ('003000000000002AAA', 'Hopper', '001000000000001AAA'),
             ('003000000000003AAA', 'Orphan', null);
    insert into account_profile (account_external_id, tier) values ('ACME-1', 'gold');
    insert into contact_note (contact_sfid, body) values ('003000000000002AAA', 'met at the conference');
  `);
  return client;
}

/** What both relation APIs must answer for the rows above. */
export const EXPECTED = {
  lovelace: { lastName: 'Lovelace', account: { name: 'Acme', owner: { name: 'Ada' } } },
  orphan: { lastName: 'Orphan', account: null },
  acmeContacts: ['Hopper', 'Lovelace'],
  acmeProfile: { tier: 'gold' },
  noteContact: { lastName: 'Hopper', account: { name: 'Acme' } },
} as const;
