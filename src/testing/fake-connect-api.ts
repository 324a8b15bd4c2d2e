/**
 * A fake Heroku Connect API v3 on 127.0.0.1 (node:http) with the endpoints
 * hc-drizzle and django-heroku-connect use (heroku-connect.md §5.2), scripted
 * connection states, and programmable failures. For hc-drizzle's tests and
 * its users'.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A connection the fake serves. */
export interface FakeConnection {
  readonly id: string;
  /** The Heroku app it belongs to. */
  readonly app: string;
  /** The current state (default IDLE). */
  readonly state?: string;
  /** Default `<app>:DATABASE_URL:salesforce`. */
  readonly name?: string;
  /** Default `salesforce`. */
  readonly schemaName?: string;
  /** The connection's feature flags (`{ poll_db_no_merge: true }` for ordered writes). */
  readonly features?: Readonly<Record<string, boolean>>;
  /** Returned by deep GETs. Default: none. */
  readonly mappings?: readonly { readonly object_name: string; readonly state: string }[];
  /** Only listed once the account is linked (`POST /users/me/apps/{app}/auth`). */
  readonly requiresLink?: boolean;
  /** After an import, how many GETs of the connection still show IMPORT_CONFIGURATION. Default 1. */
  readonly importPolls?: number;
  /** The state an import ends in. Default IDLE. */
  readonly importEndsIn?: string;
  /**
   * What the export action serves (`GET /connections/{id}/actions/export`):
   * default the last mapping imported, else one with no mappings.
   */
  readonly export?: unknown;
}

/** The endpoints, for routing failures. */
export type FakeApiRoute = 'list' | 'get' | 'import' | 'export' | 'link';

/** A programmed misbehaviour. */
export type FakeApiFailure =
  /** Reply with this HTTP status and JSON body (default `{id, message}`). */
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown }
  /** Never answer (the client must time out). */
  | { readonly kind: 'hang' }
  /** HTTP 200 with a body that is not JSON. */
  | { readonly kind: 'invalid-json' }
  /** HTTP 200 with this JSON (a shape the API does not document). */
  | { readonly kind: 'reply'; readonly body: unknown };

/** One request the fake received. */
export interface FakeApiRequest {
  readonly method: string;
  /** Path without the `/api/v3` prefix, e.g. `/connections/1/actions/import`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly route: FakeApiRoute | undefined;
  /** Whether it carried `Authorization: Bearer <the fake's token>`. */
  readonly authorized: boolean;
  /** The parsed JSON body, if any. */
  readonly body: unknown;
}

/** Options of {@link startFakeConnectApi}. */
export interface FakeConnectApiOptions {
  /** The bearer token it accepts. Default `fake-heroku-token`. */
  readonly token?: string;
  readonly connections?: readonly FakeConnection[];
}

/** A running fake. */
export interface FakeConnectApi {
  /** Use as HEROKU_CONNECT_API_ENDPOINT: `http://127.0.0.1:<port>/api/v3`. */
  readonly endpoint: string;
  readonly token: string;
  /** Every request so far, in order. */
  readonly requests: readonly FakeApiRequest[];
  /** The mapping documents imported, by connection id, in order. */
  readonly imports: readonly { readonly connectionId: string; readonly mapping: unknown }[];
  /** The current state of a connection. */
  stateOf(id: string): string | undefined;
  /** Set a connection's state. */
  setState(id: string, state: string): void;
  addConnection(connection: FakeConnection): void;
  /** Misbehave on the next `times` requests to `route` ('any' for all routes). */
  fail(route: FakeApiRoute | 'any', failure: FakeApiFailure, times?: number): void;
  /** Forget requests and pending failures (connections keep their state). */
  reset(): void;
  close(): Promise<void>;
}

interface LiveConnection {
  readonly spec: FakeConnection;
  state: string;
  importPollsLeft: number | undefined;
}

const DEFAULT_TOKEN = 'fake-heroku-token';

/**
 * Start the fake on a free port of 127.0.0.1.
 *
 * @example
 * const api = await startFakeConnectApi({ connections: [{ id: '1', app: 'my-app', importPolls: 2 }] });
 * // run code with HEROKU_CONNECT_API_ENDPOINT=api.endpoint, HEROKU_AUTH_TOKEN=api.token
 * await api.close();
 */
