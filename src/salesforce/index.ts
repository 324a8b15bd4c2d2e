export * from './client.ts';
export * from './client-from-settings.ts';
export * from './errors.ts';
export * from './pull.ts';
export * from './push.ts';
export type { SalesforceRecord, SObjectDescribe } from './replies.ts';
export { readSalesforceSettings, type SalesforceSettings } from '../settings/salesforce-settings.ts';
