/**
 * The Salesforce REST API client (django-sforce's transport, for hcTables):
 * OAuth 2.0 login or a given access token, the token cached and renewed once
 * when a call answers 401, one API version, an optional sobject whitelist,
 * and the calls pushRecord / pullRecord / refreshTable need. Requests go over
 * hc-drizzle's one HTTP transport (src/http/transport.ts): timeouts, retries
 * of idempotent requests only, one deadline over everything, capped bodies,
 * replies validated, every secret redacted. Edge-safe: only `fetch`.
 */
import * as v from 'valibot';
import { apiNameProblem } from '../checks/api-names.ts';
import { InputError, SettingsError } from '../errors.ts';
import { baseUrlProblem } from '../http/base-url.ts';
import { snippet } from '../http/display.ts';
import { createTransport, type Transport, type TransportReply, type TransportRequest, type TransportTuning } from '../http/transport.ts';
import { SalesforceApiError, SalesforceObjectNotAllowedError, type SalesforceErrorDetail } from './errors.ts';
import {
  CollectionReplySchema,
  CreateReplySchema,
  DeletedReplySchema,
  DescribeReplySchema,
  ErrorsReplySchema,
  OAuthErrorReplySchema,
  QueryReplySchema,
  RECORD_ID_PATTERN,
  TokenReplySchema,
  UpdatedReplySchema,
  UpsertReplySchema,
  type CollectionResult,
  type SalesforceRecord,
  type SObjectDescribe,
} from './replies.ts';

/** How the client logs in. */
export type SalesforceAuth =
  /** OAuth 2.0 client credentials flow (a connected app with a run-as user; `loginUrl` is the org's My Domain). */
  | { readonly kind: 'client-credentials'; readonly loginUrl: string; readonly clientId: string; readonly clientSecret: string }
  /** OAuth 2.0 username-password flow (`password` with the security token appended when the org asks for one). */
  | {
      readonly kind: 'password';
      readonly loginUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly username: string;
      readonly password: string;
    }
  /** OAuth 2.0 refresh token flow. */
  | { readonly kind: 'refresh-token'; readonly loginUrl: string; readonly clientId: string; readonly clientSecret?: string; readonly refreshToken: string }
  /** A token obtained elsewhere; it cannot be renewed, so a 401 is final. */
  | { readonly kind: 'access-token'; readonly accessToken: string };

/** Options of {@link createSalesforceClient}: the org, the login, and how the transport behaves. */
export interface SalesforceClientOptions extends TransportTuning {
  /** The org's instance (My Domain) URL: `https://acme.my.salesforce.com`. Every data call goes there, whatever a login reply says. */
  readonly instanceUrl: string;
  readonly auth: SalesforceAuth;
  /** `NN.N`; default {@link DEFAULT_SALESFORCE_API_VERSION}. */
  readonly apiVersion?: string;
  /** When given, the only objects the client may touch (case-insensitive); others are refused before any request. */
  readonly sobjects?: readonly string[];
}

/** What every call takes. */
export interface SalesforceCallOptions {
  /** An overall deadline or a cancellation, covering retries and backoff. */
  readonly signal?: AbortSignal;
}

/** Options of the sObject Collections calls. */
export interface CollectionOptions extends SalesforceCallOptions {
  /** Roll back a request's 200 records when one fails (Salesforce's `allOrNone`). Default false. */
  readonly allOrNone?: boolean;
}

/** `/updated` and `/deleted` windows. Salesforce looks back 30 days at most and works to the minute. */
export interface ChangeWindow extends SalesforceCallOptions {
  readonly start: Date;
  readonly end: Date;
}

/** The org's API use as the last reply's `Sforce-Limit-Info` header reported it. */
export interface ApiUsage {
  /** API requests made in the last 24 hours, by every client of the org. */
  readonly used: number;
  /** The org's daily limit. */
  readonly limit: number;
}

/** The outcome of one record of an sObject Collections write. */
export type CollectionOutcome =
  | { readonly ok: true; readonly id: string; readonly created: boolean }
  | { readonly ok: false; readonly error: SalesforceApiError };

