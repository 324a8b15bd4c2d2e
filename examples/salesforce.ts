/**
 * The example app's Heroku Connect tables. They live in their own module,
 * outside drizzle-kit's `schema` files (see drizzle.config.ts): Heroku Connect
 * owns these tables, and `drizzle-kit generate` would emit DDL for any table
 * exported from its schema files whatever `schemaFilter` says. The relations
 * are per Drizzle version: examples/relations.drizzle-045.ts (`relations()`)
 * and examples/relations.drizzle-1.ts (`defineRelations()`).
 */
import {
  READ_WRITE,
  hcTable,
  sfCheckbox,
  sfCurrency,
  sfDateTime,
  sfEmail,
  sfExternalId,
  sfLookup,
  sfMultiPicklist,
  sfPhone,
  sfPicklist,
  sfText,
  sfUrl,
} from 'hc-drizzle';

/**
 * Fields every synced object of this app carries: a shared column set, the
 * Drizzle counterpart of django-heroku-connect's abstract model mixins. A
 * function, so each table gets its own column builders.
 */
const auditFields = () => ({
  createdDate: sfDateTime('CreatedDate'),
  lastModifiedDate: sfDateTime('LastModifiedDate'),
});

/** Salesforce users: read-only, synced every 10 minutes. */
export const user = hcTable('User', {
  ...auditFields(),
  name: sfText('Name', { length: 121 }),
  email: sfEmail('Email'),
  isActive: sfCheckbox('IsActive'),
});

/** Accounts: read-write, upserted by a UUID external id. */
export const account = hcTable(
  'Account',
  {
    ...auditFields(),
    name: sfText('Name'),
    externalId: sfExternalId('External_ID__c'),
    industry: sfPicklist('Industry', { values: ['Agriculture', 'Banking', 'Energy', 'Technology'] }),
    annualRevenue: sfCurrency('AnnualRevenue'),
    website: sfUrl('Website'),
    phone: sfPhone('Phone'),
    ownerId: sfLookup('OwnerId', { references: () => user }),
  },
  { access: READ_WRITE, pollingSeconds: 300 },
);

/** Contacts: read-only, each under an account. */
export const contact = hcTable('Contact', {
  ...auditFields(),
  firstName: sfText('FirstName', { length: 40 }),
  lastName: sfText('LastName', { length: 80 }),
  email: sfEmail('Email', { index: true }),
  interests: sfMultiPicklist('Interests__c', { values: ['Golf', 'Sailing', 'Chess'] }),
  accountId: sfLookup('AccountId', { references: () => account }),
});
