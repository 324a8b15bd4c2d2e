/** The list: filters, search, the page of logs with checkboxes and actions, the pager. */
import { TRIGGER_LOG_ACTION, TRIGGER_LOG_STATE } from '../../trigger-log/constants.ts';
import { aboutCount, formatCount, plural } from '../format.ts';
import { html, type Html } from '../html.ts';
import { RECENT_PERIODS, isFiltered, listSearch, type ListParams } from '../list-params.ts';
import type { ListPage } from '../list-query.ts';
import { noticeText, type Notice } from '../notice.ts';
import type { KnownAlgorithm } from '../write-algorithm.ts';
import { layout, type PageContext } from './layout.ts';
import { logTable } from './log-table.ts';

/** A link to the list with `params` changed. */
export function listHref(base: string, params: ListParams, changes: Partial<ListParams> = {}): string {
  const search = listSearch(params, changes).toString();
  return `${base}/${search === '' ? '' : `?${search}`}`;
}

/** A group of filter links, the chosen one marked for eyes and for screen readers. */
function facet(label: string, options: readonly { readonly label: string; readonly href: string; readonly current: boolean }[]): Html {
  const items = options.map(
    (option) =>
      html`<li><a href="${option.href}"${option.current ? html` aria-current="true" class="current"` : ''}>${option.label}</a></li>`,
  );
  return html`<nav class="facet" aria-label="${label}"><h3>${label}</h3><ul>${items}</ul></nav>`;
}

/** Hidden inputs that carry the list's filter into another form. */
export function filterInputs(params: ListParams, omit: readonly string[] = []): Html {
  const inputs: Html[] = [];
  for (const [name, value] of listSearch({ ...params, page: { kind: 'first' } })) {
    if (!omit.includes(name)) inputs.push(html`<input type="hidden" name="${name}" value="${value}">`);
  }
  return html`${inputs}`;
}

function filters(context: PageContext, params: ListParams, tables: readonly string[]): Html {
  const base = context.base;
  const tableOptions = [...new Set([...tables, ...(params.table === undefined ? [] : [params.table])])].sort();
  const dateValue = (value: string | undefined) => (value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '');
  const recent = RECENT_PERIODS.some((period) => period.value === params.since);
  return html`<section class="filters" aria-labelledby="filters-heading">
<h2 id="filters-heading">Filters</h2>
<form method="get" action="${base}/" role="search" class="filter-form">
${filterInputs(params, ['q', 'table', 'since', 'until'])}
<p class="field"><label for="q">Search by record id, sfid or message</label>
<input type="search" id="q" name="q" value="${params.q}" maxlength="200" placeholder="42, 0015g00000XXXXXAAA or DUPLICATE_VALUE"></p>
<p class="field"><label for="table">Table</label>
<select id="table" name="table"><option value="">All tables</option>${tableOptions.map(
    (table) => html`<option value="${table}"${table === params.table ? html` selected` : ''}>${table}</option>`,
  )}</select></p>
<fieldset class="dates"><legend>Captured (UTC dates)</legend>
<p class="field"><label for="since">From</label> <input type="date" id="since" name="since" value="${recent ? '' : dateValue(params.since)}"></p>
<p class="field"><label for="until">To</label> <input type="date" id="until" name="until" value="${dateValue(params.until)}"></p>
${recent ? html`<input type="hidden" name="since" value="${params.since}">` : ''}
</fieldset>
<p class="buttons"><button type="submit">Apply filters</button>${isFiltered(params) ? html` <a href="${base}/">Clear all filters</a>` : ''}</p>
</form>
${facet('State', [
    { label: 'All', href: listHref(base, params, { state: undefined }), current: params.state === undefined },
    ...Object.values(TRIGGER_LOG_STATE).map((state) => ({ label: state, href: listHref(base, params, { state }), current: params.state === state })),
  ])}
${facet('Action', [
    { label: 'All', href: listHref(base, params, { action: undefined }), current: params.action === undefined },
    ...Object.values(TRIGGER_LOG_ACTION).map((action) => ({ label: action, href: listHref(base, params, { action }), current: params.action === action })),
  ])}
${facet('Log', [
    { label: 'Live and archive', href: listHref(base, params, { logs: 'all' }), current: params.logs === 'all' },
    { label: 'Live', href: listHref(base, params, { logs: 'live' }), current: params.logs === 'live' },
    { label: 'Archive', href: listHref(base, params, { logs: 'archived' }), current: params.logs === 'archived' },
  ])}
${facet('Captured', [
    { label: 'Any time', href: listHref(base, params, { since: undefined, until: undefined }), current: params.since === undefined && params.until === undefined },
    ...RECENT_PERIODS.map((period) => ({
      label: period.label,
      href: listHref(base, params, { since: period.value, until: undefined }),
      current: params.since === period.value && params.until === undefined,
    })),
  ])}
</section>`;
}

/** Older logs: below the page's last log, or below where a search stopped (an id no log need have: both tables strictly under it). */
function nextHref(context: PageContext, params: ListParams, page: ListPage): string | undefined {
  if (page.searchedDownTo !== undefined) return listHref(context.base, params, { page: { kind: 'before', key: { id: page.searchedDownTo, archived: true } } });
  const last = page.entries.at(-1);
  return page.hasOlder && last !== undefined ? listHref(context.base, params, { page: { kind: 'before', key: last } }) : undefined;
}

