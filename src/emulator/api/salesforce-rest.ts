/**
 * The Salesforce REST API subset the emulator serves (design.md "Wave 2 /
 * The emulator"), JSON only, with Salesforce's status codes and
 * `[{ message, errorCode, fields }]` errors, and the OAuth token endpoint
 * (client_credentials, password, refresh_token) that jsforce 3 and
 * hc-drizzle's own client log in with.
 */
import { randomBytes } from 'node:crypto';
import { canonicalId } from '../ids.ts';
import { SalesforceApiError, type SalesforceError } from '../org/errors.ts';
import type { Org } from '../org/org.ts';
import type { OrgObject } from '../org/objects.ts';
import { parseDateTime, type RecordFields } from '../org/values.ts';
import { collectionsReply } from './collections.ts';
import { describeGlobalObject, describeObject } from './describe.ts';
import { json, jsonBody, type ApiReply, type ApiRequest } from './http.ts';

/** The credentials the emulated org accepts. */
export interface EmulatorCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
  /** A refresh token as if obtained through the web flow: good for `grant_type=refresh_token`. */
  readonly refreshToken: string;
  /** An access token that is always valid (for clients given a token directly). */
  readonly accessToken: string;
}

/** The emulator's default credentials: anything on 127.0.0.1 may use them. */
export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  clientId: 'hc-drizzle-emulator',
  clientSecret: 'hc-drizzle-emulator-secret',
  username: 'integration@hc-drizzle.emulator',
  password: 'emulator',
  refreshToken: 'hc-drizzle-emulator-refresh-token',
  accessToken: 'hc-drizzle-emulator-access-token',
};

/** API versions the emulator answers: Salesforce's from Summer '11 (20.0) to Summer '26 (67.0). */
const VERSIONS = Array.from({ length: 48 }, (_, i) => `${20 + i}.0`);
const QUERY_BATCH = 2000;

const errorReply = (status: number, errors: readonly SalesforceError[]) => json(status, errors.map(({ message, errorCode, fields }) => ({ message, errorCode, fields })));
const notFound = () => errorReply(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }]);

/** The Salesforce REST API of one org. */
export class SalesforceRest {
  readonly #org: Org;
  readonly #credentials: EmulatorCredentials;
  /** Issued tokens, with the session epoch they were issued in (see `faults.expireSessions`). */
  readonly #tokens = new Map<string, number>();
  readonly #cursors = new Map<string, { object: OrgObject; records: RecordFields[]; ids: string[]; totalSize: number; version: string }>();
  #cursorCount = 0;
  /** The base URL clients reach the org at (set once the server listens). */
  instanceUrl = '';

  constructor(org: Org, credentials: EmulatorCredentials) {
    this.#org = org;
    this.#credentials = credentials;
  }