export async function startFakeConnectApi(options: FakeConnectApiOptions = {}): Promise<FakeConnectApi> {
  const token = options.token ?? DEFAULT_TOKEN;
  const connections = new Map<string, LiveConnection>();
  const linkedApps = new Set<string>();
  const requests: FakeApiRequest[] = [];
  const imports: { connectionId: string; mapping: unknown }[] = [];
  let failures: { route: FakeApiRoute | 'any'; failure: FakeApiFailure; left: number }[] = [];

  const addConnection = (spec: FakeConnection) => {
    connections.set(spec.id, { spec, state: spec.state ?? 'IDLE', importPollsLeft: undefined });
  };
  for (const spec of options.connections ?? []) addConnection(spec);

  const visible = (app: string) =>
    [...connections.values()].filter(({ spec }) => spec.app === app && (!spec.requiresLink || linkedApps.has(app)));

  const render = (connection: LiveConnection, deep: boolean) => ({
    id: connection.spec.id,
    _id: [...connections.keys()].indexOf(connection.spec.id) + 1,
    name: connection.spec.name ?? `${connection.spec.app}:DATABASE_URL:${connection.spec.schemaName ?? 'salesforce'}`,
    app_name: connection.spec.app,
    schema_name: connection.spec.schemaName ?? 'salesforce',
    db_key: 'DATABASE_URL',
    state: connection.state,
    features: connection.spec.features ?? {},
    ...(deep ? { mappings: connection.spec.mappings ?? [] } : {}),
  });

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      send(response, 500, { id: 'internal', message: String(error) });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/api\/v3/, '');
    const raw = await readBody(request);
    const { route, params } = routeOf(request.method ?? 'GET', path);
    const record: FakeApiRequest = {
      method: request.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      route,
      authorized: request.headers.authorization === `Bearer ${token}`,
      body: parseJson(raw),
    };
    requests.push(record);

    const failure = route === undefined ? undefined : takeFailure(route);
    if (failure !== undefined) return misbehave(response, failure);
    if (!record.authorized) return send(response, 401, { id: 'unauthorized', message: 'Invalid credentials provided.' });
    if (!url.pathname.startsWith('/api/v3/') || route === undefined) return send(response, 404, { id: 'not_found', message: 'Not found.' });

    if (route === 'list') {
      const app = url.searchParams.get('app') ?? '';
      const results = visible(app).map((connection) => render(connection, url.searchParams.get('deep') === 'true'));
      return send(response, 200, { count: results.length, next: null, previous: null, results });
    }
    if (route === 'link') {
      linkedApps.add(params);
      return send(response, 200, {});
    }
    const connection = connections.get(params);
    if (connection === undefined) return send(response, 404, { id: 'not_found', message: 'Connection not found.' });
    if (route === 'export') {
      const imported = imports.findLast((entry) => entry.connectionId === params)?.mapping;
      const name = connection.spec.name ?? `${connection.spec.app}:DATABASE_URL:${connection.spec.schemaName ?? 'salesforce'}`;
      return send(response, 200, connection.spec.export ?? imported ?? { version: 1, connection: { app_name: connection.spec.app, name }, mappings: [] });
    }
    if (route === 'import') {
      if (record.body === undefined) return send(response, 400, { code: 'badconfig', message: 'The body is not a JSON mapping.' });
      imports.push({ connectionId: params, mapping: record.body });
      connection.state = 'IMPORT_CONFIGURATION';
      connection.importPollsLeft = connection.spec.importPolls ?? 1;
      return send(response, 202, {});
    }
    if (connection.importPollsLeft !== undefined) {
      if (connection.importPollsLeft > 0) {
        connection.importPollsLeft--;
      } else {
        connection.state = connection.spec.importEndsIn ?? 'IDLE';
        connection.importPollsLeft = undefined;
      }
    }
    return send(response, 200, render(connection, url.searchParams.get('deep') === 'true'));
  }

  function takeFailure(route: FakeApiRoute): FakeApiFailure | undefined {
    const found = failures.find((entry) => entry.route === route || entry.route === 'any');
    if (found === undefined) return undefined;
    found.left--;
    failures = failures.filter((entry) => entry.left > 0);
    return found.failure;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}/api/v3`,
    token,
    requests,
    imports,
    stateOf: (id) => connections.get(id)?.state,
    setState(id, state) {
      const connection = connections.get(id);
      if (connection === undefined) throw new Error(`The fake has no connection ${id}.`);
      connection.state = state;
      connection.importPollsLeft = undefined;
    },
    addConnection,
    fail(route, failure, times = 1) {
      failures.push({ route, failure, left: times });
    },
    reset() {
      requests.length = 0;
      imports.length = 0;
      failures = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging requests hold their sockets open: cut them.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function routeOf(method: string, path: string): { route: FakeApiRoute | undefined; params: string } {
  let match: RegExpExecArray | null;
  if (method === 'GET' && path === '/connections') return { route: 'list', params: '' };
  if (method === 'GET' && (match = /^\/connections\/([^/]+)$/.exec(path))) return { route: 'get', params: decodeURIComponent(match[1]!) };
  if (method === 'GET' && (match = /^\/connections\/([^/]+)\/actions\/export$/.exec(path))) {
    return { route: 'export', params: decodeURIComponent(match[1]!) };
  }
  if (method === 'POST' && (match = /^\/connections\/([^/]+)\/actions\/import$/.exec(path))) {
    return { route: 'import', params: decodeURIComponent(match[1]!) };
  }
  if (method === 'POST' && (match = /^\/users\/me\/apps\/([^/]+)\/auth$/.exec(path))) return { route: 'link', params: decodeURIComponent(match[1]!) };
  return { route: undefined, params: '' };
}

function misbehave(response: ServerResponse, failure: FakeApiFailure): void {
  switch (failure.kind) {
    case 'hang':
      return;
    case 'invalid-json':
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"results": [');
      return;
    case 'reply':
      return send(response, 200, failure.body);
    case 'status':
      return send(response, failure.status, failure.body ?? { id: `http_${failure.status}`, message: `Fake failure with HTTP ${failure.status}.` });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
