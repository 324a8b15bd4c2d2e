/**
 * The Heroku Connect API v3 client (heroku-connect.md §5): the calls
 * django-heroku-connect makes, with timeouts, bounded retries of GETs, and
 * every reply validated. Edge-safe: it only needs a `fetch` function (the
 * runtime's by default; the CLI passes undici's, see node-fetch.ts).
 */
import * as v from 'valibot';
import { SettingsError } from '../errors.ts';
import { DEFAULT_API_ENDPOINT, type Settings } from '../settings/settings.ts';
import { ConnectApiError } from './errors.ts';
import { ConnectionListReplySchema, ConnectionReplySchema, type Connection } from './replies.ts';

/** The subset of `fetch` the client calls. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** Options of {@link createConnectClient}. */
export interface ConnectClientOptions {
  /** A Heroku API token (`HEROKU_AUTH_TOKEN`): sent as a bearer token, never shown. */
  readonly token: string | undefined;
  /** The regional API base, default django-heroku-connect's {@link DEFAULT_API_ENDPOINT}. */
  readonly endpoint?: string;
  /** Default the runtime's global `fetch`. */
  readonly fetch?: FetchFunction;
  /** Per request, including reading the reply. Default 30 000. */
  readonly timeoutMs?: number;
  /** Extra attempts of a GET after a 5xx, a timeout or a connection error. Default 2. */
  readonly retries?: number;
  /** First retry delay, doubled at each retry. Default 500. */
  readonly retryDelayMs?: number;
  /** Receives one line per request, reply and retry (the token redacted). */
  readonly log?: (line: string) => void;
}

/** Options of {@link ConnectClient.getConnection}. */
export interface GetConnectionOptions {
  /** Include the connection's mappings (default false, as django-heroku-connect). */
  readonly deep?: boolean;
}

/** A Heroku Connect API client bound to one endpoint and token. */
export interface ConnectClient {
  /** The API base URL the client talks to. */
  readonly endpoint: string;
  /** The connections of a Heroku app that the token's user can see. */
  listConnections(app: string): Promise<Connection[]>;
  /** One connection; `deep` adds its mappings. */
  getConnection(id: string, options?: GetConnectionOptions): Promise<Connection>;
  /** Upload a mapping document (what `hc-drizzle export` prints); the connection then enters IMPORT_CONFIGURATION. */
  importMapping(id: string, mapping: unknown): Promise<void>;
  /** Give the token's user access to the app's connection (django-heroku-connect's `link_connection_to_account`). */
  linkAccount(app: string): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 500;

interface Call {
  readonly method: 'GET' | 'POST';
  /** Path and query relative to the endpoint. */
  readonly path: string;
  readonly body?: unknown;
}

/**
 * Create a client. A missing token is a {@link SettingsError} here, before
 * any request.
 *
 * @example
 * const client = createConnectClient({ token: env.HEROKU_AUTH_TOKEN });
 * const [connection] = await client.listConnections('my-app');
 */
export function createConnectClient(options: ConnectClientOptions): ConnectClient {
  const token = options.token;
  if (token === undefined || token.trim() === '') {
    throw new SettingsError(
      'HEROKU_AUTH_TOKEN',
      'HEROKU_AUTH_TOKEN is not set: set it to a Heroku API token of a user with access to the app (heroku authorizations:create).',
    );
  }
  const endpoint = (options.endpoint ?? DEFAULT_API_ENDPOINT).replace(/\/+$/, '');
  const fetchFunction: FetchFunction = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const redact = (text: string) => text.split(token).join('[redacted]');
  const log = (line: string) => options.log?.(redact(line));
  const shownEndpoint = withoutCredentials(endpoint);

  async function attempt(call: Call, name: string): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    const signal = AbortSignal.timeout(timeoutMs);
    const started = Date.now();
    log(`${call.method} ${shownEndpoint}${call.path} (Authorization: Bearer [redacted])`);
    let status: number;
    let text: string;
    try {
      const response = await fetchFunction(`${endpoint}${call.path}`, {
        method: call.method,
        headers,
        signal,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (signal.aborted) {
        throw new ConnectApiError(
          name,
          'timeout',
          redact(`${name} timed out after ${timeoutMs / 1000} s (Heroku Connect API at ${shownEndpoint}).`),
          { cause: error },
        );
      }
      throw new ConnectApiError(
        name,
        'network',
        redact(`${name} could not reach the Heroku Connect API at ${shownEndpoint}: ${transportProblem(error)}.`),
        { cause: error },
      );
    }
    log(`${name} answered HTTP ${status} in ${Date.now() - started} ms`);
    if (status < 200 || status > 299) {
      throw new ConnectApiError(name, 'status', redact(statusMessage(name, status, text)), { status });
    }
    return { status, text };
  }

  async function send(call: Call): Promise<{ status: number; text: string }> {
    const name = endpointName(call);
    // Only GETs are idempotent; a repeated POST could import twice.
    const attempts = call.method === 'GET' ? retries + 1 : 1;
    for (let done = 1; ; done++) {
      try {
        return await attempt(call, name);
      } catch (error) {
        if (!(error instanceof ConnectApiError) || !isTransient(error) || done >= attempts) throw error;
        const delay = retryDelayMs * 2 ** (done - 1);
        log(`${name} failed (${error.failure === 'status' ? `HTTP ${error.status}` : error.failure}); retry ${done} of ${retries} in ${delay} ms`);
        await sleep(delay);
      }
    }
  }

  async function read<S extends v.GenericSchema>(call: Call, schema: S): Promise<v.InferOutput<S>> {
    const { status, text } = await send(call);
    const name = endpointName(call);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ConnectApiError(name, 'invalid-json', redact(`${name} replied with invalid JSON (HTTP ${status}): ${snippet(text)}.`), {
        status,
        cause: error,
      });
    }
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const where = v.getDotPath(issue) ?? 'the reply';
      throw new ConnectApiError(
        name,
        'unexpected-reply',
        redact(`${name} replied with something the Heroku Connect API does not document: ${where}: ${issue.message}.`),
        { status },
      );
    }
    return parsed.output;
  }