  /** Answer `request` if it is a Salesforce REST or OAuth request. */
  handle = async (request: ApiRequest): Promise<ApiReply | undefined> => {
    const path = request.url.pathname.replace(/\/+$/, '') || '/';
    if (!(path.startsWith('/services/') || path.startsWith('/id/'))) return undefined;
    await this.#org.faults.delay();
    if (this.#org.faults.isUnavailable) {
      return errorReply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'The Salesforce org is unavailable (an emulator fault).', fields: [] }]);
    }
    try {
      if (path === '/services/oauth2/token') return request.method === 'POST' ? this.#token(request) : notFound();
      if (path === '/services/data' && request.method === 'GET') return json(200, VERSIONS.map((version) => ({ label: `v${version}`, url: `/services/data/v${version}`, version })));
      if (!this.#authorized(request)) return errorReply(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid', fields: [] }]);
      if (path.startsWith('/id/')) return this.#identity();
      const match = /^\/services\/data\/v(\d+\.\d)(?:\/(.*))?$/.exec(path);
      if (match === null || !VERSIONS.includes(match[1]!)) return notFound();
      return await this.#data(request, match[1]!, (match[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent));
    } catch (error) {
      if (error instanceof SalesforceApiError) return errorReply(error.status, error.errors);
      throw error;
    }
  };

  #authorized(request: ApiRequest): boolean {
    const header = request.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (!(scheme === 'Bearer' || scheme === 'OAuth') || token === undefined) return false;
    return token === this.#credentials.accessToken || this.#tokens.get(token) === this.#org.faults.sessionEpoch;
  }

  #token(request: ApiRequest): ApiReply {
    const form = new URLSearchParams(request.body);
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
    const [basicId, basicSecret] = basic === null ? [] : Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    const clientId = form.get('client_id') ?? basicId;
    const clientSecret = form.get('client_secret') ?? basicSecret;
    const oauthError = (error: string, description: string) => json(400, { error, error_description: description });
    const credentials = this.#credentials;
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials' && grant !== 'password' && grant !== 'refresh_token') {
      return oauthError('unsupported_grant_type', 'grant type not supported');
    }
    if (clientId !== credentials.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
    if (grant !== 'refresh_token' && clientSecret !== credentials.clientSecret) return oauthError('invalid_client', 'invalid client credentials');
    if (grant === 'password') {
      const password = form.get('password') ?? '';
      // Salesforce takes the password with the security token appended.
      if (form.get('username') !== credentials.username || !password.startsWith(credentials.password)) return oauthError('invalid_grant', 'authentication failure');
    }
    if (grant === 'refresh_token' && form.get('refresh_token') !== credentials.refreshToken) return oauthError('invalid_grant', 'expired access/refresh token');
    const accessToken = `${this.#org.organizationId.slice(0, 15)}!${randomBytes(24).toString('base64url')}`;
    this.#tokens.set(accessToken, this.#org.faults.sessionEpoch);
    return json(200, {
      access_token: accessToken,
      instance_url: this.instanceUrl,
      id: `${this.instanceUrl}/id/${this.#org.organizationId}/${this.#org.userId}`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: randomBytes(32).toString('base64'),
      scope: 'api',
    });
  }

  #identity(): ApiReply {
    const org = this.#org;
    return json(200, {
      id: `${this.instanceUrl}/id/${org.organizationId}/${org.userId}`,
      user_id: org.userId,
      organization_id: org.organizationId,
      username: this.#credentials.username,
      display_name: 'Heroku Connect',
      active: true,
      user_type: 'STANDARD',
      urls: {
        rest: `${this.instanceUrl}/services/data/v{version}/`,
        sobjects: `${this.instanceUrl}/services/data/v{version}/sobjects/`,
        query: `${this.instanceUrl}/services/data/v{version}/query/`,
      },
    });
  }

  #object(name: string): OrgObject {
    const object = this.#org.object(name);
    if (object === undefined) throw new SalesforceApiError(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }]);
    return object;
  }

  /** A record as the REST API returns it; `id` names it when its fields leave Id out. */
  #record(version: string, object: OrgObject, record: RecordFields, id: string) {
    return { attributes: { type: object.name, url: `/services/data/v${version}/sobjects/${object.name}/${record['Id'] ?? id}` }, ...record };
  }

  #body(request: ApiRequest): Record<string, unknown> {
    const body = jsonBody(request);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new SalesforceApiError(400, [{ errorCode: 'JSON_PARSER_ERROR', message: 'The request body is not a JSON object of field values.', fields: [] }]);
    }
    const { attributes: _attributes, ...fields } = body as Record<string, unknown>;
    return fields;
  }

  async #data(request: ApiRequest, version: string, parts: string[]): Promise<ApiReply> {
    const { method } = request;
    const base = `/services/data/v${version}`;
    const [resource, ...rest] = parts;
    if (resource === undefined) {
      return method === 'GET' ? json(200, { sobjects: `${base}/sobjects`, query: `${base}/query`, queryAll: `${base}/queryAll`, composite: `${base}/composite` }) : notFound();
    }
    if (resource === 'query' || resource === 'queryAll') {
      if (method !== 'GET') return notFound();
      if (rest.length === 1) return this.#queryMore(rest[0]!);
      const soql = request.url.searchParams.get('q');
      if (soql === null || rest.length > 0) return notFound();
      const batch = Number(/batchSize=(\d+)/.exec(String(request.headers['sforce-query-options'] ?? ''))?.[1] ?? QUERY_BATCH);
      const { totalSize, records, ids, object } = await this.#org.query(soql, { all: resource === 'queryAll' });
      return this.#queryPage(version, object, records, ids, totalSize, Math.min(Math.max(batch, 200), QUERY_BATCH));
    }
    if (resource === 'composite') {
      if (rest[0] !== 'sobjects') return notFound();
      return (await collectionsReply(this.#org, request, version, rest.slice(1))) ?? notFound();
    }
    if (resource !== 'sobjects') return notFound();
    if (rest.length === 0) {
      if (method !== 'GET') return notFound();
      return json(200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects: [...this.#org.objects.values()].map((object) => describeGlobalObject(version, object)) });
    }
    const object = this.#object(rest[0]!);
    const [, second, third] = rest;
    if (rest.length === 1) {
      if (method === 'GET') return json(200, { objectDescribe: describeGlobalObject(version, object), recentItems: [] });
      if (method !== 'POST') return notFound();
      const [outcome] = await this.#org.write([{ op: 'create', object: object.name, fields: this.#body(request) }]);
      if (!outcome!.ok) return errorReply(outcome!.refusal.status, outcome!.refusal.errors);
      return json(201, { id: outcome!.id, success: true, errors: [] });
    }
    if (rest.length === 2 && second === 'describe') return method === 'GET' ? json(200, describeObject(version, object)) : notFound();
    if (rest.length === 2 && (second === 'updated' || second === 'deleted')) {
      if (method !== 'GET') return notFound();
      const [start, end] = ['start', 'end'].map((name) => {
        const text = request.url.searchParams.get(name);
        const date = text === null ? undefined : parseDateTime(text);
        if (date === undefined) {
          throw new SalesforceApiError(400, [{ errorCode: 'INVALID_DATE_FORMAT', message: `${name}: ${text ?? 'missing'}: the date must be in ISO 8601 format`, fields: [] }]);
        }
        return date;
      }) as [Date, Date];
      return json(200, second === 'updated' ? await this.#org.updated(object.name, start, end) : await this.#org.deleted(object.name, start, end));
    }
    const fieldsParam = request.url.searchParams.get('fields');
    const fields = fieldsParam === null ? undefined : fieldsParam.split(',').map((name) => name.trim()).filter(Boolean);
    if (rest.length === 2) {
      const id = second!;
      if (method === 'GET') return json(200, this.#record(version, object, await this.#org.get(object.name, id, fields), canonicalId(id) ?? id));
      const write = method === 'PATCH' ? ({ op: 'update', object: object.name, id, fields: this.#body(request) } as const) : method === 'DELETE' ? ({ op: 'delete', object: object.name, id } as const) : undefined;
      if (write === undefined) return notFound();
      const [outcome] = await this.#org.write([write]);
      return outcome!.ok ? json(204) : errorReply(outcome!.refusal.status, outcome!.refusal.errors);
    }
    if (rest.length === 3) {
      const field = second!;
      const value = third!;
      if (method === 'GET') {
        const { Id: id, ...record } = await this.#org.getByExternalId(object.name, field, value, [...(fields ?? object.fields.map((one) => one.name)), 'Id']);
        return json(200, this.#record(version, object, fields === undefined || fields.some((name) => name.toLowerCase() === 'id') ? { Id: id!, ...record } : record, String(id)));
      }
      if (method === 'DELETE') {
        const target = await this.#org.getByExternalId(object.name, field, value, ['Id']);
        const [outcome] = await this.#org.write([{ op: 'delete', object: object.name, id: String(target['Id']) }]);
        return outcome!.ok ? json(204) : errorReply(outcome!.refusal.status, outcome!.refusal.errors);
      }
      if (method !== 'PATCH' && method !== 'POST') return notFound();
      const [outcome] = await this.#org.write([{ op: 'upsert', object: object.name, field, value, fields: this.#body(request) }]);
      if (!outcome!.ok) return errorReply(outcome!.refusal.status, outcome!.refusal.errors);
      // API 46.0 and later always answer with a body; before, an update was 204.
      if (Number(version) < 46 && !outcome!.created) return json(204);
      return json(outcome!.created ? 201 : 200, { id: outcome!.id, success: true, errors: [], created: outcome!.created });
    }
    return notFound();
  }

  #queryPage(version: string, object: OrgObject, records: RecordFields[], ids: string[], totalSize: number, batch: number): ApiReply {
    const page = records.slice(0, batch);
    const left = records.slice(batch);
    let nextRecordsUrl: string | undefined;
    if (left.length > 0) {
      const locator = `01g5E${String(++this.#cursorCount).padStart(10, '0')}-${batch}`;
      this.#cursors.set(locator, { object, records: left, ids: ids.slice(batch), totalSize, version });
      nextRecordsUrl = `/services/data/v${version}/query/${locator}`;
    }
    return json(200, {
      totalSize,
      done: nextRecordsUrl === undefined,
      ...(nextRecordsUrl === undefined ? {} : { nextRecordsUrl }),
      records: page.map((record, i) => ({ attributes: { type: object.name, url: `/services/data/v${version}/sobjects/${object.name}/${ids[i]}` }, ...record })),
    });
  }

  #queryMore(locator: string): ApiReply {
    const cursor = this.#cursors.get(locator);
    if (cursor === undefined) return errorReply(400, [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator', fields: [] }]);
    this.#cursors.delete(locator);
    const batch = Number(locator.split('-')[1]);
    return this.#queryPage(cursor.version, cursor.object, cursor.records, cursor.ids, cursor.totalSize, batch);
  }
}

