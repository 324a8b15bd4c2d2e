/** The overview: counts by table and state, and the failure chart, for a window of capture time. */
import { TRIGGER_LOG_STATE } from '../../trigger-log/constants.ts';
import type { LogSelection } from '../../trigger-log/filter.ts';
import { failureChart } from '../chart.ts';
import { formatCount, utcText } from '../format.ts';
import { html, type Html } from '../html.ts';
import { DEFAULT_LIST_PARAMS, type ListParams } from '../list-params.ts';
import { OVERVIEW_WINDOWS, type Overview, type OverviewWindow } from '../overview-query.ts';
import { layout, type PageContext } from './layout.ts';
import { listHref } from './list-page.ts';

function windowHref(base: string, window: OverviewWindow, logs: LogSelection): string {
  const search = new URLSearchParams({ window: window.value });
  if (logs !== 'all') search.set('logs', logs);
  return `${base}/overview?${search}`;
}

function choice(label: string, items: readonly { label: string; href: string; current: boolean }[]): Html {
  return html`<nav class="facet" aria-label="${label}"><h2 class="facet-title">${label}</h2><ul>${items.map(
    (item) => html`<li><a href="${item.href}"${item.current ? html` aria-current="true" class="current"` : ''}>${item.label}</a></li>`,
  )}</ul></nav>`;
}

export function overviewPageHtml(
  context: PageContext,
  overview: Overview,
  options: { readonly window: OverviewWindow; readonly logs: LogSelection },
): Html {
  const base = context.base;
  const listed = (changes: Partial<ListParams>) =>
    listHref(base, { ...DEFAULT_LIST_PARAMS, logs: options.logs, since: options.window.value, ...changes });
  const stateOrder = Object.values(TRIGGER_LOG_STATE) as string[];
  const states = [...new Set(overview.counts.map((row) => row.state))].sort((a, b) => stateOrder.indexOf(a) - stateOrder.indexOf(b));
  const tables = [...new Set(overview.counts.map((row) => row.table))].sort();
  const cell = (table: string, state: string) => overview.counts.find((row) => row.table === table && row.state === state)?.count ?? 0;
  const tableTotal = (table: string) => states.reduce((sum, state) => sum + cell(table, state), 0);
  const stateTotal = (state: string) => tables.reduce((sum, table) => sum + cell(table, state), 0);
  const grand = tables.reduce((sum, table) => sum + tableTotal(table), 0);
  const number = (n: number, changes: Partial<ListParams>) =>
    n === 0 ? html`<span class="zero">0</span>` : html`<a href="${listed(changes)}">${formatCount(n)}</a>`;
  const asState = (state: string) => (stateOrder.includes(state) ? { state: state as ListParams['state'] } : {});
  const matrix =
    tables.length === 0
      ? html`<p>No logs were captured in the last ${options.window.label}.</p>`
      : html`<div class="table-wrap"><table class="matrix">
<caption>Logs captured in the last ${options.window.label}, by table and state</caption>
<thead><tr><th scope="col">Table</th>${states.map((state) => html`<th scope="col" class="number">${state}</th>`)}<th scope="col" class="number">All states</th></tr></thead>
<tbody>${tables.map(
          (table) =>
            html`<tr><th scope="row">${table}</th>${states.map((state) => html`<td class="number">${number(cell(table, state), { table, ...asState(state) })}</td>`)}<td class="number">${number(tableTotal(table), { table })}</td></tr>`,
        )}</tbody>
<tfoot><tr><th scope="row">All tables</th>${states.map((state) => html`<td class="number">${number(stateTotal(state), asState(state))}</td>`)}<td class="number">${number(grand, {})}</td></tr></tfoot>
</table></div>`;
  const chart = failureChart(overview.failures, { since: overview.since, now: context.now, bucketMs: options.window.bucketMs, label: options.window.label });
  const legend = html`<ul class="legend">${chart.series.map(
    (series) =>
      html`<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="${series.colour}"/></svg> ${series.name} <span class="muted">(${formatCount(series.total)})</span></li>`,
  )}</ul>`;
  const rows = chart.buckets
    .map((start, at) => ({ start, counts: chart.counts[at]! }))
    .filter((row) => row.counts.some((n) => n > 0));
  const numbers =
    chart.series.length === 0
      ? ''
      : html`<details class="chart-data"><summary>The chart's numbers</summary><div class="table-wrap"><table>
<caption>Failed logs per ${options.window.bucket} (UTC), buckets with failures only</caption>
<thead><tr><th scope="col">From (UTC)</th>${chart.series.map((series) => html`<th scope="col" class="number">${series.name}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr><th scope="row">${utcText(row.start)}</th>${row.counts.map((n) => html`<td class="number">${formatCount(n)}</td>`)}</tr>`)}</tbody>
</table></div></details>`;
  const body = html`<h1>Overview</h1>
<div class="choices">
${choice('Window', OVERVIEW_WINDOWS.map((window) => ({ label: window.label, href: windowHref(base, window, options.logs), current: window === options.window })))}
${choice('Log', [
    { label: 'Live and archive', href: windowHref(base, options.window, 'all'), current: options.logs === 'all' },
    { label: 'Live', href: windowHref(base, options.window, 'live'), current: options.logs === 'live' },
    { label: 'Archive', href: windowHref(base, options.window, 'archived'), current: options.logs === 'archived' },
  ])}
</div>
<section aria-labelledby="counts-heading">
<h2 id="counts-heading">Logs by table and state</h2>
${matrix}
</section>
<section aria-labelledby="chart-heading">
<h2 id="chart-heading">Failures over time</h2>
<figure>${chart.svg}<figcaption>Logs now in state FAILED, by the time they were captured, stacked by table. ${legend}</figcaption></figure>
${numbers}
</section>`;
  return layout(context, { title: 'Overview', section: 'overview', body });
}
