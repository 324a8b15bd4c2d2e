import { inArray, sql } from 'drizzle-orm';
import type { AnyPgDatabase } from '../compat.ts';
import { TRIGGER_LOG_STATE } from './constants.ts';
import { selectedTables, whereOf, type TriggerLogFilter } from './filter.ts';
import type { RequeueResult } from './requeue.ts';
import type { TriggerLogArchiveTable, TriggerLogTable } from './tables.ts';

/** How many logs were ignored, per table. */
export type IgnoreResult = RequeueResult;

/**
 * Mark every FAILED log matching `filter` IGNORED, live and archived (unless
 * `filter.logs` says), as django-heroku-connect's admin action does
 * (heroku-connect.md §3.6). One statement per table; rows are locked with
 * `for update skip locked`, so concurrent workers never change a log twice.
 *
 * @example
 * const { live, archived } = await ignoreFailed(db, { table: 'account', ids: [12, 13] });
 */
export async function ignoreFailed(db: AnyPgDatabase, filter: TriggerLogFilter): Promise<IgnoreResult> {
  const { live, archive } = selectedTables(filter);
  const ignore = async (log: TriggerLogTable | TriggerLogArchiveTable | undefined) => {
    if (log === undefined) return 0;
    const locked = db
      .select({ id: log.id })
      .from(log)
      .where(whereOf(log, filter, sql`${log.state} = ${TRIGGER_LOG_STATE.FAILED}`))
      .for('update', { skipLocked: true });
    const rows = await db
      .update(log)
      .set({ state: TRIGGER_LOG_STATE.IGNORED, updatedAt: sql`now()` })
      .where(inArray(log.id, locked))
      .returning({ id: log.id });
    return rows.length;
  };
  return { live: await ignore(live), archived: await ignore(archive) };
}
