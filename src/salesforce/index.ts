/**
 * hc-drizzle/salesforce: the Salesforce REST client, push and pull for
 * hcTables. Edge-safe: `fetch` (undici in Node, through `hc-drizzle/node`).
 */
export {
  createSalesforceClient,
  type ApiUsage,
  type ChangeWindow,
  type CollectionOptions,
  type CollectionOutcome,
  type SalesforceAuth,
  type SalesforceCallOptions,
  type SalesforceClient,
  type SalesforceClientOptions,
} from './client.ts';
export { salesforceClientFromSettings } from './client-from-settings.ts';
export { SalesforceApiError, SalesforceObjectNotAllowedError, type SalesforceErrorDetail, type SalesforceFailure } from './errors.ts';
export { changedRecords, pullRecord, refreshTable, type ChangedRecords, type RefreshOptions, type RefreshProgress, type RefreshResult } from './pull.ts';
export { pushRecord, pushRecords, type PushManyOptions, type PushOptions, type PushOutcome, type PushRow } from './push.ts';
export type { SalesforceRecord, SObjectDescribe } from './replies.ts';
export { readSalesforceSettings, type SalesforceSettings } from '../settings/salesforce-settings.ts';
