/**
 * The trigger-log admin page as one `(Request) => Promise<Response>`
 * handler, to mount in any app (Hono, a Next.js route, Express through an
 * adapter, a Worker) or serve with `hc-drizzle logs --serve`. Edge-safe: no
 * `node:` imports, no driver; the app passes its Drizzle db.
 *
 * Pages are server-rendered HTML. GET never changes anything; every change
 * is a POST from the confirmation page that passes authorize, the Origin
 * check and the CSRF token, and is written to the server log.
 */
import type { AnyPgDatabase } from '../compat.ts';
import { databaseRefusal, firstLine } from '../database-error.ts';
import { HcDrizzleError, InputError } from '../errors.ts';
import { schemaSetting } from '../settings/settings.ts';
import type { WriteAlgorithm } from '../trigger-log/constants.ts';
import { listLogs, type TriggerLogEntry } from '../trigger-log/list-logs.ts';
import type { RequeueResult } from '../trigger-log/requeue.ts';
import { ACTION_PAST, ADMIN_ACTIONS, countAction, needsWriteAlgorithm, performAction, type ActionScope, type AdminAction } from './actions.ts';
import { ADMIN_CSS, ADMIN_ICON, ADMIN_JS } from './assets.ts';
import { findLog, loggedRecord, mappedTables, relatedLogs, type LoggedRecord } from './detail-query.ts';
import { plural } from './format.ts';
import type { Html } from './html.ts';
import { filterOf, formatLogKey, listSearch, parseListParams, parseLogKey, sinceTime, type ListParams, type LogKey } from './list-params.ts';
import { listPage, SEARCH_BUDGET_MS } from './list-query.ts';
import { readNotice, withNotice } from './notice.ts';
import { OVERVIEW_WINDOWS, readOverview } from './overview-query.ts';
import { confirmPageHtml } from './pages/confirm-page.ts';
import { detailPageHtml } from './pages/detail-page.ts';
import { errorPageHtml } from './pages/error-page.ts';
import type { PageContext } from './pages/layout.ts';
import { listPageHtml } from './pages/list-page.ts';
import { overviewPageHtml } from './pages/overview-page.ts';
import { SECURITY_HEADERS, csrfSigner, csrfTokenFor, csrfTokenValid, originAllowed } from './security.ts';
import { algorithmSource } from './write-algorithm.ts';

/** What `authorize` answers: allowed (optionally naming the person, for the server log), refused, or a response of its own (a login redirect, a 401 asking for credentials). */
export type AuthorizeResult = boolean | { readonly user: string } | Response;

/** One line for the server log: every action done or refused, and every failure. */
export interface AdminLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  /** The whole story in one line, without secrets. */
  readonly message: string;
  /** Set for actions, done or refused. */
  readonly action?: AdminAction;
  readonly user?: string;
  /** What changed, for actions done. */
  readonly changed?: RequeueResult;
}

/** Options of {@link createTriggerLogAdmin}. */
export interface TriggerLogAdminOptions {
  /** Any Drizzle pg database with transactions (node-postgres, PGlite, neon-serverless). */
  readonly db: AnyPgDatabase;
  /**
   * Decides on every request (the stylesheet and script aside) whether it
   * may see the page and act. Required: only `hc-drizzle logs --serve`, bound
   * to 127.0.0.1, lets every local request in.
   */
  readonly authorize: (request: Request) => AuthorizeResult | Promise<AuthorizeResult>;
  /** Where the handler is mounted, such as `/admin/trigger-log`. Default: the root. */
  readonly basePath?: string;
  /** The Heroku Connect schema. Default the `HEROKU_CONNECT_SCHEMA` setting, else `salesforce`. */
  readonly schema?: string;
  /**
   * The write algorithm retry and redo follow, or a function that reads it.
   * Default: the connection's, through the Heroku Connect API
   * (`HEROKU_AUTH_TOKEN`, `HEROKU_APP_NAME`), as `hc-drizzle retry` does.
   */
  readonly writeAlgorithm?: WriteAlgorithm | (() => Promise<WriteAlgorithm>);
  /** Origins besides the request's own that may post actions (the public origin behind a proxy that rewrites Host). */
  readonly origins?: readonly string[];
  /** Key that signs CSRF tokens. Default: a random key per handler; give one when several instances serve the page. */
  readonly secret?: string;
  /** The server log. Default: `console.info` / `warn` / `error`. */
  readonly log?: (entry: AdminLogEntry) => void;
  /**
   * How long one page of a search that no index serves (an sfid, message
   * text) may read the log, in milliseconds (default 60). Past it the page
   * shows what it found and offers to search older logs. 0 reads one window
   * of 20,000 ids per page.
   */
  readonly searchTimeMs?: number;
}

