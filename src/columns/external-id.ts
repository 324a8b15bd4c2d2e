import { customType } from 'drizzle-orm/pg-core';
import { columnNameOf, sfField, type SfFieldOptions } from './field.ts';
import { fieldKind } from './kinds.ts';

const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID as Salesforce's Text(32) external id holds it: 32 lowercase hex digits. */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function toExternalIdHex(value: string): string {
  return DASHED_UUID.test(value) ? value.replaceAll('-', '').toLowerCase() : value;
}

/** A fresh external id value (a random UUID as 32 hex digits). */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function newExternalId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

const EXTERNAL_ID_LENGTH = fieldKind('external-id').defaultLength;

const externalIdColumn = customType<{ data: string; driverData: string }>({
  dataType: () => `varchar(${EXTERNAL_ID_LENGTH})`,
  toDriver: toExternalIdHex,
});

/**
 * A UUID external id, the way django-heroku-connect's `ExternalID` does it:
 * Salesforce field Text(32), External ID, unique; column `varchar(32)` holding
 * 32 hex digits. A dashed UUID is accepted on write and stored as hex. The
 * upsert field by default (`{ upsert: false }` makes a plain, unindexed one);
 * new rows get a fresh UUID unless a value is given.
 */
// @__NO_SIDE_EFFECTS__
export function sfExternalId<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  const builder = externalIdColumn(columnNameOf(sfName)).$defaultFn(newExternalId);
  return sfField(builder, sfName, 'external-id', { ...options, upsert: options.upsert ?? true }, { length: EXTERNAL_ID_LENGTH });
}
