/**
 * The list page's query string: its filters, the page it shows, its size.
 * Validated with valibot (it is outside input); links are built back from
 * the same object, so every link keeps the other filters.
 */
import * as v from 'valibot';
import { InputError } from '../errors.ts';
import { parseExportedAt } from '../mapping/exported-at.ts';
import { TRIGGER_LOG_ACTION, TRIGGER_LOG_STATE, type TriggerLogAction, type TriggerLogState } from '../trigger-log/constants.ts';
import type { LogSelection, TriggerLogFilter } from '../trigger-log/filter.ts';

/** A log, as a row of either table: what checkboxes and cursors name (`live-12`, `archive-7`). */
export interface LogKey {
  readonly id: number;
  readonly archived: boolean;
}

/** Which page of the newest-first list. `before`: the logs older than a log; `after`: newer. */
export type PageCursor =
  | { readonly kind: 'first' }
  | { readonly kind: 'last' }
  | { readonly kind: 'before' | 'after'; readonly key: LogKey };

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULT_PAGE_SIZE = 50;

/** Quick choices for the capture time: the last hour, day, week, and the paid plans' archive retention (heroku-connect.md §3.7). */
export const RECENT_PERIODS = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '31d', label: 'Last 31 days', ms: 31 * 86_400_000 },
] as const;

/** What the list shows. Times are kept as typed, so forms and links show them back. */
export interface ListParams {
  readonly state: TriggerLogState | undefined;
  readonly action: TriggerLogAction | undefined;
  readonly table: string | undefined;
  readonly logs: LogSelection;
  readonly q: string;
  /** A date (`2024-06-01`, from midnight UTC), an ISO time, or a recent period (`24h`). */
  readonly since: string | undefined;
  /** A date (up to the end of that day, UTC) or an ISO time. */
  readonly until: string | undefined;
  readonly page: PageCursor;
  readonly size: number;
}

export const DEFAULT_LIST_PARAMS: ListParams = {
  state: undefined,
  action: undefined,
  table: undefined,
  logs: 'all',
  q: '',
  since: undefined,
  until: undefined,
  page: { kind: 'first' },
  size: DEFAULT_PAGE_SIZE,
};

const LOG_KEY = /^(live|archive)-(\d{1,10})$/;

/** `live-12` → `{ id: 12, archived: false }`; undefined when it is not one. */
export function parseLogKey(text: string): LogKey | undefined {
  const match = LOG_KEY.exec(text);
  if (match === null || Number(match[2]) > 2 ** 31 - 1) return undefined;
  return { id: Number(match[2]), archived: match[1] === 'archive' };
}

export function formatLogKey(key: LogKey): string {
  return `${key.archived ? 'archive' : 'live'}-${key.id}`;
}

const optionalText = (max: number, pattern: RegExp, message: string) =>
  v.optional(v.pipe(v.string(), v.trim(), v.maxLength(max, message), v.regex(pattern, message)));

const TIME = /^(\d+[hd]|\d{4}-\d{2}-\d{2}(?:[T ].*)?)$/i;

const ListQuerySchema = v.object({
  state: v.optional(v.picklist(Object.values(TRIGGER_LOG_STATE), 'state must be one of the trigger log states')),
  action: v.optional(v.picklist(Object.values(TRIGGER_LOG_ACTION), 'action must be INSERT, UPDATE or DELETE')),
  table: optionalText(128, /^[A-Za-z0-9_$]*$/, 'table must be a table name (letters, digits, _ or $)'),
  logs: v.optional(v.picklist(['all', 'live', 'archived'], 'logs must be all, live or archived'), 'all'),
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200, 'the search must be at most 200 characters')), ''),
  since: optionalText(40, TIME, 'from must be a date such as 2024-06-01'),
  until: optionalText(40, TIME, 'to must be a date such as 2024-06-01'),
  before: optionalText(20, LOG_KEY, 'before must name a log'),
  after: optionalText(20, LOG_KEY, 'after must name a log'),
  last: v.optional(v.literal('1', 'last must be 1')),
  size: v.optional(v.pipe(v.string(), v.transform(Number), v.picklist(PAGE_SIZES, 'size must be 25, 50, 100 or 200')), String(DEFAULT_PAGE_SIZE)),
});

/**
 * The first non-empty value of each known parameter: an empty date box
 * before a hidden "last 24 hours" leaves the period in force.
 */
