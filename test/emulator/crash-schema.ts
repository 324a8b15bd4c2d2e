/** The table the crash test writes to, and the org it writes to: account numbers longer than 8 are refused. */
import { READ_WRITE, hcTable, sfExternalId, sfText } from 'hc-drizzle';
import type { OrgFixtures } from 'hc-drizzle/emulator';

export const crashAccount = hcTable(
  'Account',
  { name: sfText('Name'), accountNumber: sfText('AccountNumber', { length: 40 }), externalId: sfExternalId('External_ID__c') },
  { access: READ_WRITE },
);
export const crashSchema = [crashAccount];
export const crashOrg: OrgFixtures = { objects: { Account: { fields: { AccountNumber: { length: 8 } } } } };
