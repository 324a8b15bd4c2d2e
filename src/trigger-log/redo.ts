import type { AnyPgDatabase } from '../compat.ts';
import { requeue, type RequeueOptions } from './requeue.ts';

/** A log to redo: its id, and whether it is in the archive. */
export interface LogRef {
  readonly id: number;
  readonly archived: boolean;
}

/**
 * Send one log again, whatever its state, as django-heroku-connect's
 * `TriggerLog.redo()` / `TriggerLogArchive.redo()` (heroku-connect.md §3.6):
 * merged writes set a live log to NEW, or copy an archived one into the live
 * log as NEW and mark it REQUEUED; ordered writes re-capture the row and mark
 * the log REQUEUED (a DELETE falls back to the merged-writes change).
 * Resolves to false when nothing changed: the log is held by another worker,
 * or (ordered) its row is gone.
 *
 * @example
 * await redo(db, { id: 17, archived: true }, { writeAlgorithm: 'merged' });
 */
export async function redo(
  db: AnyPgDatabase,
  log: LogRef,
  options: RequeueOptions & { readonly schema?: string },
): Promise<boolean> {
  const filter = { ids: [log.id], logs: log.archived ? 'archived' : 'live', ...(options.schema === undefined ? {} : { schema: options.schema }) } as const;
  const { live, archived } = await requeue(db, filter, undefined, options);
  return live + archived > 0;
}
