/**
 * The Heroku Connect API v3 (heroku-connect.md §5.2) over connection
 * state: listing and reading connections, renaming, importing and exporting
 * the mapping, pause/resume/restart, mappings (read, delete, reload), write
 * errors, and linking an account. Served by the emulator for its own
 * connection, and by `startFakeConnectApi` (hc-drizzle/testing) for scripted
 * ones; programmable failures for tests of clients.
 */
import { json, jsonBody, type ApiReply, type ApiRequest } from '../api/http.ts';
import { ConnectConnection, renderMapping, type ConnectMapping, type ConnectionSpec } from './connection.ts';

/** The endpoints, for routing failures. */
export type ConnectApiRoute =
  | 'list'
  | 'get'
  | 'patch'
  | 'import'
  | 'export'
  | 'pause'
  | 'resume'
  | 'restart'
  | 'errors'
  | 'mapping'
  | 'delete-mapping'
  | 'reload'
  | 'link';

/** A programmed misbehaviour. */
export type ConnectApiFailure =
  /** Reply with this HTTP status and JSON body (default `{id, message}`). */
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown }
  /** Never answer (the client must time out). */
  | { readonly kind: 'hang' }
  /** HTTP 200 with a body that is not JSON. */
  | { readonly kind: 'invalid-json' }
  /** HTTP 200 with this JSON (a shape the API does not document). */
  | { readonly kind: 'reply'; readonly body: unknown };

/** One request the API received. */
export interface ConnectApiRequest {
  readonly method: string;
  /** Path without the `/api/v3` prefix, e.g. `/connections/1/actions/import`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly route: ConnectApiRoute | undefined;
  /** Whether it carried `Authorization: Bearer <the API's token>`. */
  readonly authorized: boolean;
  /** The parsed JSON body, if any. */
  readonly body: unknown;
}

/** A write error as `GET .../errors` lists it (heroku-connect.md §3.6). */
export interface ConnectWriteError {
  readonly id: number;
  readonly table_name: string;
  readonly record_id: number | null;
  readonly message: string;
  readonly created_at: string;
}

/** What the emulator does behind the API; a scripted connection (the fake) has none of it. */
export interface ConnectHooks {
  /** Check and apply an imported mapping document; a message refuses it (400 badconfig). */
  readonly import?: (connection: ConnectConnection, document: unknown) => string | undefined;
  /** The mapping document `actions/export` returns (undefined: the last one imported, else an empty one). */
  readonly export?: (connection: ConnectConnection) => unknown;
  /** Reload a mapping's table from Salesforce. */
  readonly reload?: (connection: ConnectConnection, mapping: ConnectMapping) => void;
  /** Failed writes of the last 24 hours, of one mapping or all. */
  readonly errors?: (connection: ConnectConnection, mapping: ConnectMapping | undefined) => Promise<ConnectWriteError[]>;
  /** Bring a connection's state up to date before it is shown. */
  readonly refresh?: (connection: ConnectConnection) => Promise<void>;
}

/** The default bearer token the API accepts. */
export const DEFAULT_CONNECT_TOKEN = 'fake-heroku-token';

const notFound = (message = 'Not found.') => json(404, { id: 'not_found', message });

/** The Heroku Connect API over a set of connections. */
export class ConnectApi {
  readonly token: string;
  readonly connections = new Map<string, ConnectConnection>();
  /** Every request so far, in order. */
  readonly requests: ConnectApiRequest[] = [];
  /** The mapping documents imported, by connection id, in order. */
  readonly imports: { readonly connectionId: string; readonly mapping: unknown }[] = [];
  /** The API's own base URL (`http://127.0.0.1:<port>`), once serving. */
  baseUrl = '';
  readonly #hooks: ConnectHooks;
  readonly #linkedApps = new Set<string>();
  #failures: { route: ConnectApiRoute | 'any'; failure: ConnectApiFailure; left: number }[] = [];

