/** A table of logs, as the list, the confirmation and a log's related logs show it. */
import type { TriggerLogEntry } from '../../trigger-log/list-logs.ts';
import { shortMessage, timeCell } from '../format.ts';
import { html, type Html } from '../html.ts';
import { formatLogKey, type LogKey } from '../list-params.ts';

/** The path of a log's page. */
export function logPath(base: string, key: LogKey): string {
  return `${base}/logs/${key.archived ? 'archive' : 'live'}/${key.id}`;
}

/** A state as a labelled badge; the class only colours it, the text says it. */
export function stateBadge(state: string | null): Html {
  const tone =
    state === 'FAILED' ? 'failed' : state === 'SUCCESS' ? 'success' : state === 'NEW' || state === 'PENDING' ? 'waiting' : 'other';
  return html`<span class="state state-${tone}">${state ?? 'none'}</span>`;
}

export interface LogTableOptions {
  readonly caption: Html | string;
  /** Rows get a checkbox named `log`. */
  readonly selectable?: boolean;
  /** The log whose page this is, marked in the table. */
  readonly current?: LogKey;
  /** Shown in the body when there are no logs. */
  readonly empty: string;
}

export function logTable(base: string, entries: readonly TriggerLogEntry[], options: LogTableOptions): Html {
  const rows = entries.map((entry) => {
    const key = formatLogKey(entry);
    const isCurrent = options.current !== undefined && options.current.id === entry.id && options.current.archived === entry.archived;
    return html`<tr${isCurrent ? html` aria-current="true" class="current"` : ''}>
${options.selectable ? html`<td class="select"><input type="checkbox" name="log" value="${key}" id="select-${key}"><label class="visually-hidden" for="select-${key}">Select log ${entry.id}</label></td>` : ''}
<th scope="row"><a href="${logPath(base, entry)}">${entry.id}</a>${isCurrent ? html` <span class="note">(this log)</span>` : ''}</th>
<td>${timeCell(entry.createdAt)}</td>
<td>${entry.action ?? ''}</td>
<td>${entry.tableName ?? ''}</td>
<td class="number">${entry.recordId ?? ''}</td>
<td><code>${entry.sfid ?? ''}</code></td>
<td>${stateBadge(entry.state)}</td>
<td>${entry.archived ? 'archive' : 'live'}</td>
<td class="message">${shortMessage(entry.sfMessage)}</td>
</tr>`;
  });
  const columns = (options.selectable ? 1 : 0) + 9;
  return html`<div class="table-wrap"><table class="logs">
<caption>${options.caption}</caption>
<thead><tr>
${options.selectable ? html`<th scope="col" class="select"><input type="checkbox" id="select-all" hidden><label class="visually-hidden" for="select-all">Select every log on this page</label></th>` : ''}
<th scope="col">ID</th><th scope="col">Captured (UTC)</th><th scope="col">Action</th><th scope="col">Table</th><th scope="col">Record id</th><th scope="col">sfid</th><th scope="col">State</th><th scope="col">Log</th><th scope="col">Message</th>
</tr></thead>
<tbody>
${rows.length === 0 ? html`<tr><td colspan="${columns}" class="empty">${options.empty}</td></tr>` : rows}
</tbody>
</table></div>`;
}