/** Where a search that no index serves stopped, and the link that goes on below. */
function stoppedSearch(context: PageContext, params: ListParams, page: ListPage): Html {
  if (page.searchedDownTo === undefined) return html``;
  const found = page.entries.length === 0 ? 'none found' : `${plural(page.entries.length, 'log')} found`;
  return html`<p class="search-stopped" role="status">Searched the logs from id ${formatCount(page.searchedDownTo)} up: ${found} so far. This search has no index to use, so each page reads the log for a moment only. <a href="${nextHref(context, params, page)}">Search older logs</a></p>`;
}

function pager(context: PageContext, params: ListParams, page: ListPage): Html {
  const first = page.entries[0];
  const item = (label: string, href: string | undefined, rel?: string) =>
    href === undefined
      ? html`<li><span class="disabled" aria-disabled="true">${label}</span></li>`
      : html`<li><a href="${href}"${rel === undefined ? '' : html` rel="${rel}"`}>${label}</a></li>`;
  return html`<nav class="pager" aria-label="Pages"><ul>
${item('First', page.hasNewer ? listHref(context.base, params, { page: { kind: 'first' } }) : undefined)}
${item('Previous', page.hasNewer && first !== undefined ? listHref(context.base, params, { page: { kind: 'after', key: first } }) : undefined, 'prev')}
${item('Next', nextHref(context, params, page), 'next')}
${item('Last', page.hasOlder ? listHref(context.base, params, { page: { kind: 'last' } }) : undefined)}
</ul>
<form method="get" action="${context.base}/" class="page-size">${filterInputs(params, ['size'])}
<label for="size">Logs per page</label> <select id="size" name="size">${[25, 50, 100, 200].map(
    (size) => html`<option value="${size}"${size === params.size ? html` selected` : ''}>${size}</option>`,
  )}</select> <button type="submit">Show</button></form>
</nav>`;
}

/** What the page says about retry and redo's write algorithm (undefined: not asked for yet). */
function algorithmSentence(info: KnownAlgorithm | undefined): Html {
  if (info === undefined) return html`<p class="algorithm">Retry and redo follow the connection’s write algorithm, read from Heroku Connect when they are first used.</p>`;
  return 'unavailable' in info
    ? html`<p class="algorithm warning">${info.unavailable}</p>`
    : html`<p class="algorithm">Retry and redo use <strong>${info.algorithm} writes</strong> (${info.from}).</p>`;
}

export function noticeBlock(notice: Notice | undefined): Html {
  return notice === undefined ? html`<div class="notice" role="status"></div>` : html`<div class="notice done" role="status"><p>${noticeText(notice)}</p></div>`;
}

export function listPageHtml(
  context: PageContext,
  params: ListParams,
  page: ListPage,
  extra: { readonly tables: readonly string[]; readonly notice: Notice | undefined; readonly algorithm: KnownAlgorithm | undefined },
): Html {
  const total = page.total.exact ? formatCount(page.total.n) : aboutCount(page.total.n);
  const caption =
    page.entries.length === 0
      ? page.searchedDownTo === undefined
        ? 'No logs match'
        : `No logs match from id ${formatCount(page.searchedDownTo)} up`
      : page.newer === undefined
        ? `${plural(page.entries.length, 'log')} of ${total}, newest first`
        : `Logs ${formatCount(page.newer + 1)}–${formatCount(page.newer + page.entries.length)} of ${total}, newest first`;
  const many = page.total.exact ? plural(page.total.n, 'log') : `${aboutCount(page.total.n)} logs`;
  const back = listHref(context.base, params);
  const body = html`<h1>Trigger log</h1>
${noticeBlock(extra.notice)}
${page.searchedDownTo !== undefined && !page.total.exact
    ? html`<p class="summary">How many logs match this search is not known: no index serves it, and counting would read the whole log. The search goes on page by page.</p>`
    : html`<p class="summary"><strong>${many}</strong> ${isFiltered(params) ? 'match these filters' : 'in the live log and the archive'}.${page.total.exact ? '' : ' (Estimated by PostgreSQL: counting them exactly would read most of the log.)'}</p>`}
${filters(context, params, extra.tables)}
<section class="results" aria-labelledby="results-heading">
<h2 id="results-heading" class="visually-hidden">Logs</h2>
<form method="get" action="${context.base}/confirm" data-selection>
<input type="hidden" name="back" value="${back}">
${filterInputs(params)}
<div class="toolbar" role="group" aria-label="Actions on the selected logs">
<span class="toolbar-label">Selected logs:</span>
<button type="submit" name="do" value="retry">Retry</button>
<button type="submit" name="do" value="ignore">Ignore</button>
<button type="submit" name="do" value="redo">Redo</button>
<span class="selection-count" data-selection-count aria-live="polite"></span>
</div>
${logTable(context.base, page.entries, { caption, selectable: true, empty: page.searchedDownTo === undefined ? 'No logs match these filters.' : 'No logs match here yet: search older logs below.' })}
${stoppedSearch(context, params, page)}
${page.entries.length === 0
    ? ''
    : html`<div class="toolbar" role="group" aria-label="Actions on every matching log">
<span class="toolbar-label">All ${page.total.exact ? plural(page.total.n, 'matching log') : page.searchedDownTo !== undefined ? 'matching logs' : `${aboutCount(page.total.n)} matching logs`}:</span>
<button type="submit" name="do-all" value="retry">Retry all</button>
<button type="submit" name="do-all" value="ignore">Ignore all</button>
<button type="submit" name="do-all" value="redo">Redo all</button>
</div>`}
</form>
${pager(context, params, page)}
${algorithmSentence(extra.algorithm)}
<p class="hint">Retry and Ignore change FAILED logs only; Redo sends any log again. Each asks you to confirm first.</p>
</section>`;
  return layout(context, { title: 'Logs', section: 'logs', body });
}

