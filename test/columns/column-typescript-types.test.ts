/**
 * The TypeScript types the builders promise. Checked by `tsc --noEmit` (part
 * of `npm test`): a wrong type fails to compile. The runtime assertions check
 * the same rows really carry those shapes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  READ_WRITE,
  hcTable,
  sfCheckbox,
  sfCurrency,
  sfDate,
  sfDateTime,
  sfEmail,
  sfExternalId,
  sfInteger,
  sfLookup,
  sfMultiPicklist,
  sfNumber,
  sfPicklist,
  sfText,
  sfTextAreaLong,
  sfTime,
} from 'hc-drizzle';
import { expectType, type Equal } from '../support/type-assertions.ts';

const account = hcTable('Account', { name: sfText('Name').notNull() }, { access: READ_WRITE });
const lead = hcTable('Lead', {
  status: sfPicklist('Status', { values: ['Open', 'Closed'] }),
  topics: sfMultiPicklist('Topics__c', { values: ['Golf', 'Chess'] }),
  email: sfEmail('Email'),
  notes: sfTextAreaLong('Notes__c'),
  score: sfNumber('Score__c'),
  revenue: sfCurrency('Revenue__c'),
  employees: sfInteger('Employees__c'),
  converted: sfCheckbox('IsConverted'),
  birthday: sfDate('Birthday__c'),
  convertedAt: sfDateTime('ConvertedAt__c'),
  callTime: sfTime('CallTime__c'),
  externalId: sfExternalId('External_Id__c'),
  accountId: sfLookup('AccountId', { references: () => account }),
});

type Lead = typeof lead.$inferSelect;
type NewLead = typeof lead.$inferInsert;

expectType<Equal<Lead['status'], 'Open' | 'Closed' | null>>();
expectType<Equal<Lead['topics'], ('Golf' | 'Chess')[] | null>>();
expectType<Equal<Lead['email'], string | null>>();
expectType<Equal<Lead['notes'], string | null>>();
expectType<Equal<Lead['score'], number | null>>();
expectType<Equal<Lead['revenue'], number | null>>();
expectType<Equal<Lead['employees'], number | null>>();
expectType<Equal<Lead['converted'], boolean | null>>();
expectType<Equal<Lead['birthday'], string | null>>();
expectType<Equal<Lead['convertedAt'], Date | null>>();
expectType<Equal<Lead['systemModstamp'], Date | null>>();
expectType<Equal<Lead['callTime'], string | null>>();
expectType<Equal<Lead['externalId'], string | null>>();
expectType<Equal<Lead['accountId'], string | null>>();
expectType<Equal<Lead['id'], number>>();
expectType<Equal<Lead['sfid'], string | null>>();
expectType<Equal<Lead['isDeleted'], boolean | null>>();

// Picklists accept only their values.
const ok: NewLead = { status: 'Open', topics: ['Golf'] };
// @ts-expect-error 'Pending' is not one of the picklist's values
const badStatus: NewLead = { status: 'Pending' };
// @ts-expect-error 'Tennis' is not one of the multi-picklist's values
const badTopic: NewLead = { topics: ['Tennis'] };
// @ts-expect-error a datetime is a Date, not a string
const badDate: NewLead = { convertedAt: '2024-01-01' };

// User has no IsDeleted field.
const user = hcTable('User', {});
// @ts-expect-error User has no isDeleted column
user.isDeleted;

// Objects told they have no IsDeleted, or a field in place of SystemModstamp.
const userRole = hcTable('UserRole', {}, { isDeleted: false });
// @ts-expect-error UserRole was declared without IsDeleted
userRole.isDeleted;
const accountShare = hcTable('AccountShare', {}, { modstampField: 'LastModifiedDate' });
expectType<Equal<(typeof accountShare.$inferSelect)['lastModifiedDate'], Date | null>>();
// @ts-expect-error AccountShare has LastModifiedDate in place of SystemModstamp
accountShare.systemModstamp;

// Picklists pulled from a database have no values: typed as strings.
const pulled = hcTable('Pulled__c', { kind: sfPicklist('Kind__c'), tags: sfMultiPicklist('Tags__c') });
expectType<Equal<(typeof pulled.$inferSelect)['kind'], string | null>>();
expectType<Equal<(typeof pulled.$inferSelect)['tags'], string[] | null>>();

// notNull() keeps working through the builders.
type NewAccount = typeof account.$inferInsert;
// @ts-expect-error name is required after .notNull()
const noName: NewAccount = {};

// A lookup's relation to its parent: test/relations (per drizzle-orm version).

describe('TypeScript types', () => {
  it('compile as asserted above (tsc --noEmit) and match the runtime shapes', () => {
    assert.deepEqual(ok, { status: 'Open', topics: ['Golf'] });
    assert.ok([badStatus, badTopic, badDate, noName].every((value) => typeof value === 'object'));
  });
});