  return {
    endpoint,
    async listConnections(app) {
      const reply = await read({ method: 'GET', path: `/connections?app=${encodeURIComponent(app)}` }, ConnectionListReplySchema);
      return reply.results;
    },
    getConnection(id, { deep = false } = {}) {
      return read({ method: 'GET', path: `/connections/${encodeURIComponent(id)}?deep=${deep}` }, ConnectionReplySchema);
    },
    async importMapping(id, mapping) {
      // The reply body is not documented (django-heroku-connect only checks the status).
      await send({ method: 'POST', path: `/connections/${encodeURIComponent(id)}/actions/import`, body: mapping });
    },
    async linkAccount(app) {
      await send({ method: 'POST', path: `/users/me/apps/${encodeURIComponent(app)}/auth` });
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

/** `METHOD /path`, without the query: how errors name a call. */
function endpointName(call: Call): string {
  return `${call.method} ${call.path.split('?')[0]}`;
}

function isTransient(error: ConnectApiError): boolean {
  return error.failure === 'timeout' || error.failure === 'network' || (error.status !== undefined && error.status >= 500);
}

function statusMessage(name: string, status: number, text: string): string {
  const detail = errorDetail(text);
  const hint =
    status === 401 || status === 403
      ? ': check HEROKU_AUTH_TOKEN (a Heroku API token of a user with access to the app)'
      : status === 404
        ? ': check the app name, the connection id and HEROKU_CONNECT_API_ENDPOINT (the connection region)'
        : '';
  return `${name} failed with HTTP ${status}${detail === '' ? '' : ` (${detail})`}${hint}.`;
}

/** The API's `{"message": ...}` when it sent one, else the start of the body. */
function errorDetail(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown } | null)?.message;
    if (typeof message === 'string') return snippet(message);
  } catch {
    // Not JSON: show the text itself.
  }
  return snippet(text);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** undici wraps the socket error (`ECONNREFUSED`, ...) in `cause`. */
function transportProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
