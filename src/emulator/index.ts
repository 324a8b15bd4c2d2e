/** hc-drizzle/emulator: Heroku Connect and a Salesforce org, locally (Node only). */
export * from './start-emulator.ts';
export type { EmulatorCredentials } from './api/salesforce-rest.ts';
export type { Org, DeletedResult, FieldValue, RecordFields, UpdatedResult } from './org/org.ts';
export { SalesforceApiError, type SalesforceError } from './org/errors.ts';
export type { OrgFaults, FaultError } from './org/faults.ts';
export type { OrgFixtures } from './org/fixtures.ts';
export type { OrgField, OrgObject } from './org/objects.ts';
export type { SyncResult } from './sync/engine.ts';
export type { WriteOutResult } from './sync/write-out.ts';
export type { PollInResult } from './sync/poll-in.ts';
export type { ConnectConnection, ConnectMapping } from './connect-api/connection.ts';
