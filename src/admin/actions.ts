/**
 * Retry, ignore and redo from the admin page, on chosen logs or on every log
 * the list's filter matches. The changes are the trigger log operations'
 * (`retryFailed`, `ignoreFailed`, and requeue for redo); this module only
 * turns a scope into their filters and counts beforehand what they would
 * change, for the confirmation.
 */
import type { AnyPgDatabase } from '../compat.ts';
import { TRIGGER_LOG_STATE, type TriggerLogState, type WriteAlgorithm } from '../trigger-log/constants.ts';
import type { TriggerLogFilter } from '../trigger-log/filter.ts';
import { ignoreFailed } from '../trigger-log/ignore-failed.ts';
import { countRequeue, requeue, type RequeueResult } from '../trigger-log/requeue.ts';
import { retryFailed } from '../trigger-log/retry-failed.ts';
import { filterOf, type ListParams, type LogKey } from './list-params.ts';
import { countLogs } from './list-query.ts';

export const ADMIN_ACTIONS = ['retry', 'ignore', 'redo'] as const;
/** `retry` and `ignore` change FAILED logs; `redo` sends any log again. */
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** The logs an action is about: chosen ones, or every log the list's filter matches. */
export type ActionScope =
  | { readonly kind: 'selected'; readonly logs: readonly LogKey[] }
  | { readonly kind: 'filtered'; readonly params: ListParams };

/** What a person reads once it is done. */
export const ACTION_PAST: Readonly<Record<AdminAction, string>> = { retry: 'retried', ignore: 'ignored', redo: 'redid' };

/** Whether an action needs the connection's write algorithm. */
export function needsWriteAlgorithm(action: AdminAction): boolean {
  return action !== 'ignore';
}

interface Part {
  readonly filter: TriggerLogFilter;
  /** The state the logs must be in; undefined: any. */
  readonly state: TriggerLogState | undefined;
}

/** The operations' filters for a scope; none when no log can qualify. */
function partsOf(action: AdminAction, scope: ActionScope, schema: string, now: Date): Part[] {
  const wanted = action === 'redo' ? undefined : TRIGGER_LOG_STATE.FAILED;
  if (scope.kind === 'selected') {
    const ids = (archived: boolean) => scope.logs.filter((log) => log.archived === archived).map((log) => log.id);
    const parts: Part[] = [];
    if (ids(false).length > 0) parts.push({ filter: { schema, logs: 'live', ids: ids(false) }, state: wanted });
    if (ids(true).length > 0) parts.push({ filter: { schema, logs: 'archived', ids: ids(true) }, state: wanted });
    return parts;
  }
  const listed = scope.params.state;
  // Retrying or ignoring a list of SUCCESS logs changes nothing.
  if (wanted !== undefined && listed !== undefined && listed !== wanted) return [];
  return [{ filter: filterOf(scope.params, schema, now), state: wanted ?? listed }];
}

const sum = (results: readonly RequeueResult[]): RequeueResult => ({
  live: results.reduce((total, result) => total + result.live, 0),
  archived: results.reduce((total, result) => total + result.archived, 0),
});

/** Options of {@link countAction} and {@link performAction}. */
export interface ActionOptions {
  readonly schema: string;
  /** Needed by retry and redo. */
  readonly writeAlgorithm: WriteAlgorithm | undefined;
  readonly now: Date;
}

function algorithmOf(action: AdminAction, options: ActionOptions): { writeAlgorithm: WriteAlgorithm } {
  if (options.writeAlgorithm === undefined) throw new Error(`${action} needs the write algorithm.`);
  return { writeAlgorithm: options.writeAlgorithm };
}

/** How many logs the action would change, live and archived, changing none. */
export async function countAction(db: AnyPgDatabase, action: AdminAction, scope: ActionScope, options: ActionOptions): Promise<RequeueResult> {
  const parts = partsOf(action, scope, options.schema, options.now);
  const results = await Promise.all(
    parts.map(async ({ filter, state }): Promise<RequeueResult> => {
      if (action !== 'ignore') return countRequeue(db, filter, state, algorithmOf(action, options));
      return countFailedApart(db, filter);
    }),
  );
  return sum(results);
}

/** FAILED logs matching `filter`, per table: what ignoreFailed would change. */
async function countFailedApart(db: AnyPgDatabase, filter: TriggerLogFilter): Promise<RequeueResult> {
  const logs = filter.logs ?? 'all';
  const failedIn = (only: 'live' | 'archived') =>
    logs === 'all' || logs === only ? countLogs(db, { ...filter, logs: only }, TRIGGER_LOG_STATE.FAILED) : Promise.resolve(0);
  const [live, archived] = await Promise.all([failedIn('live'), failedIn('archived')]);
  return { live, archived };
}

/** Do the action in one transaction; resolves to what changed. */
export function performAction(db: AnyPgDatabase, action: AdminAction, scope: ActionScope, options: ActionOptions): Promise<RequeueResult> {
  const parts = partsOf(action, scope, options.schema, options.now);
  return db.transaction(async (tx) => {
    const results: RequeueResult[] = [];
    for (const { filter, state } of parts) {
      if (action === 'retry') results.push(await retryFailed(tx, filter, algorithmOf(action, options)));
      else if (action === 'ignore') results.push(await ignoreFailed(tx, filter));
      else results.push(await requeue(tx, filter, state, algorithmOf(action, options)));
    }
    return sum(results);
  });
}