const MAX_FORM_BYTES = 256 * 1024;
const MAX_SELECTED = 1000;
const RELATED_LOGS = 50;
const TABLE_LIST_MS = 60_000;
const BASE_PATH = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$/;

function defaultLog(entry: AdminLogEntry): void {
  const line = `hc-drizzle admin: ${entry.message}`;
  if (entry.level === 'error') console.error(line);
  else if (entry.level === 'warn') console.warn(line);
  else console.info(line);
}

function respond(body: Html | string | null, init: { status?: number; type?: string; headers?: Record<string, string> } = {}): Response {
  return new Response(body === null ? null : String(body), {
    status: init.status ?? 200,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': init.type ?? 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...init.headers,
    },
  });
}

/** A page error a person can act on: 400 for bad input, 404, 403, ... */
class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/** The place an action returns to: a page of this admin, never another site. */
function safeBack(text: string | null, base: string, request: Request): string {
  if (text === null || !text.startsWith(`${base}/`) || text.startsWith('//') || text.includes('\\')) return `${base}/`;
  const own = new URL(request.url);
  const target = new URL(text, own);
  if (target.origin !== own.origin || !target.pathname.startsWith(`${base}/`)) return `${base}/`;
  return target.pathname + target.search;
}

function actionOf(value: string | null): AdminAction | undefined {
  return (ADMIN_ACTIONS as readonly string[]).includes(value ?? '') ? (value as AdminAction) : undefined;
}

function selectedLogs(values: readonly string[]): LogKey[] {
  if (values.length > MAX_SELECTED) throw new InputError(`At most ${MAX_SELECTED} logs can be chosen at once: use the action on every matching log instead.`);
  return values.map((value) => parseLogKey(value) ?? badInput(`“${value}” does not name a log.`));
}

function badInput(message: string): never {
  throw new InputError(message);
}

/** A recent period ("last 24 hours") as the fixed time it means now, so a confirmed set stays the set. */
function fixedPeriod(params: ListParams, now: Date): ListParams {
  const since = sinceTime(params.since, now);
  return params.since !== undefined && /^\d+[hd]$/i.test(params.since) && since !== undefined ? { ...params, since: since.toISOString() } : params;
}

function scopeWords(scope: ActionScope): string {
  if (scope.kind === 'selected') return `logs ${scope.logs.map(formatLogKey).join(', ')}`;
  const filter = listSearch({ ...scope.params, page: { kind: 'first' } }).toString();
  return `every log matching ${filter === '' ? 'no filter' : filter}`;
}

/**
 * Create the admin page's handler.
 *
 * @throws {InputError} when `db` or `authorize` is missing, or `basePath` is not a path.
 * @example
 * const admin = createTriggerLogAdmin({
 *   db,
 *   basePath: '/admin/trigger-log',
 *   authorize: (request) => request.headers.get('x-user-role') === 'admin',
 * });
 * app.all('/admin/trigger-log/*', (c) => admin(c.req.raw)); // Hono
 */
