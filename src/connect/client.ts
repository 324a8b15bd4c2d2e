/**
 * The Heroku Connect API v3 client (heroku-connect.md §5): the calls
 * django-heroku-connect makes, over hc-drizzle's one HTTP transport
 * (src/http/transport.ts: timeouts, bounded retries of GETs inside the
 * caller's deadline, capped bodies, every reply validated and redacted).
 * Edge-safe: it only needs a `fetch` function (the runtime's by default; the
 * CLI passes undici's, see node-client.ts).
 */
import * as v from 'valibot';
import { InputError, SettingsError } from '../errors.ts';
import { baseUrlProblem } from '../http/base-url.ts';
import { snippet } from '../http/display.ts';
import { createTransport, type Transport, type TransportReply, type TransportRequest, type TransportTuning } from '../http/transport.ts';
import { DEFAULT_API_ENDPOINT, type Settings } from '../settings/settings.ts';
import { MappingExportSchema, type MappingExport } from '../mapping/mapping-export.ts';
import { ConnectApiError } from './errors.ts';
import { isConnectIdText } from './connect-id.ts';
import { ConnectionListReplySchema, ConnectionReplySchema, type Connection } from './replies.ts';

export type { FetchFunction } from '../http/transport.ts';

/** Options of {@link createConnectClient}: the token, the endpoint, and how the transport behaves. */
export interface ConnectClientOptions extends TransportTuning {
  /** A Heroku API token (`HEROKU_AUTH_TOKEN`): sent as a bearer token, never shown. */
  readonly token: string | undefined;
  /** The regional API base, default django-heroku-connect's {@link DEFAULT_API_ENDPOINT}. No credentials, query or fragment. */
  readonly endpoint?: string;
}

/** What every call takes. */
export interface CallOptions {
  /** The overall deadline or a cancellation, covering retries and backoff (`AbortSignal.timeout(ms)`). */
  readonly signal?: AbortSignal;
}

/** Options of {@link ConnectClient.getConnection}. */
export interface GetConnectionOptions extends CallOptions {
  /** Include the connection's mappings (default false, as django-heroku-connect). */
  readonly deep?: boolean;
}

/**
 * A connection or mapping id: a uuid on the live API, a number in older and
 * recorded replies (heroku-connect.md §5.3). Opaque: only put in URLs.
 */
export type ConnectId = string | number;

/**
 * A Heroku Connect API client bound to one endpoint and token. Every string
 * in what it returns has the token redacted.
 */
export interface ConnectClient {
  /** The API base URL the client talks to. */
  readonly endpoint: string;
  /** The connections of a Heroku app that the token's user can see. */
  listConnections(app: string, options?: CallOptions): Promise<Connection[]>;
  /** One connection; `deep` adds its mappings. */
  getConnection(id: ConnectId, options?: GetConnectionOptions): Promise<Connection>;
  /** Upload a mapping document (what `hc-drizzle export` prints); the connection then enters IMPORT_CONFIGURATION. */
  importMapping(id: ConnectId, mapping: unknown, options?: CallOptions): Promise<void>;
  /** The connection's mapping document, as `heroku connect:export` saves it (heroku-connect.md §5.2). */
  exportMapping(id: ConnectId, options?: CallOptions): Promise<MappingExport>;
  /** Give the token's user access to the app's connection (django-heroku-connect's `link_connection_to_account`). */
  linkAccount(app: string, options?: CallOptions): Promise<void>;
}

const SERVICE = 'Heroku Connect API';

/**
 * Create a client. A missing token or a bad endpoint is a
 * {@link SettingsError} here, before any request.
 *
 * @example
 * const client = createConnectClient({ token: env.HEROKU_AUTH_TOKEN });
 * const [connection] = await client.listConnections('my-app');
 */
