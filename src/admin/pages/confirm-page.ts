/** The confirmation every action passes through: what will change, how many, and the button that does it. */
import type { TriggerLogEntry } from '../../trigger-log/list-logs.ts';
import type { RequeueResult } from '../../trigger-log/requeue.ts';
import type { ActionScope, AdminAction } from '../actions.ts';
import { plural } from '../format.ts';
import { html, type Html } from '../html.ts';
import { formatLogKey, type ListParams } from '../list-params.ts';
import { layout, type PageContext } from './layout.ts';
import { filterInputs } from './list-page.ts';
import { logTable } from './log-table.ts';

const VERB: Readonly<Record<AdminAction, string>> = { retry: 'Retry', ignore: 'Ignore', redo: 'Redo' };

/** What the action does, in the write algorithm it will use. */
function explanation(action: AdminAction, writeAlgorithm: string | undefined): string {
  if (action === 'ignore') return 'Each FAILED log becomes IGNORED: Heroku Connect will not send it again.';
  const what = action === 'retry' ? 'Each FAILED log' : 'Each log, whatever its state,';
  if (writeAlgorithm === 'ordered') {
    return `${what} is sent again with ordered writes: an insert or update is re-captured from the row as it is now (a new NEW log) and the log becomes REQUEUED; a delete goes back to NEW (or is copied into the live log as NEW when archived). A log whose row is gone stays as it is.`;
  }
  return `${what} is sent again with merged writes: a live log goes back to NEW; an archived log is copied into the live log as NEW and becomes REQUEUED.`;
}

/** The filter in words, for a confirmation of "every matching log". */
function filterWords(params: ListParams): string {
  const parts = [
    params.state === undefined ? undefined : `state ${params.state}`,
    params.action === undefined ? undefined : `action ${params.action}`,
    params.table === undefined ? undefined : `table ${params.table}`,
    params.logs === 'all' ? 'live and archived' : params.logs === 'live' ? 'live only' : 'archived only',
    params.q === '' ? undefined : `matching “${params.q}”`,
    params.since === undefined ? undefined : `captured from ${params.since}`,
    params.until === undefined ? undefined : `captured up to ${params.until}`,
  ];
  return parts.filter((part) => part !== undefined).join(', ');
}

export interface ConfirmPage {
  readonly action: AdminAction;
  readonly scope: ActionScope;
  /** What the action would change now. */
  readonly changes: RequeueResult;
  /** The chosen logs, as found (selected scope). */
  readonly chosen: readonly TriggerLogEntry[];
  readonly writeAlgorithm: string | undefined;
  /** Where Cancel and the result lead. */
  readonly back: string;
  /** Why the action cannot run (no write algorithm). */
  readonly blocked: string | undefined;
}

export function confirmPageHtml(context: PageContext, page: ConfirmPage): Html {
  const verb = VERB[page.action];
  const total = page.changes.live + page.changes.archived;
  const scopeInputs =
    page.scope.kind === 'selected'
      ? html`<input type="hidden" name="scope" value="selected">${page.scope.logs.map((log) => html`<input type="hidden" name="log" value="${formatLogKey(log)}">`)}`
      : html`<input type="hidden" name="scope" value="filtered">${filterInputs(page.scope.params)}`;
  const selected = page.scope.kind === 'selected' ? page.scope.logs.length : undefined;
  const unchanged = selected === undefined ? 0 : selected - total;
  const form =
    page.blocked !== undefined
      ? html`<p class="warning">${page.blocked}</p><p><a href="${page.back}">Back</a></p>`
      : total === 0
        ? html`<p><a href="${page.back}">Back</a></p>`
        : html`<form method="post" action="${context.base}/actions" class="confirm">
<input type="hidden" name="csrf" value="${context.csrfToken}">
<input type="hidden" name="do" value="${page.action}">
${scopeInputs}
<input type="hidden" name="expected" value="${total}">
<input type="hidden" name="back" value="${page.back}">
<button type="submit" class="primary">${verb} ${plural(total, 'log')}</button>
<a href="${page.back}" class="cancel">Cancel</a>
</form>`;
  const why = page.action === 'redo' ? 'cannot be sent again (the log or its row is gone)' : unchanged === 1 ? 'is not FAILED' : 'are not FAILED';
  const stays = unchanged === 0 ? '' : ` ${plural(unchanged, 'of them', 'of them')} ${why} and will stay as ${unchanged === 1 ? 'it is' : 'they are'}.`;
  const what =
    page.scope.kind === 'selected'
      ? html`<p>You chose ${plural(page.scope.logs.length, 'log')}.${stays}</p>
${page.chosen.length === 0 ? '' : logTable(context.base, page.chosen, { caption: 'The chosen logs', empty: 'None of the chosen logs exists.' })}`
      : html`<p>Every log matching: ${filterWords(page.scope.params)}.</p>`;
  const heading = total === 0 ? `Nothing to ${verb.toLowerCase()}` : `${verb} ${plural(total, 'log')}?`;
  const body = html`<h1>${heading}</h1>
<p class="count"><strong>${total === 0 ? 'No log will change' : `${plural(total, 'log')} will change`}</strong>${total === 0 ? '' : `: ${page.changes.live} live, ${page.changes.archived} archived`}.</p>
${selected === 0 ? html`<p class="warning">No logs were selected: tick the logs to ${page.action} in the list first, or use “${verb} all”.</p>` : ''}
<p>${explanation(page.action, page.writeAlgorithm)}</p>
${what}
${form}`;
  return layout(context, { title: heading, section: 'logs', body });
}
