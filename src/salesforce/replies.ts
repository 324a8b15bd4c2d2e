/**
 * The shapes of the Salesforce REST replies the client reads, as the REST API
 * Developer Guide documents them. Loose objects: what is not checked passes
 * through (records keep every field).
 */
import * as v from 'valibot';

/** A Salesforce record Id: 15 or 18 letters and digits. */
export const RECORD_ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const RecordIdSchema = v.pipe(v.string(), v.regex(RECORD_ID_PATTERN, 'must be a Salesforce record Id'));

/** `POST /services/oauth2/token`: the access token (the rest is not used). */
export const TokenReplySchema = v.looseObject({
  access_token: v.pipe(v.string(), v.nonEmpty()),
  instance_url: v.optional(v.string()),
  token_type: v.optional(v.string()),
});

/** The OAuth error body: `{ error, error_description }`. */
export const OAuthErrorReplySchema = v.looseObject({
  error: v.string(),
  error_description: v.optional(v.string()),
});

/** One error; the REST API says `errorCode`, sObject Collections say `statusCode`. */
const ErrorSchema = v.pipe(
  v.looseObject({
    message: v.string(),
    errorCode: v.optional(v.string()),
    statusCode: v.optional(v.string()),
    fields: v.optional(v.array(v.string())),
  }),
  v.transform((error) => ({ errorCode: error.errorCode ?? error.statusCode ?? 'UNKNOWN_ERROR', message: error.message, fields: error.fields ?? [] })),
);

/** An error reply: `[{ message, errorCode, fields }]`. */
export const ErrorsReplySchema = v.array(ErrorSchema);

/** `POST /sobjects/{Object}`: `{ id, success, errors }`. */
export const CreateReplySchema = v.looseObject({ id: RecordIdSchema });

/** `PATCH /sobjects/{Object}/{Field}/{value}` (API 46+): `{ id, created }`. */
export const UpsertReplySchema = v.looseObject({ id: RecordIdSchema, created: v.boolean() });

/** One SaveResult / UpsertResult of sObject Collections. */
const CollectionResultSchema = v.looseObject({
  id: v.nullish(RecordIdSchema),
  success: v.boolean(),
  created: v.optional(v.boolean()),
  errors: v.optional(v.array(ErrorSchema), []),
});

/** sObject Collections create / update / upsert: one result per record, in order. */
export const CollectionReplySchema = v.array(CollectionResultSchema);

/** A record: `attributes` plus its fields. */
const RecordSchema = v.looseObject({ Id: v.optional(RecordIdSchema) });

/** `GET /query?q=` and its `nextRecordsUrl` pages. */
export const QueryReplySchema = v.looseObject({
  totalSize: v.number(),
  done: v.boolean(),
  nextRecordsUrl: v.optional(v.pipe(v.string(), v.startsWith('/services/data/'))),
  records: v.array(RecordSchema),
});

/** `GET /sobjects/{Object}/updated?start&end`. */
export const UpdatedReplySchema = v.looseObject({
  ids: v.array(RecordIdSchema),
  latestDateCovered: v.string(),
});

/** `GET /sobjects/{Object}/deleted?start&end`. */
export const DeletedReplySchema = v.looseObject({
  deletedRecords: v.array(v.looseObject({ id: RecordIdSchema, deletedDate: v.string() })),
  earliestDateAvailable: v.string(),
  latestDateCovered: v.string(),
});

/** `GET /sobjects/{Object}/describe`: the fields and what may be written to them. */
export const DescribeReplySchema = v.looseObject({
  name: v.string(),
  fields: v.array(
    v.looseObject({
      name: v.string(),
      type: v.string(),
      createable: v.boolean(),
      updateable: v.boolean(),
    }),
  ),
});

/** A record as a query returns it: `attributes` and its field values. */
export type SalesforceRecord = Readonly<Record<string, unknown>>;
/** One outcome of an sObject Collections write. */
export type CollectionResult = v.InferOutput<typeof CollectionResultSchema>;
/** What `describe` tells about an object. */
export type SObjectDescribe = v.InferOutput<typeof DescribeReplySchema>;
