/** The table the crash test writes to. */
import { READ_WRITE, hcTable, sfExternalId, sfText } from 'hc-drizzle';

export const crashAccount = hcTable('Account', { name: sfText('Name'), externalId: sfExternalId('External_ID__c') }, { access: READ_WRITE });
export const crashSchema = [crashAccount];
