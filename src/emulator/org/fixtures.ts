/**
 * The `--org fixtures.json` file (`startEmulator({ org })`): describe
 * details the hcTables can't say (labels, required fields, picklist values,
 * lengths, fields that are not mapped) and seed records, per object.
 * Validated with valibot; a bad file is one sentence naming the place.
 */
import * as v from 'valibot';
import { InputError } from '../../errors.ts';

const describeTypes = [
  'id', 'reference', 'string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'boolean',
  'double', 'currency', 'percent', 'int', 'date', 'datetime', 'time', 'encryptedstring', 'anyType',
] as const;

const FieldFixture = v.strictObject({
  /** Required when the field is not in the hcTable. */
  type: v.optional(v.picklist(describeTypes)),
  label: v.optional(v.string()),
  /** Salesforce refuses a create without it (REQUIRED_FIELD_MISSING). */
  required: v.optional(v.boolean()),
  length: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(131072))),
  picklistValues: v.optional(v.array(v.string())),
  /** Refuse values outside `picklistValues` (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). */
  restrictedPicklist: v.optional(v.boolean()),
  referenceTo: v.optional(v.array(v.string())),
  externalId: v.optional(v.boolean()),
  unique: v.optional(v.boolean()),
  /** A value Salesforce fills in on create when none is given. */
  defaultValue: v.optional(v.union([v.string(), v.number(), v.boolean(), v.null()])),
});

const JsonValue = v.union([v.string(), v.number(), v.boolean(), v.null()]);

const ObjectFixture = v.strictObject({
  label: v.optional(v.string()),
  labelPlural: v.optional(v.string()),
  /** Three base-62 characters; default the standard prefix or a stable generated one. */
  keyPrefix: v.optional(v.pipe(v.string(), v.regex(/^[0-9A-Za-z]{3}$/, 'a key prefix is three letters or digits'))),
  fields: v.optional(v.record(v.string(), FieldFixture)),
  /** Records the org starts with (created once, when the org is new), as Salesforce REST bodies. */
  records: v.optional(v.array(v.record(v.string(), JsonValue))),
});

/** The fixtures document. */
export const OrgFixtures = v.strictObject({
  /** The org's Id (`00D...`, 15 or 18 characters). */
  organizationId: v.optional(v.pipe(v.string(), v.regex(/^00D[0-9A-Za-z]{12}(?:[A-Z0-5]{3})?$/, 'an organization Id starts with 00D'))),
  objects: v.optional(v.record(v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an object API name')), ObjectFixture)),
});

/** What `--org` / `startEmulator({ org })` holds. */
export type OrgFixtures = v.InferOutput<typeof OrgFixtures>;
export type ObjectFixture = v.InferOutput<typeof ObjectFixture>;
export type FieldFixture = v.InferOutput<typeof FieldFixture>;

/**
 * Check an org fixtures value (a parsed JSON document).
 *
 * @throws {InputError} naming the first problem and where it is.
 */
export function parseOrgFixtures(value: unknown, source = 'the org fixtures'): OrgFixtures {
  const result = v.safeParse(OrgFixtures, value);
  if (result.success) return result.output;
  const issue = result.issues[0]!;
  const path = v.getDotPath(issue);
  throw new InputError(`${source}${path === null ? '' : ` at ${path}`}: ${issue.message}.`);
}
