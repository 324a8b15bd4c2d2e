/**
 * The one HTTP transport of hc-drizzle's API clients (Heroku Connect and
 * Salesforce): a timeout per attempt, retries of idempotent requests only
 * with doubling backoff, all inside the caller's overall deadline; reply
 * bodies read up to a cap; JSON replies validated with valibot; every secret
 * redacted from what it logs, throws and returns. Edge-safe: it only needs a
 * `fetch` function (the runtime's by default; Node callers pass undici's,
 * see undici-fetch.ts).
 */
import * as v from 'valibot';
import { snippet } from './display.ts';
import { createRedactor, type Redactor } from './redact.ts';

/** The subset of `fetch` the transport calls. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** Why a request failed before a usable reply came. */
export type TransportFailure =
  /** One attempt took longer than `timeoutMs`. */
  | 'timeout'
  /** The caller's signal fired: its deadline passed, or it was aborted. */
  | 'deadline'
  /** No connection, DNS, TLS, reset. */
  | 'network'
  /** The body was larger than `maxBodyBytes`. */
  | 'too-large'
  /** The body was not JSON. */
  | 'invalid-json'
  /** The JSON is not what the API documents. */
  | 'unexpected-reply';

/** Every way an API call fails: the transport's, and a reply with an error status (judged by the client). */
export type ApiFailure = TransportFailure | 'status';

/** What the error factory receives besides the failure and the (redacted) message. */
export interface TransportErrorDetails {
  /** How the call is named in messages: `GET /connections`. */
  readonly endpoint: string;
  readonly status?: number;
  readonly cause?: unknown;
}

/** How a client's transport behaves: what both API clients' options take. */
export interface TransportTuning {
  /** Default the runtime's global `fetch`. */
  readonly fetch?: FetchFunction;
  /** Per attempt, including reading the body. Default 30 000. */
  readonly timeoutMs?: number;
  /** Extra attempts of an idempotent request after a 5xx, a 429, a timeout or a connection error. Default 2. */
  readonly retries?: number;
  /** First retry delay, doubled at each retry (a `Retry-After` header wins when longer). Default 500. */
  readonly retryDelayMs?: number;
  /** The most bytes read from one reply body. Default 16 MiB. */
  readonly maxBodyBytes?: number;
  /** Receives one line per request, reply and retry, secrets redacted. */
  readonly log?: (line: string) => void;
}

/** Options of {@link createTransport}. */
export interface TransportOptions extends TransportTuning {
  /** How messages name the other side: `Heroku Connect API`, `Salesforce`. */
  readonly service: string;
  /** Never shown: redacted from logs, messages and reply data. More can be added with `addSecret`. */
  readonly secrets?: readonly (string | undefined)[];
  /** Builds the client's own error class. */
  readonly error: (failure: ApiFailure, message: string, details: TransportErrorDetails) => Error;
}

/** One request. */
export interface TransportRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The API's base URL (validated by the client: see base-url.ts); messages name the service by it. */
  readonly base: string;
  /** Path and query after `base`. */
  readonly path: string;
  /** How messages name the call; default `METHOD /path` without the query. */
  readonly name?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  readonly form?: Readonly<Record<string, string>>;
  /** Whether repeating it is harmless. Default: GET, PUT and DELETE are, POST and PATCH are not. */
  readonly idempotent?: boolean;
  /** The overall deadline or cancellation: covers every attempt and every backoff. */
  readonly signal?: AbortSignal;
}

/** A reply, whatever its status (the transport retried what it could). */
export interface TransportReply {
  readonly status: number;
  readonly headers: Headers;
  /** The body (empty for 204). */
  readonly text: string;
}

