/**
 * hc-drizzle/feed: react to the changes Heroku Connect writes (from
 * Salesforce). Node only.
 */
export * from './install.ts';
export * from './subscribe.ts';
export { isChangeOf, type Change, type ChangeOp, type ResyncEvent, type ResyncReason } from './change.ts';
export type { FeedPool } from './connection.ts';
export type { FeedTables, TablesOf } from './tables.ts';
export type { CaptureStatus, TableRef } from './queries.ts';
export { FEED_SCHEMA, FEED_CHANNEL } from './ddl.ts';
export * from './errors.ts';
