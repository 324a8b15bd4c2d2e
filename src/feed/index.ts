/**
 * hc-drizzle/feed: react to the changes Heroku Connect writes (from
 * Salesforce). Node only.
 */
export { installChangeFeed, type InstallChangeFeedOptions, type InstallChangeFeedResult } from './install.ts';
export { subscribeChanges, type ChangeSubscription, type HandlerContext, type StopOptions, type SubscribeChangesOptions } from './subscribe.ts';
export { isChangeOf, type Change, type ChangeOp, type ResyncEvent, type ResyncReason } from './change.ts';
export { listParkedChanges, retryParkedChanges, dismissParkedChanges, type ParkedChange, type ParkedSelection } from './parked.ts';
export { feedStatus, type FeedStatus, type GroupStatus, type CapturedTableStatus } from './status.ts';
export { ChangeParkedError, FeedConnectionError, FeedTableMissingError, HandlerTimeoutError, ResyncNotHandledError } from './errors.ts';
export type { FeedPool } from './connection.ts';
export type { FeedTables, TablesOf } from './tables.ts';
export type { CaptureStatus, TableRef } from './queries.ts';
