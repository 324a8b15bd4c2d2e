/**
 * A mapping document from outside: a dashboard export, `heroku
 * connect:export`, the API's export action, or `hc-drizzle export`
 * (heroku-connect.md §4.1, §5.2). Validated with valibot: only what
 * hc-drizzle reads is required, and the rest passes through.
 */
import * as v from 'valibot';
import { InputError } from '../errors.ts';
import { READ_ONLY, READ_WRITE } from '../metadata.ts';

const FieldOptionsSchema = v.looseObject({});
const IndexSchema = v.looseObject({ unique: v.boolean() });

/** One mapping's `config` as exports carry it. */
const MappingExportConfigSchema = v.looseObject({
  access: v.picklist([READ_ONLY, READ_WRITE]),
  sf_notify_enabled: v.optional(v.boolean()),
  sf_polling_seconds: v.optional(v.pipe(v.number(), v.integer())),
  sf_max_daily_api_calls: v.optional(v.pipe(v.number(), v.integer())),
  fields: v.record(v.pipe(v.string(), v.nonEmpty()), FieldOptionsSchema),
  // Exports before 2017 have no indexes (mitsuruog/heroku-connect-configuration-comb fixtures/input.json).
  indexes: v.optional(v.record(v.pipe(v.string(), v.nonEmpty()), IndexSchema)),
  // The API's mapping objects say `null` for none (heroku/heroku-connect-plugin test fixtures).
  upsert_field: v.optional(v.nullable(v.string())),
});

/** A mapping export; the Heroku Connect client validates the API's export action with it too. */
export const MappingExportSchema = v.looseObject({
  version: v.optional(v.number()),
  connection: v.optional(
    v.looseObject({
      app_name: v.optional(v.string()),
      organization_id: v.optional(v.string()),
      exported_at: v.optional(v.string()),
      name: v.optional(v.string()),
    }),
  ),
  mappings: v.array(
    v.looseObject({
      object_name: v.pipe(v.string(), v.nonEmpty()),
      config: MappingExportConfigSchema,
    }),
  ),
});

/** A mapping document as Heroku Connect (or hc-drizzle) exports it. */
export type MappingExport = v.InferOutput<typeof MappingExportSchema>;
/** One mapping of a {@link MappingExport}. */
export type MappingExportEntry = MappingExport['mappings'][number];

/**
 * Validate a parsed mapping document. Two mappings of one object (Salesforce
 * names are case-insensitive) are refused: Heroku Connect has one per object.
 *
 * @param from - how messages name the document (`mapping.json`).
 * @throws {InputError} naming the first thing that is wrong and where.
 * @example
 * const mapping = parseMappingExport(JSON.parse(text), 'mapping.json');
 */
export function parseMappingExport(json: unknown, from: string): MappingExport {
  const parsed = v.safeParse(MappingExportSchema, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = v.getDotPath(issue);
    throw new InputError(
      `${from} is not a Heroku Connect mapping export: ${where === null ? '' : `${where}: `}${issue.message}.`,
    );
  }
  const seen = new Map<string, string>();
  for (const { object_name: name } of parsed.output.mappings) {
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) {
      throw new InputError(`${from} maps the Salesforce object ${name} twice (as ${first} and ${name}); Heroku Connect has one mapping per object.`);
    }
    seen.set(name.toLowerCase(), name);
  }
  return parsed.output;
}

/**
 * The Heroku Connect schema an export names: the last part of its
 * connection name `<app>:<config var>:<schema>` (heroku-connect.md §4.1),
 * when it has that form.
 */
export function schemaOfMappingExport(mapping: MappingExport): string | undefined {
  const parts = mapping.connection?.name?.split(':');
  return parts?.length === 3 && parts[2] !== '' ? parts[2] : undefined;
}