  constructor(options: { readonly token?: string; readonly connections?: readonly ConnectionSpec[]; readonly hooks?: ConnectHooks } = {}) {
    this.token = options.token ?? DEFAULT_CONNECT_TOKEN;
    this.#hooks = options.hooks ?? {};
    for (const spec of options.connections ?? []) this.addConnection(spec);
  }

  /** Add a connection; resolves to it. */
  addConnection(spec: ConnectionSpec): ConnectConnection {
    const connection = new ConnectConnection(spec, this.connections.size + 1);
    this.connections.set(spec.id, connection);
    return connection;
  }

  /** Misbehave on the next `times` requests to `route` ('any' for all routes). */
  fail(route: ConnectApiRoute | 'any', failure: ConnectApiFailure, times = 1): void {
    this.#failures.push({ route, failure, left: times });
  }

  /** Forget requests and pending failures (connections keep their state). */
  reset(): void {
    this.requests.length = 0;
    this.imports.length = 0;
    this.#failures = [];
  }

  #visible(app: string): ConnectConnection[] {
    return [...this.connections.values()].filter((connection) => connection.spec.app === app && (!connection.spec.requiresLink || this.#linkedApps.has(app)));
  }

  #mapping(id: string): { connection: ConnectConnection; mapping: ConnectMapping } | undefined {
    for (const connection of this.connections.values()) {
      const mapping = connection.mappings.find((candidate) => candidate.id === id || String(candidate._id) === id);
      if (mapping !== undefined) return { connection, mapping };
    }
    return undefined;
  }

  /** Answer `request` if it is for the Heroku Connect API (`/api/v3/...`); `null` means: never answer. */
  handle = async (request: ApiRequest): Promise<ApiReply | null | undefined> => {
    const { url, method } = request;
    if (!url.pathname.startsWith('/api/v3')) return undefined;
    const path = url.pathname.replace(/^\/api\/v3/, '');
    const { route, params } = routeOf(method, path);
    const body = jsonBody(request);
    const record: ConnectApiRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      route,
      authorized: request.headers.authorization === `Bearer ${this.token}`,
      body,
    };
    this.requests.push(record);
    const failure = route === undefined ? undefined : this.#takeFailure(route);
    if (failure !== undefined) return misbehave(failure);
    if (!record.authorized) return json(401, { id: 'unauthorized', message: 'Invalid credentials provided.' });
    if (route === undefined) return notFound();
    const deep = url.searchParams.get('deep') === 'true';