/** A Salesforce REST client bound to one org, login and API version. */
export interface SalesforceClient {
  readonly instanceUrl: string;
  readonly apiVersion: string;
  /** The org's API use after the last reply, when Salesforce reported it. */
  readonly apiUsage: ApiUsage | undefined;
  /** REST API calls this client has made (logins not counted; a call the transport retried counts once): what counts against the org's daily limit. */
  readonly requestCount: number;
  /** Throw {@link SalesforceObjectNotAllowedError} unless the whitelist allows `object`. */
  assertAllowed(object: string): void;
  /** The object's fields (cached for the client's life: one request per object). */
  describe(object: string, options?: SalesforceCallOptions): Promise<SObjectDescribe>;
  /** `POST /sobjects/{Object}`; the new record's Id. */
  create(object: string, fields: Readonly<Record<string, unknown>>, options?: SalesforceCallOptions): Promise<string>;
  /** `PATCH /sobjects/{Object}/{Id}`. */
  update(object: string, id: string, fields: Readonly<Record<string, unknown>>, options?: SalesforceCallOptions): Promise<void>;
  /** `PATCH /sobjects/{Object}/{Field}/{value}`: updates the record with that external id, or creates it. */
  upsert(
    object: string,
    field: string,
    value: string,
    fields: Readonly<Record<string, unknown>>,
    options?: SalesforceCallOptions,
  ): Promise<{ id: string; created: boolean }>;
  /** Run a SOQL query, page by page (`nextRecordsUrl`), each page as Salesforce sends it. */
  query(soql: string, options?: SalesforceCallOptions): AsyncIterable<{ readonly totalSize: number; readonly records: readonly SalesforceRecord[] }>;
  /** `GET /sobjects/{Object}/updated`: ids changed in the window. */
  updated(object: string, window: ChangeWindow): Promise<{ ids: string[]; latestDateCovered: string }>;
  /** `GET /sobjects/{Object}/deleted`: ids deleted in the window. */
  deleted(
    object: string,
    window: ChangeWindow,
  ): Promise<{ deletedRecords: { id: string; deletedDate: string }[]; earliestDateAvailable: string; latestDateCovered: string }>;
  /** sObject Collections create (`POST /composite/sobjects`), 200 records a request; outcomes in order. */
  createMany(object: string, records: readonly Readonly<Record<string, unknown>>[], options?: CollectionOptions): Promise<CollectionOutcome[]>;
  /** sObject Collections update (`PATCH /composite/sobjects`); each record carries its `Id`. */
  updateMany(object: string, records: readonly Readonly<Record<string, unknown>>[], options?: CollectionOptions): Promise<CollectionOutcome[]>;
  /** sObject Collections upsert (`PATCH /composite/sobjects/{Object}/{Field}`, API 46+); each record carries its external id. */
  upsertMany(
    object: string,
    field: string,
    records: readonly Readonly<Record<string, unknown>>[],
    options?: CollectionOptions,
  ): Promise<CollectionOutcome[]>;
}

/** The API version used unless told (Winter '25). */
export const DEFAULT_SALESFORCE_API_VERSION = '62.0';
/** sObject Collections take at most 200 records a request. */
export const COLLECTION_SIZE = 200;

const SERVICE = 'Salesforce';

type Fields = Readonly<Record<string, unknown>>;
type Call = Omit<TransportRequest, 'base' | 'headers'> & { readonly name: string };

/**
 * Create a client. Bad settings (URLs, the API version) are a
 * {@link SettingsError} here, before any request; the first call logs in.
 *
 * @example
 * const sf = createSalesforceClient({
 *   instanceUrl: 'https://acme.my.salesforce.com',
 *   auth: { kind: 'client-credentials', loginUrl: 'https://acme.my.salesforce.com', clientId, clientSecret },
 *   sobjects: ['Account', 'Contact'],
 * });
 */
