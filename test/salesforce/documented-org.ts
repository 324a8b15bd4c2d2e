/**
 * A Salesforce org on 127.0.0.1 that answers in the shapes the REST API
 * Developer Guide documents, for the calls hc-drizzle/salesforce makes:
 * the token endpoint, describe, create (201 `{id, success, errors}`),
 * update (204), upsert by external id (201/200 `{id, success, errors,
 * created}`), sObject Collections (SaveResult/UpsertResult lists with
 * `statusCode` errors), query pages with `nextRecordsUrl`, `/deleted`, and
 * `[{ message, errorCode, fields }]` errors. It keeps its records in a Map
 * and understands exactly the SOQL the client sends; every request is
 * recorded for the tests to read.
 */
import type { ServerResponse } from 'node:http';
import { json, startTestServer, type TestServer } from '../support/http-server.ts';

export type OrgRecord = Record<string, unknown>;

export interface DocumentedOrg extends TestServer {
  /** Records by object, then by Id. */
  readonly records: Map<string, Map<string, OrgRecord>>;
  /** Deleted records by object: Id and deletedDate. */
  readonly deletions: Map<string, { id: string; deletedDate: string }[]>;
  /** Fields of an object and whether they may be created / updated. */
  readonly fields: Map<string, { name: string; type: string; createable: boolean; updateable: boolean }[]>;
  /** Refuse the next writes of records whose field has this value: `[field, value, error]`. */
  refuse(field: string, value: unknown, error: { errorCode: string; message: string; fields: string[] }): void;
  /** Set the query page size (Salesforce's default is 2,000). */
  setPageSize(size: number): void;
  /** Data requests (not logins), `METHOD path`. */
  calls(): string[];
}

export const CLIENT = { clientId: 'documented-key', clientSecret: 'documented-secret-77a1' };
const VERSION = '/services/data/v60.0';

let counter = 0;
/** A fresh 18-character Id with the object's key prefix. */
export function newId(prefix: string): string {
  return `${prefix}xx${String(++counter).padStart(10, '0')}AAA`.slice(0, 18);
}

const sfDateTime = (date: Date) => date.toISOString().replace('Z', '+0000');

