/**
 * The shapes of the Heroku Connect API replies we read (heroku-connect.md
 * §5.2–5.3). Loose objects: only the fields hc-drizzle uses are required,
 * everything else passes through untouched.
 */
import * as v from 'valibot';

/** One mapping inside a deep connection object. */
export const MappingReplySchema = v.looseObject({
  object_name: v.string(),
  state: v.string(),
});

/** A connection object (`GET /connections/{id}`, and each list result). */
export const ConnectionReplySchema = v.looseObject({
  id: v.string(),
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

/** A Heroku Connect connection as the API returns it (extra fields kept). */
export type Connection = v.InferOutput<typeof ConnectionReplySchema>;
/** One mapping of a deep connection. */
export type ConnectionMapping = v.InferOutput<typeof MappingReplySchema>;
