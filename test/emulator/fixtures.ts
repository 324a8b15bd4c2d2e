/** The hcTables the emulator tests sync, and org fixtures for them. */
import type { OrgFixtures } from 'hc-drizzle/emulator';
import { READ_WRITE, hcTable, sfCheckbox, sfCurrency, sfDate, sfDateTime, sfEmail, sfExternalId, sfLookup, sfPicklist, sfText } from 'hc-drizzle';

export const account = hcTable(
  'Account',
  {
    name: sfText('Name'),
    accountNumber: sfText('AccountNumber', { length: 40 }),
    industry: sfPicklist('Industry', { values: ['Energy', 'Technology'] }),
    tier: sfPicklist('Tier__c', { values: ['Gold', 'Silver'] }),
    createdDate: sfDateTime('CreatedDate'),
    externalId: sfExternalId('External_ID__c'),
  },
  { access: READ_WRITE },
);

export const contact = hcTable(
  'Contact',
  {
    firstName: sfText('FirstName', { length: 40 }),
    lastName: sfText('LastName', { length: 80 }),
    email: sfEmail('Email'),
    accountId: sfLookup('AccountId', { references: () => account }),
    externalId: sfExternalId('External_ID__c'),
  },
  { access: READ_WRITE, notifyEnabled: true },
);

export const invoice = hcTable(
  'Invoice__c',
  {
    name: sfText('Name', { length: 80 }),
    amount: sfCurrency('Amount__c'),
    paid: sfCheckbox('Paid__c'),
    due: sfDate('Due__c'),
    accountId: sfLookup('Account__c', { references: () => account }),
    number: sfText('Number__c', { length: 20, upsert: true }),
  },
  { access: READ_WRITE },
);

/** Read-only: filled from Salesforce only. */
export const user = hcTable('User', { name: sfText('Name', { length: 121 }), email: sfEmail('Email') });

export const schema = { account, contact, invoice, user };

export const orgFixtures: OrgFixtures = {
  objects: {
    Account: {
      label: 'Account',
      fields: {
        AccountNumber: { label: 'Account Number' },
        Industry: { restrictedPicklist: true },
        Rating: { type: 'picklist', picklistValues: ['Hot', 'Warm', 'Cold'] },
      },
      records: [{ Name: 'Seeded Ltd', Industry: 'Energy', External_ID__c: '0123456789abcdef0123456789abcdef' }],
    },
    Invoice__c: { label: 'Invoice', fields: { Amount__c: { required: true } } },
  },
};
