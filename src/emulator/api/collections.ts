/**
 * sObject Collections (`/composite/sobjects`), as the REST API Developer Guide
 * documents them: create (POST), update (PATCH), upsert by an External ID
 * (PATCH `/{Object}/{Field}`, API 46.0 and later), delete (DELETE `?ids=`)
 * and retrieve (GET `/{Object}?ids=&fields=`, or POST with `{ ids, fields }`).
 * At most 200 records a request (`EXCEEDED_ID_LIMIT`), processed in order.
 * A well-formed request answers 200 with one result per record, in order:
 * `{ id, success: true, errors: [] }` (upserts add `created`), or
 * `{ success: false, errors: [{ statusCode, message, fields }] }`. Without
 * `allOrNone` each record stands on its own; with it, one refused record
 * rolls back the request, and the records that were valid answer
 * `ALL_OR_NONE_OPERATION_ROLLED_BACK`. This is what jsforce's array calls
 * and hc-drizzle/salesforce's `pushRecords` send.
 */
import { canonicalId } from '../ids.ts';
import { SalesforceApiError, type SalesforceError } from '../org/errors.ts';
import type { Org } from '../org/org.ts';
import type { OrgObject } from '../org/objects.ts';
import type { OrgWrite, WriteOutcome } from '../org/writes.ts';
import { json, jsonBody, type ApiReply, type ApiRequest } from './http.ts';

/** sObject Collections take at most 200 records (ids) a write request. */
const MAX_RECORDS = 200;
/** A retrieve takes at most 2,000 ids. */
const MAX_RETRIEVE_IDS = 2000;

const badRequest = (errorCode: string, message: string): never => {
  throw new SalesforceApiError(400, [{ errorCode, message, fields: [] }]);
};

/** A record's refusal as sObject Collections word it: `statusCode`, not `errorCode`. */
const collectionErrors = (errors: readonly SalesforceError[]) => errors.map(({ errorCode, message, fields }) => ({ statusCode: errorCode, message, fields }));

/** A refusal of one record before it reaches the org. */
type Early = { readonly early: SalesforceError };
const early = (errorCode: string, message: string, fields: readonly string[] = []): Early => ({ early: { errorCode, message, fields } });

/** The `{ allOrNone, records }` body of a write, checked. */
function writeBody(request: ApiRequest): { allOrNone: boolean; records: Record<string, unknown>[] } {
  const body = jsonBody(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object with records.');
  const { allOrNone = false, records } = body as { allOrNone?: unknown; records?: unknown };
  if (typeof allOrNone !== 'boolean') return badRequest('JSON_PARSER_ERROR', `allOrNone must be true or false, not ${JSON.stringify(allOrNone)}.`);
  if (!Array.isArray(records)) return badRequest('JSON_PARSER_ERROR', 'The request body needs records: a list of sObjects.');
  if (records.length > MAX_RECORDS) return badRequest('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  records.forEach((record, i) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) badRequest('JSON_PARSER_ERROR', `Record ${i + 1} is not a JSON object of field values.`);
    const type = (record as { attributes?: { type?: unknown } }).attributes?.type;
    if (typeof type !== 'string' || type === '') badRequest('INVALID_TYPE', `Record ${i + 1} has no attributes.type: every record must name its sObject type.`);
  });
  return { allOrNone, records: records as Record<string, unknown>[] };
}

/** A record's type and its fields without `attributes`. */
function split(record: Record<string, unknown>): { type: string; fields: Record<string, unknown> } {
  const { attributes, ...fields } = record as { attributes: { type: string } } & Record<string, unknown>;
  return { type: attributes.type, fields };
}

/** Remove a key whatever its case (`id` / `Id`); returns its value. */
function take(fields: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(fields).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (key === undefined) return undefined;
  const value = fields[key];
  delete fields[key];
  return value;
}

/** Run the writes that passed the early checks in one org call, and answer every record in order. */
async function answer(org: Org, planned: readonly (OrgWrite | Early)[], allOrNone: boolean, upsert: boolean): Promise<ApiReply> {
  const writes = planned.filter((item): item is OrgWrite => !('early' in item));
  // An early refusal of an all-or-none request sends nothing to the org: the rest is rolled back.
  const earlyFailure = planned.some((item) => 'early' in item);
  const outcomes: WriteOutcome[] = allOrNone && earlyFailure ? [] : await org.write(writes, { allOrNone });
  let next = 0;
  const results = planned.map((item) => {
    if ('early' in item) return { success: false, errors: collectionErrors([item.early]) };
    const outcome: WriteOutcome | undefined = outcomes[next++];
    if (outcome === undefined) {
      return { success: false, errors: collectionErrors([{ errorCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }]) };
    }
    if (!outcome.ok) return { success: false, errors: collectionErrors(outcome.refusal.errors) };
    return { id: outcome.id, success: true, errors: [], ...(upsert ? { created: outcome.created } : {}) };
  });
  return json(200, results);
}