function pickParameters(search: URLSearchParams): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(ListQuerySchema.entries)) {
    const value = search.getAll(key).find((candidate) => candidate.trim() !== '');
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

/**
 * Read the list parameters of a query string.
 *
 * @throws {InputError} naming the first bad parameter.
 */
export function parseListParams(search: URLSearchParams): ListParams {
  const result = v.safeParse(ListQuerySchema, pickParameters(search));
  if (!result.success) throw new InputError(`The filter is not valid: ${result.issues[0].message}.`);
  const query = result.output;
  const since = query.since === undefined || query.since === '' ? undefined : query.since;
  const until = query.until === undefined || query.until === '' ? undefined : query.until;
  // Read the times now, so a bad one is reported as the filter's fault.
  sinceTime(since, new Date());
  untilTime(until);
  const cursor = query.before ?? query.after;
  const page: PageCursor =
    query.last === '1'
      ? { kind: 'last' }
      : cursor !== undefined && parseLogKey(cursor) !== undefined
        ? { kind: query.before !== undefined ? 'before' : 'after', key: parseLogKey(cursor)! }
        : { kind: 'first' };
  return {
    state: query.state,
    action: query.action,
    table: query.table === '' ? undefined : query.table,
    logs: query.logs,
    q: query.q,
    since,
    until,
    page,
    size: Number(query.size),
  };
}

function parseTime(text: string, name: string): Date {
  try {
    return new Date(parseExportedAt(text));
  } catch {
    throw new InputError(`The filter is not valid: ${name} must be a date such as 2024-06-01 or a time such as 2024-06-01T12:00:00Z.`);
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const PERIOD = /^(\d+)([hd])$/i;

/** The start of the capture-time range; a recent period counts back from `now`. */
export function sinceTime(since: string | undefined, now: Date): Date | undefined {
  if (since === undefined) return undefined;
  const period = PERIOD.exec(since);
  if (period !== null) return new Date(now.getTime() - Number(period[1]) * (period[2]!.toLowerCase() === 'h' ? 3_600_000 : 86_400_000));
  return parseTime(since, 'from');
}

/** The end of the range (exclusive): a date means up to the end of that day, UTC. */
export function untilTime(until: string | undefined): Date | undefined {
  if (until === undefined) return undefined;
  if (PERIOD.test(until)) throw new InputError('The filter is not valid: to must be a date such as 2024-06-01.');
  const time = parseTime(until, 'to');
  return DATE_ONLY.test(until) ? new Date(time.getTime() + 86_400_000) : time;
}

/** The trigger log filter the parameters describe (the state is passed apart, as the operations take it). */
export function filterOf(params: ListParams, schema: string, now: Date): TriggerLogFilter {
  const since = sinceTime(params.since, now);
  const until = untilTime(params.until);
  return {
    schema,
    logs: params.logs,
    ...(params.table === undefined ? {} : { table: params.table }),
    ...(params.action === undefined ? {} : { action: params.action }),
    ...(params.q === '' ? {} : { search: params.q }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  };
}

/** The query string of `params` with `changes`, leaving out defaults. A changed filter starts from the first page. */
export function listSearch(params: ListParams, changes: Partial<ListParams> = {}): URLSearchParams {
  const filterChanged = Object.keys(changes).some((key) => key !== 'page' && key !== 'size');
  const next: ListParams = { ...params, ...(filterChanged ? { page: { kind: 'first' } } : {}), ...changes };
  const search = new URLSearchParams();
  if (next.state !== undefined) search.set('state', next.state);
  if (next.action !== undefined) search.set('action', next.action);
  if (next.table !== undefined) search.set('table', next.table);
  if (next.logs !== 'all') search.set('logs', next.logs);
  if (next.q !== '') search.set('q', next.q);
  if (next.since !== undefined) search.set('since', next.since);
  if (next.until !== undefined) search.set('until', next.until);
  if (next.page.kind === 'last') search.set('last', '1');
  if (next.page.kind === 'before' || next.page.kind === 'after') search.set(next.page.kind, formatLogKey(next.page.key));
  if (next.size !== DEFAULT_PAGE_SIZE) search.set('size', String(next.size));
  return search;
}

/** Whether any filter (not the page) differs from the defaults. */
export function isFiltered(params: ListParams): boolean {
  return listSearch({ ...params, page: { kind: 'first' }, size: DEFAULT_PAGE_SIZE }).size > 0;
}
