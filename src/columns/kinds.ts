/**
 * The Salesforce field kinds hc-drizzle knows, one declarative record each:
 * which builder makes it, the column Heroku Connect creates for it, whether
 * Salesforce lets it be an External ID, and the type Salesforce's describe
 * call reports. Builders, `check`, `pull`, `diff`, the emulator's describe
 * and the Salesforce client's value conversion all read this one table
 * (column types: heroku-connect.md §1).
 */

/** PostgreSQL column types Heroku Connect creates, as `pg_catalog.format_type` spells them (without a length). */
export type HcSqlType =
  | 'character varying'
  | 'text'
  | 'boolean'
  | 'double precision'
  | 'integer'
  | 'date'
  | 'timestamp without time zone'
  | 'time without time zone';

/** A Salesforce field type as the REST describe call names it (`DescribeFieldResult.type`). */
export type SfDescribeType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'time'
  | 'encryptedstring'
  | 'anyType';

/** What hc-drizzle knows about one field kind. */
export interface SfFieldKindInfo {
  /** The `sf*` builder that makes it (exported from `hc-drizzle`). */
  readonly builder: string;
  /** The column type Heroku Connect creates. */
  readonly sqlType: HcSqlType;
  /** The varchar length when none is given; absent for types without a length. */
  readonly defaultLength?: number;
  /** Whether the builder takes a `length` option (otherwise the length is fixed). */
  readonly takesLength: boolean;
  /** Whether Salesforce lets a field of this kind be an External ID, so the mapping's upsert field. */
  readonly externalId: boolean;
  /** The type Salesforce's describe call reports for it. */
  readonly describeType: SfDescribeType;
}

/**
 * Every field kind, by the name builders record in their metadata.
 *
 * External IDs: Salesforce allows them on Text, Number and Email fields;
 * `external-id` is django-heroku-connect's UUID Text(32) (heroku-connect.md §1).
 */
export const SF_FIELD_KINDS = {
  id: { builder: 'sfId', sqlType: 'character varying', defaultLength: 18, takesLength: false, externalId: false, describeType: 'id' },
  text: { builder: 'sfText', sqlType: 'character varying', defaultLength: 255, takesLength: true, externalId: true, describeType: 'string' },
  textarea: { builder: 'sfTextArea', sqlType: 'character varying', defaultLength: 255, takesLength: true, externalId: false, describeType: 'textarea' },
  'textarea-long': { builder: 'sfTextAreaLong', sqlType: 'text', takesLength: false, externalId: false, describeType: 'textarea' },
  email: { builder: 'sfEmail', sqlType: 'character varying', defaultLength: 80, takesLength: false, externalId: true, describeType: 'email' },
  phone: { builder: 'sfPhone', sqlType: 'character varying', defaultLength: 40, takesLength: false, externalId: false, describeType: 'phone' },
  url: { builder: 'sfUrl', sqlType: 'character varying', defaultLength: 255, takesLength: true, externalId: false, describeType: 'url' },
  picklist: { builder: 'sfPicklist', sqlType: 'character varying', defaultLength: 255, takesLength: true, externalId: false, describeType: 'picklist' },
  multipicklist: { builder: 'sfMultiPicklist', sqlType: 'character varying', defaultLength: 4099, takesLength: false, externalId: false, describeType: 'multipicklist' },
  checkbox: { builder: 'sfCheckbox', sqlType: 'boolean', takesLength: false, externalId: false, describeType: 'boolean' },
  number: { builder: 'sfNumber', sqlType: 'double precision', takesLength: false, externalId: true, describeType: 'double' },
  currency: { builder: 'sfCurrency', sqlType: 'double precision', takesLength: false, externalId: false, describeType: 'currency' },
  percent: { builder: 'sfPercent', sqlType: 'double precision', takesLength: false, externalId: false, describeType: 'percent' },
  integer: { builder: 'sfInteger', sqlType: 'integer', takesLength: false, externalId: true, describeType: 'int' },
  date: { builder: 'sfDate', sqlType: 'date', takesLength: false, externalId: false, describeType: 'date' },
  datetime: { builder: 'sfDateTime', sqlType: 'timestamp without time zone', takesLength: false, externalId: false, describeType: 'datetime' },
  time: { builder: 'sfTime', sqlType: 'time without time zone', takesLength: false, externalId: false, describeType: 'time' },
  'external-id': { builder: 'sfExternalId', sqlType: 'character varying', defaultLength: 32, takesLength: false, externalId: true, describeType: 'string' },
  'encrypted-string': { builder: 'sfEncryptedString', sqlType: 'character varying', defaultLength: 255, takesLength: true, externalId: false, describeType: 'encryptedstring' },
  'any-type': { builder: 'sfAnyType', sqlType: 'text', takesLength: false, externalId: false, describeType: 'anyType' },
  lookup: { builder: 'sfLookup', sqlType: 'character varying', defaultLength: 18, takesLength: false, externalId: false, describeType: 'reference' },
  'master-detail': { builder: 'sfMasterDetail', sqlType: 'character varying', defaultLength: 18, takesLength: false, externalId: false, describeType: 'reference' },
} as const satisfies Record<string, SfFieldKindInfo>;

/** The Salesforce field type a builder stands for: a key of {@link SF_FIELD_KINDS}. */
export type SfFieldKind = keyof typeof SF_FIELD_KINDS;

/**
 * The facts about one field kind.
 *
 * @example fieldKind('email').defaultLength // 80
 */
// @__NO_SIDE_EFFECTS__
export function fieldKind<K extends SfFieldKind>(kind: K): (typeof SF_FIELD_KINDS)[K] {
  return SF_FIELD_KINDS[kind];
}
