/** hc-drizzle/emulator: Heroku Connect and a Salesforce org, locally (Node only). */
export * from './start-emulator.ts';
export { DEFAULT_CREDENTIALS, type EmulatorCredentials } from './api/salesforce-rest.ts';
export { DEFAULT_ORG_SCHEMA, Org, type DeletedResult, type FieldValue, type RecordFields, type UpdatedResult } from './org/org.ts';
export { SalesforceApiError, type SalesforceError } from './org/errors.ts';
export { OrgFaults, type FaultError } from './org/faults.ts';
export { parseOrgFixtures, type OrgFixtures } from './org/fixtures.ts';
export type { OrgField, OrgObject } from './org/objects.ts';
export type { SyncResult } from './sync/engine.ts';
export type { WriteOutResult } from './sync/write-out.ts';
export type { PollInResult } from './sync/poll-in.ts';
export type { ConnectConnection, ConnectMapping } from './connect-api/connection.ts';