// @__NO_SIDE_EFFECTS__
export function createSalesforceClient(options: SalesforceClientOptions): SalesforceClient {
  const instanceUrl = checkedUrl(options.instanceUrl, 'SALESFORCE_INSTANCE_URL');
  const auth = options.auth;
  const loginUrl = auth.kind === 'access-token' ? undefined : checkedUrl(auth.loginUrl, 'SALESFORCE_LOGIN_URL');
  const apiVersion = options.apiVersion ?? DEFAULT_SALESFORCE_API_VERSION;
  if (!/^\d{2,3}\.\d$/.test(apiVersion)) {
    throw new SettingsError('SALESFORCE_API_VERSION', `SALESFORCE_API_VERSION is invalid: ${JSON.stringify(apiVersion)} must look like 62.0.`);
  }
  const allowed = options.sobjects === undefined ? undefined : new Set(options.sobjects.map((name) => name.toLowerCase()));
  const { instanceUrl: _instance, auth: _auth, apiVersion: _version, sobjects: _sobjects, ...transportOptions } = options;
  const transport = createTransport({
    ...transportOptions,
    service: SERVICE,
    secrets: secretsOf(auth),
    error: (failure, message, details) => new SalesforceApiError(details.endpoint, failure, message, details),
  });
  const data = `/services/data/v${apiVersion}`;
  const describes = new Map<string, Promise<SObjectDescribe>>();
  let token: Promise<string> | undefined;
  let apiUsage: ApiUsage | undefined;
  let requestCount = 0;

  function assertAllowed(object: string): void {
    const problem = apiNameProblem(object, 'object');
    if (problem !== undefined) throw new InputError(`${JSON.stringify(object)} is not a Salesforce object name: ${problem}.`);
    if (allowed !== undefined && !allowed.has(object.toLowerCase())) throw new SalesforceObjectNotAllowedError(object, options.sobjects ?? []);
  }

  /** The cached token, logging in when there is none; a failed login is not cached. */
  function accessToken(): Promise<string> {
    token ??= login().catch((error: unknown) => {
      token = undefined;
      throw error;
    });
    return token;
  }

  /** A new token after `refused` got a 401: one login shared by every call that saw it. */
  async function renewedToken(refused: string): Promise<string> {
    if ((await token?.catch(() => undefined)) === refused) token = undefined;
    return accessToken();
  }

  async function login(): Promise<string> {
    if (auth.kind === 'access-token') return auth.accessToken;
    const form: Record<string, string> =
      auth.kind === 'client-credentials'
        ? { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret }
        : auth.kind === 'password'
          ? { grant_type: 'password', client_id: auth.clientId, client_secret: auth.clientSecret, username: auth.username, password: auth.password }
          : { grant_type: 'refresh_token', client_id: auth.clientId, refresh_token: auth.refreshToken, ...(auth.clientSecret === undefined ? {} : { client_secret: auth.clientSecret }) };
    // Logging in twice is harmless, so a 5xx or a lost connection is retried like a GET.
    const request: TransportRequest = { method: 'POST', base: loginUrl!, path: '/services/oauth2/token', form, idempotent: true, name: 'POST /services/oauth2/token' };
    const reply = await transport.send(request);
    if (reply.status !== 200) throw loginError(transport, request, reply, auth.kind);
    // The reply carries the fresh token: not redacted, then hidden from now on.
    const { access_token: fresh } = transport.parse(request, reply, TokenReplySchema, { redact: false });
    transport.addSecret(fresh);
    return fresh;
  }

  /** `token`, or the call's deadline failure when its signal fires first; the shared login goes on for other calls. */
  async function within(call: Call, token: Promise<string>): Promise<string> {
    const { signal } = call;
    if (signal === undefined) return token;
    if (signal.aborted) throw deadlineError(call);
    let onAbort: (() => void) | undefined;
    try {
      return await Promise.race([token, new Promise<never>((_, reject) => signal.addEventListener('abort', (onAbort = () => reject(deadlineError(call))), { once: true }))]);
    } finally {
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    }
  }

  function deadlineError(call: Call): Error {
    const why = (call.signal?.reason as { name?: unknown } | undefined)?.name === 'TimeoutError' ? 'its deadline passed' : 'it was cancelled';
    return transport.fail('deadline', `${call.name} stopped while logging in: ${why} (${SERVICE} at ${loginUrl ?? instanceUrl}).`, { endpoint: call.name });
  }

  async function send(call: Call): Promise<TransportReply> {
    const used = await within(call, accessToken());
    let reply = await sendWith(call, used);
    // A 401 means the request was refused, not applied: sending it again is safe for any method.
    if (reply.status === 401 && auth.kind !== 'access-token') reply = await sendWith(call, await within(call, renewedToken(used)));
    if (reply.status < 200 || reply.status > 299) throw statusError(transport, call, reply, auth.kind);
    return reply;
  }

  async function sendWith(call: Call, accessTokenValue: string): Promise<TransportReply> {
    requestCount++;
    const reply = await transport.send({ ...call, base: instanceUrl, headers: { Authorization: `Bearer ${accessTokenValue}` } });
    apiUsage = usageOf(reply.headers) ?? apiUsage;
    return reply;
  }

  async function read<S extends v.GenericSchema>(call: Call, schema: S): Promise<v.InferOutput<S>> {
    const reply = await send(call);
    return transport.parse({ ...call, base: instanceUrl }, reply, schema);
  }

  const objectPath = (object: string) => {
    assertAllowed(object);
    return `${data}/sobjects/${encodeURIComponent(object)}`;
  };
  const checkedId = (id: string) => {
    if (!RECORD_ID_PATTERN.test(id)) throw new InputError(`${JSON.stringify(id)} is not a Salesforce record Id (15 or 18 letters and digits).`);
    return id;
  };
  const checkedField = (field: string) => {
    const problem = apiNameProblem(field, 'field');
    if (problem !== undefined) throw new InputError(`${JSON.stringify(field)} is not a Salesforce field name: ${problem}.`);
    return field;
  };
  const signalOf = (options: SalesforceCallOptions | undefined) => (options?.signal === undefined ? {} : { signal: options.signal });

  /** An sObject Collections write, 200 records a request; `call` makes the request of one body. */
  async function collection(
    object: string,
    records: readonly Fields[],
    options: CollectionOptions | undefined,
    call: (json: { allOrNone: boolean; records: Fields[] }) => Omit<Call, 'signal'>,
  ): Promise<CollectionOutcome[]> {
    assertAllowed(object);
    const outcomes: CollectionOutcome[] = [];
    for (let start = 0; start < records.length; start += COLLECTION_SIZE) {
      const batch = records.slice(start, start + COLLECTION_SIZE).map((record) => ({ attributes: { type: object }, ...record }));
      const request: Call = { ...call({ allOrNone: options?.allOrNone ?? false, records: batch }), ...signalOf(options) };
      const results = await read(request, CollectionReplySchema);
      if (results.length !== batch.length) {
        throw transport.fail('unexpected-reply', `${request.name} answered ${results.length} results for ${batch.length} records.`, { endpoint: request.name });
      }
      outcomes.push(...results.map((result, index) => collectionOutcome(request.name, result, start + index, transport)));
    }
    return outcomes;
  }

  return {
    instanceUrl,
    apiVersion,
    get apiUsage() {
      return apiUsage;
    },
    get requestCount() {
      return requestCount;
    },
    assertAllowed,
    async describe(object, callOptions) {
      const key = object.toLowerCase();
      let described = describes.get(key);
      if (described === undefined) {
        described = read({ method: 'GET', path: `${objectPath(object)}/describe`, name: `GET /sobjects/${object}/describe`, ...signalOf(callOptions) }, DescribeReplySchema);
        describes.set(key, described);
        described.catch(() => describes.delete(key));
      }
      return described;
    },
    async create(object, fields, callOptions) {
      const path = objectPath(object);
      const reply = await read({ method: 'POST', path, json: fields, name: `POST /sobjects/${object}`, ...signalOf(callOptions) }, CreateReplySchema);
      return reply.id;
    },
    async update(object, id, fields, callOptions) {
      await send({ method: 'PATCH', path: `${objectPath(object)}/${checkedId(id)}`, json: fields, name: `PATCH /sobjects/${object}/{id}`, ...signalOf(callOptions) });
    },
    async upsert(object, field, value, fields, callOptions) {
      const call: Call = {
        method: 'PATCH',
        path: `${objectPath(object)}/${encodeURIComponent(checkedField(field))}/${encodeURIComponent(value)}`,
        json: fields,
        name: `PATCH /sobjects/${object}/${field}/{value}`,
        ...signalOf(callOptions),
      };
      const reply = await send(call);
      // Before API 46.0 an update answered 204 with no body.
      if (reply.status === 204) throw transport.fail('unexpected-reply', `${call.name} answered 204 without the record Id: use API version 46.0 or later.`, { endpoint: call.name, status: 204 });
      return transport.parse({ ...call, base: instanceUrl }, reply, UpsertReplySchema);
    },
    async *query(soql, callOptions) {
      let path: string | undefined = `${data}/query?q=${encodeURIComponent(soql)}`;
      while (path !== undefined) {
        const page: v.InferOutput<typeof QueryReplySchema> = await read({ method: 'GET', path, name: 'GET /query', ...signalOf(callOptions) }, QueryReplySchema);
        yield { totalSize: page.totalSize, records: page.records };
        path = page.done ? undefined : page.nextRecordsUrl;
      }
    },
    async updated(object, window) {
      return read({ method: 'GET', path: `${objectPath(object)}/updated?${windowQuery(window)}`, name: `GET /sobjects/${object}/updated`, ...signalOf(window) }, UpdatedReplySchema);
    },
    async deleted(object, window) {
      return read({ method: 'GET', path: `${objectPath(object)}/deleted?${windowQuery(window)}`, name: `GET /sobjects/${object}/deleted`, ...signalOf(window) }, DeletedReplySchema);
    },
    async createMany(object, records, callOptions) {
      return collection(object, records, callOptions, (json) => ({ method: 'POST', path: `${data}/composite/sobjects`, json, name: 'POST /composite/sobjects' }));
    },
    async updateMany(object, records, callOptions) {
      for (const record of records) checkedId(String(record['Id'] ?? ''));
      return collection(object, records, callOptions, (json) => ({ method: 'PATCH', path: `${data}/composite/sobjects`, json, name: 'PATCH /composite/sobjects' }));
    },
    async upsertMany(object, field, records, callOptions) {
      const path = `${data}/composite/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(checkedField(field))}`;
      return collection(object, records, callOptions, (json) => ({ method: 'PATCH', path, json, name: `PATCH /composite/sobjects/${object}/${field}` }));
    },
  };
}

