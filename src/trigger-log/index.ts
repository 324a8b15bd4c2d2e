/**
 * hc-drizzle/trigger-log: Heroku Connect's trigger log tables and the
 * operations on them. Edge-safe: no `node:` imports, no database driver.
 */
export { TRIGGER_LOG_ACTION, TRIGGER_LOG_STATE, type TriggerLogAction, type TriggerLogState, type WriteAlgorithm } from './constants.ts';
export * from './conventions.ts';
export * from './tables.ts';
export * from './hstore.ts';
export type { LogSelection, TriggerLogFilter } from './filter.ts';
export * from './list-logs.ts';
export * from './failed-logs.ts';
export * from './logs-for-record.ts';
export * from './record-of-log.ts';
export { RecordNotFoundError, type RecordRef } from './capture.ts';
export * from './capture-insert.ts';
export * from './capture-update.ts';
export type { RequeueOptions, RequeueResult } from './requeue.ts';
export * from './redo.ts';
export * from './retry-failed.ts';
export * from './ignore-failed.ts';