// @__NO_SIDE_EFFECTS__
export function createTriggerLogAdmin(options: TriggerLogAdminOptions): (request: Request) => Promise<Response> {
  if (options === undefined || options.db === undefined) throw new InputError('createTriggerLogAdmin needs the db to read the trigger log from.');
  if (typeof options.authorize !== 'function') {
    throw new InputError('createTriggerLogAdmin needs authorize(request): the page changes the trigger log, so it must know who may use it.');
  }
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  if (!BASE_PATH.test(base)) throw new InputError(`basePath must be a URL path such as /admin/trigger-log, not ${JSON.stringify(options.basePath)}.`);
  const db = options.db;
  const schema = options.schema ?? schemaSetting();
  const signer = csrfSigner(options.secret);
  const log = options.log ?? defaultLog;
  const algorithms = algorithmSource(options.writeAlgorithm);
  const origins = options.origins ?? [];
  const searchTimeMs = options.searchTimeMs ?? SEARCH_BUDGET_MS;
  if (!Number.isInteger(searchTimeMs) || searchTimeMs < 0) throw new InputError(`searchTimeMs must be a whole number of milliseconds, 0 or more, not ${String(options.searchTimeMs)}.`);
  // The table select lists the mapped tables; mappings change rarely, the list is read once a minute.
  let tables: { names: Promise<string[]>; until: number } | undefined;
  const tableNames = () => {
    if (tables === undefined || tables.until < Date.now()) {
      const names = mappedTables(db, schema);
      names.catch(() => (tables = undefined));
      tables = { names, until: Date.now() + TABLE_LIST_MS };
    }
    return tables.names;
  };

  async function listRoute(context: PageContext, url: URL): Promise<Response> {
    const params = parseListParams(url.searchParams);
    const filter = filterOf(params, schema, context.now);
    const [page, names] = await Promise.all([listPage(db, filter, params.state, params.page, params.size, searchTimeMs), tableNames()]);
    return respond(listPageHtml(context, params, page, { tables: names, notice: readNotice(url.searchParams), algorithm: algorithms.known() }));
  }

  async function detailRoute(context: PageContext, url: URL, key: LogKey): Promise<Response> {
    const entry = await findLog(db, schema, key);
    if (entry === undefined) throw new PageError(404, 'No such log', `There is no ${key.archived ? 'archived' : 'live'} log ${key.id}: it may have moved to the archive or out of it.`);
    let record: LoggedRecord = { kind: 'gone' };
    let related: TriggerLogEntry[] = [];
    if (entry.recordId !== null && entry.tableName !== null) {
      [record, related] = await Promise.all([
        loggedRecord(db, schema, entry.tableName, entry.recordId),
        relatedLogs(db, schema, entry.tableName, entry.recordId, RELATED_LOGS),
      ]);
    }
    return respond(detailPageHtml(context, entry, { record, related, notice: readNotice(url.searchParams) }));
  }

  async function overviewRoute(context: PageContext, url: URL): Promise<Response> {
    const window = OVERVIEW_WINDOWS.find((candidate) => candidate.value === (url.searchParams.get('window') ?? '7d'));
    const logs = url.searchParams.get('logs') ?? 'all';
    if (window === undefined) throw new InputError('The window must be 24h, 7d or 31d.');
    if (logs !== 'all' && logs !== 'live' && logs !== 'archived') throw new InputError('logs must be all, live or archived.');
    const overview = await readOverview(db, { schema, logs, window, now: context.now });
    return respond(overviewPageHtml(context, overview, { window, logs }));
  }

  /** The scope a GET to the confirmation or a POSTed form describes. */
  function scopeOf(fields: URLSearchParams, filtered: boolean, now: Date): ActionScope {
    return filtered ? { kind: 'filtered', params: fixedPeriod(parseListParams(fields), now) } : { kind: 'selected', logs: selectedLogs(fields.getAll('log')) };
  }

  async function chosenLogs(keys: readonly LogKey[]): Promise<TriggerLogEntry[]> {
    const ids = (archived: boolean) => keys.filter((key) => key.archived === archived).map((key) => key.id);
    const [live, archived] = await Promise.all([
      ids(false).length === 0 ? [] : listLogs(db, { schema, logs: 'live', ids: ids(false) }),
      ids(true).length === 0 ? [] : listLogs(db, { schema, logs: 'archived', ids: ids(true) }),
    ]);
    return [...live, ...archived].sort((a, b) => b.id - a.id || Number(a.archived) - Number(b.archived));
  }

  async function confirmRoute(context: PageContext, url: URL, request: Request): Promise<Response> {
    const fields = url.searchParams;
    const filtered = fields.has('do-all');
    const action = actionOf(fields.get(filtered ? 'do-all' : 'do'));
    if (action === undefined) throw new InputError('Choose Retry, Ignore or Redo.');
    const scope = scopeOf(fields, filtered, context.now);
    const back = safeBack(fields.get('back'), base, request);
    const known = needsWriteAlgorithm(action) ? await algorithms.get() : undefined;
    const blocked = known !== undefined && 'unavailable' in known ? known.unavailable : undefined;
    const writeAlgorithm = known !== undefined && 'algorithm' in known ? known.algorithm : undefined;
    const [changes, chosen] = await Promise.all([
      blocked === undefined ? countAction(db, action, scope, { schema, writeAlgorithm, now: context.now }) : { live: 0, archived: 0 },
      scope.kind === 'selected' ? chosenLogs(scope.logs) : [],
    ]);
    return respond(confirmPageHtml(context, { action, scope, changes, chosen, writeAlgorithm, back, blocked }));
  }

  async function actionRoute(context: PageContext, request: Request, user: string | undefined): Promise<Response> {
    const who = user ?? 'someone';
    const refuse = (reason: string, sentence: string) => {
      log({ level: 'warn', message: `refused an action from ${who}: ${reason}.`, ...(user === undefined ? {} : { user }) });
      return new PageError(403, 'Not done', sentence);
    };
    if (!originAllowed(request, origins)) throw refuse('its Origin is not this page', 'The request did not come from this page, so nothing was changed.');
    const type = request.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw refuse(`its body is ${type || 'not typed'}, not a form`, 'The request was not a form of this page, so nothing was changed.');
    }
    const text = await request.text();
    if (text.length > MAX_FORM_BYTES) throw new PageError(413, 'Too large', 'The form is too large: choose fewer logs, or act on every matching log.');
    const fields = new URLSearchParams(text);
    if (!(await csrfTokenValid(request, signer, fields.get('csrf') ?? undefined))) {
      throw refuse('its CSRF token is missing or wrong', 'This form has expired or did not come from this page: nothing was changed. Go back, reload the page and try again.');
    }
    const action = actionOf(fields.get('do'));
    if (action === undefined) throw new InputError('Choose Retry, Ignore or Redo.');
    const scope = scopeOf(fields, fields.get('scope') === 'filtered', context.now);
    const expected = Number(fields.get('expected') ?? '0');
    const back = safeBack(fields.get('back'), base, request);
    let writeAlgorithm: WriteAlgorithm | undefined;
    if (needsWriteAlgorithm(action)) {
      const known = await algorithms.get();
      if ('unavailable' in known) throw new PageError(409, 'Not done', known.unavailable);
      writeAlgorithm = known.algorithm;
    }
    let changed: RequeueResult;
    try {
      changed = await performAction(db, action, scope, { schema, writeAlgorithm, now: context.now });
    } catch (error) {
      log({ level: 'error', message: `${who}'s ${action} of ${scopeWords(scope)} failed: ${databaseRefusal(error) ?? (error as Error).message}`, action, ...(user === undefined ? {} : { user }) });
      throw error;
    }
    const total = changed.live + changed.archived;
    log({
      level: 'info',
      message: `${who} ${ACTION_PAST[action]} ${plural(total, 'log')} (${changed.live} live, ${changed.archived} archived; ${Number.isInteger(expected) ? expected : '?'} confirmed)${writeAlgorithm === undefined ? '' : ` with ${writeAlgorithm} writes`}: ${scopeWords(scope)}.`,
      action,
      changed,
      ...(user === undefined ? {} : { user }),
    });
    const target = withNotice(back, { action, live: changed.live, archived: changed.archived, expected: Number.isInteger(expected) ? expected : total, writeAlgorithm });
    return new Response(null, { status: 303, headers: { ...SECURITY_HEADERS, location: target, 'cache-control': 'no-store' } });
  }

  async function route(context: PageContext, request: Request, url: URL, path: string, user: string | undefined): Promise<Response> {
    const detail = /^\/logs\/(live|archive)\/(\d{1,10})$/.exec(path);
    const key = detail === null ? undefined : parseLogKey(`${detail[1]}-${detail[2]}`);
    const pages: Record<string, [method: string, serve: () => Promise<Response>] | undefined> = {
      '/': ['GET', () => listRoute(context, url)],
      '/overview': ['GET', () => overviewRoute(context, url)],
      '/confirm': ['GET', () => confirmRoute(context, url, request)],
      '/actions': ['POST', () => actionRoute(context, request, user)],
    };
    const found = key === undefined ? pages[path] : (['GET', () => detailRoute(context, url, key)] as const);
    if (found === undefined) throw new PageError(404, 'Not found', 'There is no such page in the trigger log admin.');
    const [method, serve] = found;
    if ((request.method === 'HEAD' ? 'GET' : request.method) !== method) {
      throw new PageError(405, 'Not allowed', `This address only answers ${method}.`);
    }
    return serve();
  }

  function asset(path: string): Response | undefined {
    const headers = { 'cache-control': 'public, max-age=3600' };
    if (path === '/assets/admin.css') return respond(ADMIN_CSS, { type: 'text/css; charset=utf-8', headers });
    if (path === '/assets/admin.js') return respond(ADMIN_JS, { type: 'text/javascript; charset=utf-8', headers });
    if (path === '/assets/icon.svg') return respond(ADMIN_ICON, { type: 'image/svg+xml', headers });
    return undefined;
  }

  return async function triggerLogAdmin(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return respond('Not found', { status: 404, type: 'text/plain; charset=utf-8' });
    const path = url.pathname.slice(base.length) || '/';
    const context: PageContext = { base, schema, csrfToken: '', now: new Date() };
    const page = (status: number, title: string, sentence: string) => respond(errorPageHtml(context, title, sentence), { status });
    const head = (response: Response) =>
      request.method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
    if (path.startsWith('/assets/')) {
      const found = asset(path);
      return head(found ?? page(404, 'Not found', 'There is no such file.'));
    }
    let verdict: AuthorizeResult;
    try {
      verdict = await options.authorize(request);
    } catch (error) {
      log({ level: 'error', message: `authorize failed for ${request.method} ${url.pathname}: ${(error as Error).message}` });
      return page(500, 'Something went wrong', 'Checking who may see this page failed; the server log has the details.');
    }
    if (verdict instanceof Response) return verdict;
    if (verdict === false) {
      if (request.method === 'POST') log({ level: 'warn', message: `refused ${request.method} ${url.pathname}: authorize said no.` });
      return page(403, 'Not allowed', 'You are not allowed to see the trigger log admin.');
    }
    const user = typeof verdict === 'object' ? verdict.user : undefined;
    const csrf = await csrfTokenFor(request, signer, base || '/');
    const pageContext = { ...context, csrfToken: csrf.token };
    let response: Response;
    try {
      response = await route(pageContext, request, url, path, user);
    } catch (error) {
      if (error instanceof PageError) response = respond(errorPageHtml(pageContext, error.title, error.message), { status: error.status });
      else if (error instanceof InputError) response = respond(errorPageHtml(pageContext, 'Not understood', error.message), { status: 400 });
      else {
        // One line for the log: a refused query's reason, not drizzle's SQL text and parameters.
        const reason = error instanceof HcDrizzleError ? error.message : (databaseRefusal(error) ?? firstLine((error as Error)?.message ?? String(error)));
        log({ level: 'error', message: `${request.method} ${url.pathname} failed: ${reason}` });
        response = respond(errorPageHtml(pageContext, 'Something went wrong', 'Reading or changing the trigger log failed; the server log has the details.'), { status: 500 });
      }
    }
    if (csrf.setCookie !== undefined) response.headers.append('set-cookie', csrf.setCookie);
    return head(response);
  };
}