/** The transport a client holds. */
export interface Transport {
  /** Send, retrying transient failures of idempotent requests; resolves with the last reply. */
  send(request: TransportRequest): Promise<TransportReply>;
  /**
   * The reply's JSON, validated by `schema`, with every secret redacted from
   * its strings (pass `redact: false` for a reply that carries a fresh token).
   */
  parse<S extends v.GenericSchema>(request: TransportRequest, reply: TransportReply, schema: S, options?: { redact?: boolean }): v.InferOutput<S>;
  /** Hide one more secret (a token obtained later). */
  addSecret(secret: string | undefined): void;
  /** The redaction every message goes through. */
  readonly redactor: Redactor;
  /** Build the client's error, its message redacted. */
  fail(failure: ApiFailure, message: string, details: TransportErrorDetails): Error;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 500;
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

class Failed extends Error {
  constructor(readonly failure: TransportFailure, readonly error: Error) {
    super(error.message);
  }
}

/**
 * Create a transport.
 *
 * @example
 * const transport = createTransport({ service: 'Heroku Connect API', secrets: [token], error: (failure, message, details) => new ConnectApiError(...) });
 * const reply = await transport.send({ method: 'GET', base: endpoint, path: `/connections?app=${app}` });
 */
export function createTransport(options: TransportOptions): Transport {
  const fetchFunction: FetchFunction = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const redactor = createRedactor(options.secrets ?? []);
  const log = (line: string) => options.log?.(redactor.redact(line));
  const fail = (failure: ApiFailure, message: string, details: TransportErrorDetails) =>
    options.error(failure, redactor.redact(message), details.cause === undefined ? details : { ...details, cause: redactedCause(details.cause, redactor) });
  const at = (request: TransportRequest) => `${options.service} at ${request.base}`;

  async function attempt(request: TransportRequest): Promise<TransportReply> {
    const name = nameOf(request);
    const url = `${request.base}${request.path}`;
    const attemptSignal = AbortSignal.timeout(timeoutMs);
    const signal = request.signal === undefined ? attemptSignal : AbortSignal.any([attemptSignal, request.signal]);
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    const started = Date.now();
    const authorization = headers['Authorization'];
    log(`${request.method} ${url}${authorization === undefined ? '' : ` (Authorization: ${authorization.split(' ')[0]} [redacted])`}`);
    try {
      const response = await fetchFunction(url, { method: request.method, headers, signal, ...(body === undefined ? {} : { body }) });
      const text = await readBody(response, maxBodyBytes, () =>
        fail('too-large', `${name} replied with more than ${formatBytes(maxBodyBytes)} (HTTP ${response.status}): not read.`, {
          endpoint: name,
          status: response.status,
        }),
      );
      log(`${name} answered HTTP ${response.status} in ${Date.now() - started} ms`);
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (error instanceof Failed) throw error;
      if (request.signal?.aborted === true) throw deadlineFailure(request, error);
      if (attemptSignal.aborted) {
        throw new Failed('timeout', fail('timeout', `${name} timed out after ${timeoutMs / 1000} s (${at(request)}).`, { endpoint: name, cause: error }));
      }
      throw new Failed(
        'network',
        fail('network', `${name} could not reach the ${at(request)}: ${snippet(transportProblem(error), redactor.redact)}.`, { endpoint: name, cause: error }),
      );
    }
  }

  /** Wait `ms`, or fail at once when the caller's signal would fire first. */
  async function backoff(request: TransportRequest, ms: number): Promise<void> {
    const { signal } = request;
    if (signal === undefined) return sleep(ms);
    if (signal.aborted) throw deadlineFailure(request);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(deadlineFailure(request));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The caller's signal fired: a timeout signal is a passed deadline, anything else a cancellation. */
  function deadlineFailure(request: TransportRequest, cause?: unknown): Failed {
    const name = nameOf(request);
    const reason = request.signal?.reason as { name?: unknown } | undefined;
    const why = reason?.name === 'TimeoutError' ? 'its deadline passed' : 'it was cancelled';
    return new Failed('deadline', fail('deadline', `${name} stopped: ${why} (${at(request)}).`, { endpoint: name, cause }));
  }

  async function send(request: TransportRequest): Promise<TransportReply> {
    const idempotent = request.idempotent ?? (request.method === 'GET' || request.method === 'PUT' || request.method === 'DELETE');
    const attempts = idempotent ? retries + 1 : 1;
    for (let done = 1; ; done++) {
      let outcome: TransportReply | Failed;
      try {
        outcome = await attempt(request);
      } catch (error) {
        if (!(error instanceof Failed)) throw error;
        outcome = error;
      }
      const transient =
        outcome instanceof Failed ? outcome.failure === 'timeout' || outcome.failure === 'network' : outcome.status >= 500 || outcome.status === 429;
      if (!transient || done >= attempts) {
        if (outcome instanceof Failed) throw outcome.error;
        return outcome;
      }
      const delay = Math.max(retryDelayMs * 2 ** (done - 1), outcome instanceof Failed ? 0 : retryAfterMs(outcome.headers));
      const what = outcome instanceof Failed ? outcome.failure : `HTTP ${outcome.status}`;
      log(`${nameOf(request)} failed (${what}); retry ${done} of ${retries} in ${delay} ms`);
      try {
        await backoff(request, delay);
      } catch (error) {
        if (error instanceof Failed) throw error.error;
        throw error;
      }
    }
  }

  function parse<S extends v.GenericSchema>(
    request: TransportRequest,
    reply: TransportReply,
    schema: S,
    { redact = true }: { redact?: boolean } = {},
  ): v.InferOutput<S> {
    const name = nameOf(request);
    let json: unknown;
    try {
      json = JSON.parse(reply.text);
    } catch (error) {
      throw fail('invalid-json', `${name} replied with invalid JSON (HTTP ${reply.status}): ${snippet(reply.text, redactor.redact)}.`, {
        endpoint: name,
        status: reply.status,
        cause: error,
      });
    }
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const where = v.getDotPath(issue) ?? 'the reply';
      throw fail(
        'unexpected-reply',
        `${name} replied with something the ${options.service} does not document: ${snippet(where, redactor.redact)}: ${snippet(issue.message, redactor.redact)}.`,
        { endpoint: name, status: reply.status },
      );
    }
    return redact ? redactor.redactValue(parsed.output) : parsed.output;
  }

  return { send, parse, addSecret: redactor.add, redactor, fail };
}

/**
 * The body as text, reading at most `maxBytes`: a longer body is cancelled
 * and `tooLarge()` thrown, so a huge reply never sits in memory.
 */
async function readBody(response: Response, maxBytes: number, tooLarge: () => Error): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new Failed('too-large', tooLarge());
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Failed('too-large', tooLarge());
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * A copy of a cause chain (the HTTP stack's own errors) with every secret
 * redacted from messages and stacks: `--verbose` prints causes, and an
 * error such as "invalid header value" quotes the header.
 */
function redactedCause(cause: unknown, redactor: Redactor, depth = 0): unknown {
  if (!(cause instanceof Error) || depth > 8) return typeof cause === 'string' ? redactor.redact(cause) : cause;
  const copy = new Error(redactor.redact(cause.message), cause.cause === undefined ? undefined : { cause: redactedCause(cause.cause, redactor, depth + 1) });
  copy.name = cause.name;
  copy.stack = redactor.redact(cause.stack ?? '');
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

/** `Retry-After` in ms (seconds or an HTTP date), 0 when absent; at most a minute, so a server cannot park us. */
function retryAfterMs(headers: Headers): number {
  const value = headers.get('retry-after');
  if (value === null) return 0;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), 60_000) : 0;
}

/** `METHOD /path`, without the query: how messages name a call unless the client names it. */
function nameOf(request: TransportRequest): string {
  return request.name ?? `${request.method} ${request.path.split('?')[0]}`;
}

/** undici wraps the socket error (`ECONNREFUSED`, ...) in `cause`. */
function transportProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
