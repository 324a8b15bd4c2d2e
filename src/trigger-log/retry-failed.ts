import type { AnyPgDatabase } from '../compat.ts';
import { TRIGGER_LOG_STATE } from './constants.ts';
import type { TriggerLogFilter } from './filter.ts';
import { requeue, type RequeueOptions, type RequeueResult } from './requeue.ts';

/**
 * Retry every FAILED log matching `filter`, live and archived (unless
 * `filter.logs` says), the way the write algorithm needs (heroku-connect.md
 * §3.6): merged writes set live logs back to NEW and copy archived ones into
 * the live log; ordered writes re-capture INSERTs and UPDATEs and mark the
 * originals REQUEUED. One statement per table; safe to run from two workers.
 *
 * @example
 * const { live, archived } = await retryFailed(db, { table: account, since }, { writeAlgorithm: 'ordered' });
 */
export function retryFailed(db: AnyPgDatabase, filter: TriggerLogFilter, options: RequeueOptions): Promise<RequeueResult> {
  return requeue(db, filter, TRIGGER_LOG_STATE.FAILED, options);
}