/** Every secret an auth kind holds. */
function secretsOf(auth: SalesforceAuth): (string | undefined)[] {
  switch (auth.kind) {
    case 'access-token':
      return [auth.accessToken];
    case 'client-credentials':
      return [auth.clientSecret];
    case 'password':
      return [auth.clientSecret, auth.password];
    case 'refresh-token':
      return [auth.clientSecret, auth.refreshToken];
  }
}

function checkedUrl(url: string, variable: string): string {
  const problem = baseUrlProblem(url);
  if (problem !== undefined) throw new SettingsError(variable, `${variable} is invalid: the value ${problem}.`);
  return url.trim().replace(/\/+$/, '');
}

/** `start` and `end` as Salesforce wants them: `YYYY-MM-DDTHH:MM:SS+00:00`, UTC. */
function windowQuery({ start, end }: ChangeWindow): string {
  if (!(start.getTime() < end.getTime())) throw new InputError(`The window must end after it starts (${start.toISOString()} to ${end.toISOString()}).`);
  const format = (date: Date) => `${date.toISOString().slice(0, 19)}+00:00`;
  return `start=${encodeURIComponent(format(start))}&end=${encodeURIComponent(format(end))}`;
}

/** `Sforce-Limit-Info: api-usage=18/15000`. */
function usageOf(headers: Headers): ApiUsage | undefined {
  const match = /api-usage=(\d+)\/(\d+)/.exec(headers.get('sforce-limit-info') ?? '');
  return match === null ? undefined : { used: Number(match[1]), limit: Number(match[2]) };
}