// @__NO_SIDE_EFFECTS__
export function createConnectClient(options: ConnectClientOptions): ConnectClient {
  const token = options.token;
  if (token === undefined || token.trim() === '') {
    throw new SettingsError(
      'HEROKU_AUTH_TOKEN',
      'HEROKU_AUTH_TOKEN is not set: set it to a Heroku API token of a user with access to the app (heroku authorizations:create).',
    );
  }
  const endpoint = checkedEndpoint(options.endpoint ?? DEFAULT_API_ENDPOINT);
  const { token: _token, endpoint: _endpoint, ...transportOptions } = options;
  const transport = createTransport({
    ...transportOptions,
    service: SERVICE,
    secrets: [token],
    error: (failure, message, details) => new ConnectApiError(details.endpoint, failure, message, details),
  });
  const headers = { Authorization: `Bearer ${token}` };

  async function send(request: Omit<TransportRequest, 'base' | 'headers'>): Promise<{ request: TransportRequest; reply: TransportReply }> {
    const full = { ...request, base: endpoint, headers };
    const reply = await transport.send(full);
    if (reply.status < 200 || reply.status > 299) throw statusError(transport, full, reply);
    return { request: full, reply };
  }

  async function read<S extends v.GenericSchema>(request: Omit<TransportRequest, 'base' | 'headers'>, schema: S): Promise<v.InferOutput<S>> {
    const sent = await send(request);
    return transport.parse(sent.request, sent.reply, schema);
  }

  return {
    endpoint,
    async listConnections(app, { signal } = {}) {
      const reply = await read({ method: 'GET', path: `/connections?app=${encodeURIComponent(app)}`, ...signalOf(signal) }, ConnectionListReplySchema);
      return reply.results;
    },
    async getConnection(id, { deep = false, signal } = {}) {
      return read({ method: 'GET', path: `/connections/${idSegment(id)}?deep=${deep}`, ...signalOf(signal) }, ConnectionReplySchema);
    },
    async importMapping(id, mapping, { signal } = {}) {
      // The reply body is not documented (django-heroku-connect only checks the status).
      await send({ method: 'POST', path: `/connections/${idSegment(id)}/actions/import`, json: mapping, ...signalOf(signal) });
    },
    async exportMapping(id, { signal } = {}) {
      return read({ method: 'GET', path: `/connections/${idSegment(id)}/actions/export`, ...signalOf(signal) }, MappingExportSchema);
    },
    async linkAccount(app, { signal } = {}) {
      await send({ method: 'POST', path: `/users/me/apps/${encodeURIComponent(app)}/auth`, ...signalOf(signal) });
    },
  };
}

/**
 * A client from hc-drizzle's settings (`HEROKU_AUTH_TOKEN`,
 * `HEROKU_CONNECT_API_ENDPOINT`).
 *
 * @throws {SettingsError} when HEROKU_AUTH_TOKEN is not set.
 * @example
 * const client = connectClientFromSettings(readSettings(env));
 */
export function connectClientFromSettings(
  settings: Settings,
  options: Omit<ConnectClientOptions, 'token' | 'endpoint'> = {},
): ConnectClient {
  return createConnectClient({ ...options, token: settings.authToken, endpoint: settings.apiEndpoint });
}

/** The endpoint without trailing slashes, refused (without echoing it) when it could leak credentials or is not a base URL. */
function checkedEndpoint(endpoint: string): string {
  const problem = baseUrlProblem(endpoint);
  if (problem !== undefined) {
    throw new SettingsError('HEROKU_CONNECT_API_ENDPOINT', `HEROKU_CONNECT_API_ENDPOINT is invalid: the value ${problem}.`);
  }
  return endpoint.trim().replace(/\/+$/, '');
}

function statusError(transport: Transport, request: TransportRequest, reply: TransportReply): ConnectApiError {
  const name = `${request.method} ${request.path.split('?')[0]}`;
  const detail = snippet(errorDetail(reply.text), transport.redactor.redact);
  const hint =
    reply.status === 401 || reply.status === 403
      ? ': check HEROKU_AUTH_TOKEN (a Heroku API token of a user with access to the app)'
      : reply.status === 404
        ? ': check the app name, the connection id and HEROKU_CONNECT_API_ENDPOINT (the connection region)'
        : '';
  return transport.fail('status', `${name} failed with HTTP ${reply.status}${detail === '' ? '' : ` (${detail})`}${hint}.`, {
    endpoint: name,
    status: reply.status,
  }) as ConnectApiError;
}

/** The API's `{"message": ...}` when it sent one, else the body itself. */
function errorDetail(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown } | null)?.message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: show the text itself.
  }
  return text;
}

/** A connection id as a URL path segment, refused when it is not an opaque id ({@link isConnectIdText}). */
function idSegment(id: ConnectId): string {
  const text = String(id);
  if (!isConnectIdText(text)) {
    throw new InputError(`A Heroku Connect connection id is opaque text such as a uuid or a number (not empty, . or .., no spaces), not ${JSON.stringify(text.slice(0, 140))}.`);
  }
  return encodeURIComponent(text);
}

const signalOf = (signal: AbortSignal | undefined) => (signal === undefined ? {} : { signal });