/** The object an Id's key prefix names. */
function objectOfId(org: Org, id: string): OrgObject | undefined {
  const canonical = canonicalId(id);
  return canonical === undefined ? undefined : [...org.objects.values()].find((object) => object.keyPrefix === canonical.slice(0, 3));
}

/**
 * Answer `/composite/sobjects[/...]` (`parts` after `composite/sobjects`),
 * or undefined for a method the resource does not have.
 */
export async function collectionsReply(org: Org, request: ApiRequest, version: string, parts: readonly string[]): Promise<ApiReply | undefined> {
  const { method } = request;
  if (parts.length === 0) {
    if (method === 'POST') {
      const { allOrNone, records } = writeBody(request);
      const planned = records.map((record): OrgWrite | Early => {
        const { type, fields } = split(record);
        if (take(fields, 'Id') !== undefined) return early('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
        return { op: 'create', object: type, fields };
      });
      return answer(org, planned, allOrNone, false);
    }
    if (method === 'PATCH') {
      const { allOrNone, records } = writeBody(request);
      const planned = records.map((record): OrgWrite | Early => {
        const { type, fields } = split(record);
        const id = take(fields, 'Id');
        if (typeof id !== 'string' || id === '') return early('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
        return { op: 'update', object: type, id, fields };
      });
      return answer(org, planned, allOrNone, false);
    }
    if (method === 'DELETE') {
      const ids = (request.url.searchParams.get('ids') ?? '').split(',').map((id) => id.trim()).filter(Boolean);
      if (ids.length === 0) return badRequest('MISSING_ARGUMENT', 'ids: the Ids of the records to delete, comma-separated, are required.');
      if (ids.length > MAX_RECORDS) return badRequest('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
      const allOrNone = request.url.searchParams.get('allOrNone') === 'true';
      const planned = ids.map((id): OrgWrite | Early => {
        const object = objectOfId(org, id);
        if (canonicalId(id) === undefined) return early('MALFORMED_ID', `malformed id ${id}`);
        if (object === undefined) return early('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${id}`);
        return { op: 'delete', object: object.name, id };
      });
      const reply = await answer(org, planned, allOrNone, false);
      // Delete results name the Id asked for, refused or not.
      return json(200, (reply.body as Record<string, unknown>[]).map((result, i) => ({ id: result['id'] ?? canonicalId(ids[i]!) ?? ids[i], ...result })));
    }
    return undefined;
  }
  const object = org.object(parts[0]!);
  if (object === undefined) throw new SalesforceApiError(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }]);
  if (parts.length === 1 && (method === 'GET' || method === 'POST')) {
    // Retrieve: GET ?ids=&fields=, or POST { ids, fields } for long lists.
    let ids: unknown;
    let fields: unknown;
    if (method === 'GET') {
      ids = request.url.searchParams.get('ids')?.split(',').map((id) => id.trim()).filter(Boolean);
      fields = request.url.searchParams.get('fields')?.split(',').map((name) => name.trim()).filter(Boolean);
    } else {
      ({ ids, fields } = (jsonBody(request) ?? {}) as { ids?: unknown; fields?: unknown });
    }
    const isNames = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every((one) => typeof one === 'string');
    if (!isNames(ids)) return badRequest('MISSING_ARGUMENT', 'ids: the Ids of the records to retrieve are required.');
    if (!isNames(fields)) return badRequest('MISSING_ARGUMENT', 'fields: the fields to retrieve are required.');
    if (ids.length > MAX_RETRIEVE_IDS) return badRequest('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RETRIEVE_IDS} records into this call`);
    const records = [];
    for (const id of ids) {
      try {
        const record = await org.get(object.name, id, fields);
        records.push({ attributes: { type: object.name, url: `/services/data/v${version}/sobjects/${object.name}/${canonicalId(id)}` }, ...record });
      } catch (error) {
        // A record that does not exist (or is deleted) is null in its place; a bad field fails the request.
        if (error instanceof SalesforceApiError && error.status === 404) records.push(null);
        else throw error;
      }
    }
    return json(200, records);
  }
  if (parts.length === 2 && method === 'PATCH') {
    if (Number(version) < 46) return undefined;
    const field = object.field(parts[1]!);
    if (field === undefined || !(field.externalId || field.type === 'id')) {
      throw new SalesforceApiError(404, [{ errorCode: 'NOT_FOUND', message: `Provided external ID field does not exist or is not accessible: ${parts[1]}`, fields: [] }]);
    }
    const { allOrNone, records } = writeBody(request);
    const planned = records.map((record): OrgWrite | Early => {
      const { type, fields } = split(record);
      if (type.toLowerCase() !== object.name.toLowerCase()) return early('INVALID_TYPE', `The record is a ${type}, but this upsert is of ${object.name} records.`);
      const value = take(fields, field.name);
      if (value === undefined || value === null || value === '') return early('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);
      return { op: 'upsert', object: object.name, field: field.name, value: String(value), fields };
    });
    return answer(org, planned, allOrNone, true);
  }
  return undefined;
}