/** One collection result (already redacted by the transport) as an outcome. */
function collectionOutcome(endpoint: string, result: CollectionResult, index: number, transport: Transport): CollectionOutcome {
  if (result.success && typeof result.id === 'string') return { ok: true, id: result.id, created: result.created ?? false };
  const errors = result.errors;
  const message = `Salesforce refused record ${index + 1} of the request: ${snippet(describeErrors(errors), transport.redactor.redact, 300)}.`;
  return { ok: false, error: new SalesforceApiError(endpoint, 'record', message, { status: 200, errors }) };
}

/** `CODE: message (fields A, B)`, each error once, redacted and cut by the caller. */
function describeErrors(errors: readonly SalesforceErrorDetail[]): string {
  if (errors.length === 0) return 'no reason given';
  return errors.map((error) => `${error.errorCode}: ${error.message}${error.fields.length === 0 ? '' : ` (${error.fields.join(', ')})`}`).join('; ');
}

/** An error status: Salesforce's `[{ message, errorCode, fields }]` when it sent them. */
function statusError(transport: Transport, call: Call, reply: TransportReply, kind: SalesforceAuth['kind']): Error {
  const errors = parsedErrors(reply.text);
  const detail = errors.length > 0 ? describeErrors(errors) : reply.text;
  const shown = snippet(detail, transport.redactor.redact, 300);
  const hint =
    reply.status === 401
      ? kind === 'access-token'
        ? ': the access token was refused; give a fresh one, or let the client log in (client credentials, password or refresh token)'
        : ': the session was refused even after logging in again'
      : reply.status === 403 && errors[0]?.errorCode === 'REQUEST_LIMIT_EXCEEDED'
        ? ": the org's daily API request limit is used up"
        : '';
  return new SalesforceApiError(call.name, 'status', transport.redactor.redact(`${call.name} failed with HTTP ${reply.status}${shown === '' ? '' : ` (${shown})`}${hint}.`), {
    status: reply.status,
    errors: transport.redactor.redactValue(errors),
  });
}

