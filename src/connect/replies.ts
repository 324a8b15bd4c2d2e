/**
 * The shapes of the Heroku Connect API replies we read (heroku-connect.md
 * §5.2–5.3). Loose objects: only the fields hc-drizzle uses are required,
 * everything else passes through untouched.
 */
import * as v from 'valibot';
import { isConnectIdText } from './connect-id.ts';

/**
 * A connection or mapping id. The live API sends uuid strings; older and
 * recorded replies (the Heroku CLI plugin's tests) send numbers
 * (heroku-connect.md §5.3). Both are accepted and kept as text, an opaque
 * value for URLs; anything else (empty, fractional, negative, another type)
 * is malformed.
 */
export const ConnectIdSchema = v.pipe(
  v.custom<string | number>(
    // An id goes into URL paths: `.` or `..` would address another endpoint even encoded.
    (value) => (typeof value === 'string' && isConnectIdText(value)) || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0),
    'must be a string or a whole number',
  ),
  v.transform(String),
);

/** One mapping inside a deep connection object. */
export const MappingReplySchema = v.looseObject({
  id: v.optional(ConnectIdSchema),
  object_name: v.string(),
  state: v.string(),
});

/** A connection object (`GET /connections/{id}`, and each list result). */
export const ConnectionReplySchema = v.looseObject({
  id: ConnectIdSchema,
  state: v.string(),
  name: v.nullish(v.string()),
  app_name: v.nullish(v.string()),
  schema_name: v.nullish(v.string()),
  db_key: v.nullish(v.string()),
  features: v.nullish(v.looseObject({ poll_db_no_merge: v.nullish(v.boolean()) })),
  mappings: v.nullish(v.array(MappingReplySchema)),
});

/** `GET /connections?app=` : the list envelope. */
export const ConnectionListReplySchema = v.looseObject({
  results: v.array(ConnectionReplySchema),
});

/** A Heroku Connect connection as the API returns it (extra fields kept; `id` as text). */
export type Connection = v.InferOutput<typeof ConnectionReplySchema>;
/** One mapping of a deep connection. */
export type ConnectionMapping = v.InferOutput<typeof MappingReplySchema>;
