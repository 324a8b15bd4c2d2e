/**
 * Trigger log states and actions (heroku-connect.md §3.2, django-heroku-connect's
 * `TRIGGER_LOG_STATE` and `TRIGGER_LOG_ACTION`).
 */

/** Every state a `_trigger_log` row can be in. */
export const TRIGGER_LOG_STATE = {
  /** Waiting for Heroku Connect: logged by a read-write mapping's trigger, a capture, or a retry. */
  NEW: 'NEW',
  /** Picked up by Heroku Connect, write in flight. */
  PENDING: 'PENDING',
  /** Written to Salesforce. */
  SUCCESS: 'SUCCESS',
  /** Salesforce rejected the write; the reason is in `sf_message`. */
  FAILED: 'FAILED',
  /** Folded into another entry's write by the merged-writes algorithm. */
  MERGED: 'MERGED',
  /** Nothing to send: an update that changed nothing, a delete of a row never created in Salesforce. */
  IGNORE: 'IGNORE',
  /** A failure a person chose not to retry. */
  IGNORED: 'IGNORED',
  /** A change to a read-only mapping: recorded, never sent. */
  READONLY: 'READONLY',
  /** In Heroku Connect's list; its use is not documented. */
  REQUEUE: 'REQUEUE',
  /** Retried: a fresh entry (a copy or a re-capture) was queued in its place. */
  REQUEUED: 'REQUEUED',
} as const;
export type TriggerLogState = (typeof TRIGGER_LOG_STATE)[keyof typeof TRIGGER_LOG_STATE];

/** What a log entry records. */
export const TRIGGER_LOG_ACTION = {
  INSERT: 'INSERT',
  UPDATE: 'UPDATE',
  DELETE: 'DELETE',
} as const;
export type TriggerLogAction = (typeof TRIGGER_LOG_ACTION)[keyof typeof TRIGGER_LOG_ACTION];

/** Heroku Connect's write algorithms (heroku-connect.md §3.5), as `fetchWriteAlgorithm` reports them. */
export const WRITE_ALGORITHMS = ['merged', 'ordered'] as const;
export type { WriteAlgorithm } from '../connect/write-algorithm.ts';
