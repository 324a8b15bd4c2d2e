/**
 * A fake Heroku Connect API v3 on 127.0.0.1 with scripted connections and
 * programmable failures, for hc-drizzle's tests and its users'. A view of
 * the emulator's Heroku Connect API (hc-drizzle/emulator): the same
 * endpoints and connection state, with connections given here instead of an
 * emulated one.
 */
import { json, startApiServer } from '../emulator/api/http.ts';
import {
  ConnectApi,
  DEFAULT_CONNECT_TOKEN,
  type ConnectApiFailure,
  type ConnectApiRequest,
  type ConnectApiRoute,
} from '../emulator/connect-api/connect-api.ts';
import type { ConnectionSpec } from '../emulator/connect-api/connection.ts';

/** A connection the fake serves. */
export interface FakeConnection extends ConnectionSpec {
  /** Returned by deep GETs. Default: none. */
  readonly mappings?: readonly { readonly object_name: string; readonly state: string }[];
  /**
   * What the export action serves (`GET /connections/{id}/actions/export`):
   * default the last mapping imported, else one with no mappings.
   */
  readonly export?: unknown;
}

/** The endpoints, for routing failures. */
export type FakeApiRoute = ConnectApiRoute;
/** A programmed misbehaviour. */
export type FakeApiFailure = ConnectApiFailure;
/** One request the fake received. */
export type FakeApiRequest = ConnectApiRequest;

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

/**
 * Start the fake on a free port of 127.0.0.1.
 *
 * @example
 * const api = await startFakeConnectApi({ connections: [{ id: '1', app: 'my-app', importPolls: 2 }] });
 * // run code with HEROKU_CONNECT_API_ENDPOINT=api.endpoint, HEROKU_AUTH_TOKEN=api.token
 * await api.close();
 */
export async function startFakeConnectApi(options: FakeConnectApiOptions = {}): Promise<FakeConnectApi> {
  const api = new ConnectApi({
    token: options.token ?? DEFAULT_CONNECT_TOKEN,
    hooks: { export: (connection) => (connection.spec as FakeConnection).export },
  });
  const addConnection = (spec: FakeConnection) => {
    const connection = api.addConnection(spec);
    (spec.mappings ?? []).forEach((mapping, i) => {
      connection.mappings.push({ id: `${spec.id}-mapping-${i + 1}`, _id: i + 1, objectName: mapping.object_name, state: mapping.state, config: {}, scripted: mapping });
    });
  };
  for (const spec of options.connections ?? []) addConnection(spec);
  const server = await startApiServer(
    [api.handle, async () => json(404, { id: 'not_found', message: 'Not found.' })],
    0,
    (error) => json(500, { id: 'internal', message: String(error) }),
  );
  api.baseUrl = server.baseUrl;
  return {
    endpoint: `${server.baseUrl}/api/v3`,
    token: api.token,
    requests: api.requests,
    imports: api.imports,
    stateOf: (id) => api.connections.get(id)?.state,
    setState(id, state) {
      const connection = api.connections.get(id);
      if (connection === undefined) throw new Error(`The fake has no connection ${id}.`);
      connection.setState(state);
    },
    addConnection,
    fail: (route, failure, times = 1) => api.fail(route, failure, times),
    reset: () => api.reset(),
    close: () => server.close(),
  };
}