export async function startDocumentedOrg(objects: Record<string, { prefix: string; fields: { name: string; type: string; createable?: boolean; updateable?: boolean }[] }>): Promise<DocumentedOrg> {
  const records = new Map<string, Map<string, OrgRecord>>();
  const deletions = new Map<string, { id: string; deletedDate: string }[]>();
  const fields = new Map<string, { name: string; type: string; createable: boolean; updateable: boolean }[]>();
  for (const [name, object] of Object.entries(objects)) {
    records.set(name, new Map());
    deletions.set(name, []);
    fields.set(
      name,
      [
        { name: 'Id', type: 'id', createable: false, updateable: false },
        { name: 'IsDeleted', type: 'boolean', createable: false, updateable: false },
        { name: 'SystemModstamp', type: 'datetime', createable: false, updateable: false },
        { name: 'CreatedDate', type: 'datetime', createable: false, updateable: false },
        ...object.fields.map((field) => ({ createable: true, updateable: true, ...field })),
      ],
    );
  }
  const refusals: { field: string; value: unknown; error: { errorCode: string; message: string; fields: string[] } }[] = [];
  const pages = new Map<string, { rest: OrgRecord[]; totalSize: number }>();
  let pageSize = 2000;

  const refusal = (values: OrgRecord) => refusals.find((entry) => values[entry.field] === entry.value)?.error;
  const stamp = (record: OrgRecord) => ({ ...record, SystemModstamp: sfDateTime(new Date()), IsDeleted: false });
  const find = (object: string, field: string, value: string) => [...records.get(object)!.values()].find((record) => String(record[field]) === value);

  /** Write one record the way Salesforce does; a refusal or the result. */
  function save(object: string, body: OrgRecord, target: { id?: string; externalField?: string; externalValue?: string }) {
    const { attributes: _attributes, ...values } = body;
    const refused = refusal(values);
    if (refused) return { refused };
    const store = records.get(object)!;
    let id = target.id;
    if (target.externalField !== undefined) id = find(object, target.externalField, target.externalValue!)?.['Id'] as string | undefined;
    if (id !== undefined && !store.has(id)) return { refused: { errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] } };
    const created = id === undefined;
    id ??= newId(objects[object]!.prefix);
    const external = target.externalField === undefined ? {} : { [target.externalField]: target.externalValue };
    store.set(id, stamp({ ...(store.get(id) ?? { CreatedDate: sfDateTime(new Date()) }), ...values, ...external, Id: id }));
    return { id, created };
  }

  function query(soql: string): OrgRecord[] {
    const match = /^SELECT (.+) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (\w+), Id)?$/.exec(soql);
    if (match === null) throw new Error(`The documented org does not read this SOQL: ${soql}`);
    const [, list, object, where] = match;
    const selected = list!.split(', ');
    let found = [...records.get(object!)!.values()];
    if (where !== undefined) {
      const byId = /^Id = '(\w+)'$/.exec(where);
      const since = /^(\w+) >= (\S+)$/.exec(where);
      if (byId) found = found.filter((record) => record['Id'] === byId[1]);
      else if (since) found = found.filter((record) => Date.parse(String(record[since[1]!]).replace('+0000', 'Z')) >= Date.parse(since[2]!));
      else throw new Error(`The documented org does not read this WHERE: ${where}`);
    }
    return found.map((record) => ({
      attributes: { type: object, url: `${VERSION}/sobjects/${object}/${record['Id']}` },
      ...Object.fromEntries(selected.map((name) => [name, record[name] ?? null])),
    }));
  }

  function page(response: ServerResponse, all: OrgRecord[], totalSize: number) {
    const rest = all.slice(pageSize);
    let nextRecordsUrl: string | undefined;
    if (rest.length > 0) {
      nextRecordsUrl = `${VERSION}/query/01gxx0000000${pages.size + 1}-${pageSize}`;
      pages.set(nextRecordsUrl, { rest, totalSize });
    }
    const usage = { 'Sforce-Limit-Info': `api-usage=${server.requests.length}/15000` };
    json(response, 200, { totalSize, done: nextRecordsUrl === undefined, ...(nextRecordsUrl === undefined ? {} : { nextRecordsUrl }), records: all.slice(0, pageSize) }, usage);
  }

  const server: TestServer = await startTestServer((request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://org');
    const path = url.pathname;
    if (path === '/services/oauth2/token') {
      const form = new URLSearchParams(body);
      if (form.get('client_id') !== CLIENT.clientId || form.get('client_secret') !== CLIENT.clientSecret) {
        return json(response, 400, { error: 'invalid_client', error_description: 'invalid client credentials' });
      }
      return json(response, 200, { access_token: '00Dxx0000001gPL!documented', instance_url: 'https://elsewhere.example.com', id: 'https://x/id/00D/005', token_type: 'Bearer' });
    }
    if (request.headers.authorization !== 'Bearer 00Dxx0000001gPL!documented') return json(response, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const parts = path.replace(VERSION, '').split('/').filter(Boolean).map(decodeURIComponent);
    const headers = { 'Sforce-Limit-Info': `api-usage=${server.requests.length}/15000` };
    const payload = body === '' ? {} : (JSON.parse(body) as OrgRecord);
    const fail = (status: number, error: { errorCode: string; message: string; fields: string[] }) => json(response, status, [error], headers);

    if (parts[0] === 'query' && parts.length === 1) {
      const all = query(url.searchParams.get('q') ?? '');
      return page(response, all, all.length);
    }
    if (parts[0] === 'query' && parts.length === 2) {
      const { rest, totalSize } = pages.get(path)!;
      pages.delete(path);
      return page(response, rest, totalSize);
    }
    if (parts[0] === 'composite' && parts[1] === 'sobjects') {
      const { records: batch } = payload as { records: OrgRecord[] };
      const results = batch.map((record) => {
        const object = (record['attributes'] as { type: string }).type;
        const target = parts.length === 4 ? { externalField: parts[3]!, externalValue: String(record[parts[3]!]) } : request.method === 'PATCH' ? { id: String(record['Id']) } : {};
        const { Id: _id, ...values } = record;
        const outcome = save(object, values, target);
        if (outcome.refused) return { success: false, errors: [{ statusCode: outcome.refused.errorCode, message: outcome.refused.message, fields: outcome.refused.fields }] };
        return { id: outcome.id, success: true, errors: [], ...(parts.length === 4 ? { created: outcome.created } : {}) };
      });
      return json(response, 200, results, headers);
    }
    if (parts[0] !== 'sobjects' || !records.has(parts[1] ?? '')) return fail(404, { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] });
    const object = parts[1]!;
    if (parts[2] === 'describe') return json(response, 200, { name: object, fields: fields.get(object) }, headers);
    if (parts[2] === 'deleted') {
      const start = Date.parse(url.searchParams.get('start')!);
      return json(response, 200, {
        deletedRecords: deletions.get(object)!.filter((entry) => Date.parse(entry.deletedDate.replace('+0000', 'Z')) >= start),
        earliestDateAvailable: sfDateTime(new Date(Date.now() - 30 * 86_400_000)),
        latestDateCovered: sfDateTime(new Date()),
      });
    }
    const outcome =
      request.method === 'POST' && parts.length === 2
        ? save(object, payload, {})
        : request.method === 'PATCH' && parts.length === 3
          ? save(object, payload, { id: parts[2]! })
          : request.method === 'PATCH' && parts.length === 4
            ? save(object, payload, { externalField: parts[2]!, externalValue: parts[3]! })
            : undefined;
    if (outcome === undefined) return fail(404, { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] });
    if (outcome.refused) return fail(400, outcome.refused);
    if (parts.length === 3) {
      response.writeHead(204, headers).end();
      return;
    }
    return json(response, outcome.created ? 201 : 200, { id: outcome.id, success: true, errors: [], ...(parts.length === 4 ? { created: outcome.created } : {}) }, headers);
  });

  return Object.assign(server, {
    records,
    deletions,
    fields,
    refuse: (field: string, value: unknown, error: { errorCode: string; message: string; fields: string[] }) => void refusals.push({ field, value, error }),
    setPageSize: (size: number) => void (pageSize = size),
    calls: () => server.requests.filter((request) => request.path !== '/services/oauth2/token').map((request) => `${request.method} ${request.path.split('?')[0]!.replace(VERSION, '')}`),
  });
}