    if (route === 'list') {
      const visible = this.#visible(url.searchParams.get('app') ?? '');
      for (const connection of visible) await this.#hooks.refresh?.(connection);
      const results = visible.map((connection) => connection.render(this.baseUrl, deep));
      return json(200, { count: results.length, next: null, previous: null, results });
    }
    if (route === 'link') {
      this.#linkedApps.add(params[0]!);
      return json(200, {});
    }
    if (route === 'mapping' || route === 'delete-mapping' || route === 'reload' || (route === 'errors' && params[1] === 'mapping')) {
      const found = this.#mapping(params[0]!);
      if (found === undefined) return notFound('Mapping not found.');
      const { connection, mapping } = found;
      if (route === 'mapping') {
        await this.#hooks.refresh?.(connection);
        return json(200, renderMapping(this.baseUrl, connection, mapping));
      }
      if (route === 'delete-mapping') {
        connection.mappings.splice(connection.mappings.indexOf(mapping), 1);
        return json(204);
      }
      if (route === 'reload') {
        mapping.state = 'RELOAD_TABLE';
        this.#hooks.reload?.(connection, mapping);
        return json(202, {});
      }
      return json(200, errorList(await this.#hooks.errors?.(connection, mapping)));
    }
    const connection = this.connections.get(params[0]!);
    if (connection === undefined) return notFound('Connection not found.');
    switch (route) {
      case 'get':
        await this.#hooks.refresh?.(connection);
        connection.read();
        return json(200, connection.render(this.baseUrl, deep));
      case 'patch': {
        const changes = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
        if (changes['schema_name'] !== undefined && changes['schema_name'] !== connection.schemaName) {
          return json(400, { code: 'badconfig', message: `The schema of this connection is ${connection.schemaName}; it can't be moved.` });
        }
        if (typeof changes['name'] === 'string') connection.name = changes['name'];
        return json(200, connection.render(this.baseUrl, false));
      }
      case 'import': {
        if (typeof body !== 'object' || body === null) return json(400, { code: 'badconfig', message: 'The body is not a JSON mapping.' });
        const refusal = this.#hooks.import?.(connection, body);
        if (refusal !== undefined) return json(400, { code: 'badconfig', message: refusal });
        this.imports.push({ connectionId: connection.id, mapping: body });
        connection.startImport();
        return json(202, {});
      }
      case 'export':
        return json(
          200,
          this.#hooks.export?.(connection) ??
            this.imports.findLast((entry) => entry.connectionId === connection.id)?.mapping ?? { version: 1, connection: { app_name: connection.spec.app, name: connection.name }, mappings: [] },
        );
      case 'pause':
        connection.setState('PAUSED');
        return json(202, {});
      case 'resume':
      case 'restart':
        connection.setState('IDLE');
        return json(202, {});
      case 'errors':
        return json(200, errorList(await this.#hooks.errors?.(connection, undefined)));
      default:
        return notFound();
    }
  };

  #takeFailure(route: ConnectApiRoute): ConnectApiFailure | undefined {
    const found = this.#failures.find((entry) => entry.route === route || entry.route === 'any');
    if (found === undefined) return undefined;
    found.left--;
    this.#failures = this.#failures.filter((entry) => entry.left > 0);
    return found.failure;
  }
}

function errorList(results: ConnectWriteError[] | undefined) {
  return { count: results?.length ?? 0, results: results ?? [] };
}

function routeOf(method: string, path: string): { route: ConnectApiRoute | undefined; params: string[] } {
  const match = (pattern: RegExp) => {
    const found = pattern.exec(path);
    return found === null ? undefined : found.slice(1).map((part) => decodeURIComponent(part));
  };
  const routes: [string, RegExp, ConnectApiRoute][] = [
    ['GET', /^\/connections$/, 'list'],
    ['GET', /^\/connections\/([^/]+)$/, 'get'],
    ['PATCH', /^\/connections\/([^/]+)$/, 'patch'],
    ['POST', /^\/connections\/([^/]+)\/actions\/import$/, 'import'],
    ['GET', /^\/connections\/([^/]+)\/actions\/export$/, 'export'],
    ['POST', /^\/connections\/([^/]+)\/actions\/pause$/, 'pause'],
    ['POST', /^\/connections\/([^/]+)\/actions\/resume$/, 'resume'],
    ['POST', /^\/connections\/([^/]+)\/actions\/restart$/, 'restart'],
    ['GET', /^\/connections\/([^/]+)\/errors$/, 'errors'],
    ['GET', /^\/mappings\/([^/]+)$/, 'mapping'],
    ['DELETE', /^\/mappings\/([^/]+)$/, 'delete-mapping'],
    ['POST', /^\/mappings\/([^/]+)\/actions\/reload$/, 'reload'],
    ['POST', /^\/users\/me\/apps\/([^/]+)\/auth$/, 'link'],
  ];
  for (const [verb, pattern, route] of routes) {
    const params = method === verb ? match(pattern) : undefined;
    if (params !== undefined) return { route, params };
  }
  const mappingErrors = method === 'GET' ? match(/^\/mappings\/([^/]+)\/errors$/) : undefined;
  if (mappingErrors !== undefined) return { route: 'errors', params: [mappingErrors[0]!, 'mapping'] };
  return { route: undefined, params: [] };
}

function misbehave(failure: ConnectApiFailure): ApiReply | null {
  switch (failure.kind) {
    case 'hang':
      return null;
    case 'invalid-json':
      return { status: 200, raw: '{"results": [' };
    case 'reply':
      return json(200, failure.body);
    case 'status':
      return json(failure.status, failure.body ?? { id: `http_${failure.status}`, message: `Fake failure with HTTP ${failure.status}.` });
  }
}