/** The errors of an error reply, or none when the body is not Salesforce's error list. */
function parsedErrors(text: string): SalesforceErrorDetail[] {
  try {
    const parsed = v.safeParse(ErrorsReplySchema, JSON.parse(text));
    return parsed.success ? parsed.output : [];
  } catch {
    return [];
  }
}

/** A refused login: OAuth's `{ error, error_description }`. */
function loginError(transport: Transport, request: TransportRequest, reply: TransportReply, kind: SalesforceAuth['kind']): Error {
  let error: SalesforceErrorDetail | undefined;
  try {
    const parsed = v.safeParse(OAuthErrorReplySchema, JSON.parse(reply.text));
    if (parsed.success) error = { errorCode: parsed.output.error, message: parsed.output.error_description ?? parsed.output.error, fields: [] };
  } catch {
    // Not OAuth's JSON: show the body.
  }
  const detail = snippet(error === undefined ? reply.text : `${error.errorCode}: ${error.message}`, transport.redactor.redact);
  const what = kind === 'client-credentials' ? 'SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET' : kind === 'password' ? 'the username, password and client' : 'the refresh token and client';
  return new SalesforceApiError(
    request.name ?? 'POST /services/oauth2/token',
    'auth',
    transport.redactor.redact(`Logging in to Salesforce failed with HTTP ${reply.status}${detail === '' ? '' : ` (${detail})`}: check ${what}, and SALESFORCE_LOGIN_URL.`),
    { status: reply.status, errors: error === undefined ? [] : [transport.redactor.redactValue(error)] },
  );
}
