/** A log's page: its facts, its fields beside the record's, the record's other logs, its actions. */
import { parseHstore } from '../../trigger-log/hstore.ts';
import type { TriggerLogEntry } from '../../trigger-log/list-logs.ts';
import type { LoggedRecord } from '../detail-query.ts';
import { timeCell, valueCell } from '../format.ts';
import { html, type Html } from '../html.ts';
import { DEFAULT_LIST_PARAMS, formatLogKey } from '../list-params.ts';
import type { Notice } from '../notice.ts';
import { layout, type PageContext } from './layout.ts';
import { listHref, noticeBlock } from './list-page.ts';
import { logPath, logTable, stateBadge } from './log-table.ts';

/** hstore text as fields; text that is not hstore is shown as it is. */
function fieldsOf(text: string | null): { fields: Record<string, string | null>; unreadable: string | undefined } {
  try {
    return { fields: parseHstore(text), unreadable: undefined };
  } catch {
    return { fields: {}, unreadable: text ?? '' };
  }
}

/** id and sfid first, Heroku Connect's own columns last, the rest by name. */
function fieldOrder(a: string, b: string): number {
  const rank = (name: string) => (name === 'id' ? 0 : name === 'sfid' ? 1 : name.startsWith('_hc_') ? 3 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

function fieldTable(log: TriggerLogEntry, record: LoggedRecord): Html {
  const old = fieldsOf(log.old);
  const values = fieldsOf(log.values);
  const now = record.kind === 'found' ? record.fields : {};
  const names = [...new Set([...Object.keys(old.fields), ...Object.keys(values.fields), ...Object.keys(now)])].sort(fieldOrder);
  const has = (fields: Record<string, string | null>, name: string) => Object.hasOwn(fields, name);
  const rows = names.map((name) => {
    const logged = has(values.fields, name);
    const differs = record.kind === 'found' && logged && has(now, name) && now[name] !== values.fields[name];
    return html`<tr${logged ? html` class="logged"` : ''}>
<th scope="row"><code>${name}</code></th>
<td>${has(old.fields, name) ? valueCell(old.fields[name]) : valueCell(undefined)}</td>
<td>${logged ? valueCell(values.fields[name]) : valueCell(undefined)}</td>
<td>${record.kind === 'found' && has(now, name) ? valueCell(now[name]) : valueCell(undefined)}${differs ? html` <span class="differs">differs from the log</span>` : ''}</td>
</tr>`;
  });
  const unreadable = [old.unreadable, values.unreadable].filter((text): text is string => text !== undefined);
  return html`<section aria-labelledby="fields-heading">
<h2 id="fields-heading">Fields</h2>
<p class="hint">“Before” is the row before the change (<code>old</code>), “Logged” what the log sends (<code>values</code>; an update lists only the columns it changed), “Record now” the row as it is in the table.</p>
<div class="table-wrap"><table class="fields">
<caption>Fields of log ${log.id}</caption>
<thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">Logged</th><th scope="col">Record now</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="4" class="empty">The log holds no fields.</td></tr>` : rows}</tbody>
</table></div>
${unreadable.map((text) => html`<p class="warning">Not hstore text, shown as stored:</p><pre>${text}</pre>`)}
</section>`;
}

function recordSection(context: PageContext, log: TriggerLogEntry, record: LoggedRecord, related: readonly TriggerLogEntry[]): Html {
  const where = `${context.schema}.${log.tableName ?? ''}`;
  const status =
    log.recordId === null
      ? 'The log names no record.'
      : record.kind === 'found'
        ? `Row ${log.recordId} of ${where}${record.fields['sfid'] ? `, Salesforce id ${record.fields['sfid']}` : ', not yet in Salesforce'}${record.fields['_hc_lastop'] ? `, last sync operation ${record.fields['_hc_lastop']}` : ''}.`
        : record.kind === 'gone'
          ? `Row ${log.recordId} is no longer in ${where}.`
          : `${where} is not a mapped table of this database.`;
  const allLogs = listHref(context.base, { ...DEFAULT_LIST_PARAMS, table: log.tableName ?? undefined, q: String(log.recordId ?? '') });
  return html`<section aria-labelledby="record-heading">
<h2 id="record-heading">Record</h2>
<p>${status}</p>
${log.recordId === null
    ? ''
    : html`<h3>Logs of this record</h3>
${logTable(context.base, related, { caption: `Logs of row ${log.recordId} of ${log.tableName ?? ''}, newest first`, current: log, empty: 'No logs.' })}
<p><a href="${allLogs}">All logs of this record in the list</a></p>`}
</section>`;
}

export function detailPageHtml(
  context: PageContext,
  log: TriggerLogEntry,
  extra: { readonly record: LoggedRecord; readonly related: readonly TriggerLogEntry[]; readonly notice: Notice | undefined },
): Html {
  const failed = log.state === 'FAILED';
  const facts: [string, Html | string][] = [
    ['Log', log.archived ? 'archive (_trigger_log_archive)' : 'live (_trigger_log)'],
    ['State', stateBadge(log.state)],
    ['Action', log.action ?? ''],
    ['Table', log.tableName ?? ''],
    ['Record id', log.recordId === null ? '' : String(log.recordId)],
    ['sfid', html`<code>${log.sfid ?? ''}</code>`],
    ['Captured (UTC)', timeCell(log.createdAt)],
    ['Updated (UTC)', timeCell(log.updatedAt)],
    ['Processed (UTC)', timeCell(log.processedAt)],
    ['Transaction', log.txid === null ? '' : String(log.txid)],
    ['Processing transaction', log.processedTx === null ? '' : String(log.processedTx)],
    ['Salesforce result', log.sfResult === null ? '' : String(log.sfResult)],
  ];
  const key = formatLogKey(log);
  const body = html`<nav aria-label="Breadcrumb" class="breadcrumb"><a href="${context.base}/">Trigger log</a> › Log ${log.id}</nav>
<h1>Log ${log.id} ${stateBadge(log.state)}</h1>
${noticeBlock(extra.notice)}
<dl class="facts">${facts.map(([term, value]) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`)}</dl>
<section aria-labelledby="message-heading">
<h2 id="message-heading">Salesforce message</h2>
${log.sfMessage === null ? html`<p class="none">No message.</p>` : html`<pre class="message">${log.sfMessage}</pre>`}
</section>
<form method="get" action="${context.base}/confirm" class="toolbar" aria-label="Actions on this log">
<input type="hidden" name="log" value="${key}">
<input type="hidden" name="back" value="${logPath(context.base, log)}">
${failed ? html`<button type="submit" name="do" value="retry">Retry</button> <button type="submit" name="do" value="ignore">Ignore</button> ` : ''}<button type="submit" name="do" value="redo">Redo</button>
${failed ? '' : html`<span class="hint">Retry and Ignore are for FAILED logs.</span>`}
</form>
${fieldTable(log, extra.record)}
${recordSection(context, log, extra.record, extra.related)}`;
  return layout(context, { title: `Log ${log.id}`, section: 'logs', body });
}
