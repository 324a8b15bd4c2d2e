import type { AnyPgDatabase } from '../compat.ts';
import { TRIGGER_LOG_STATE } from './constants.ts';
import type { TriggerLogFilter } from './filter.ts';
import { listLogs, type TriggerLogEntry } from './list-logs.ts';

/**
 * The FAILED rows matching `filter` (both tables unless `filter.logs` says):
 * what `retryFailed` and `ignoreFailed` would change.
 *
 * @example
 * for (const log of await failedLogs(db, { table: account })) console.log(log.id, log.sfMessage);
 */
export function failedLogs(db: AnyPgDatabase, filter: TriggerLogFilter = {}): Promise<TriggerLogEntry[]> {
  return listLogs(db, { ...filter, state: TRIGGER_LOG_STATE.FAILED });
}
