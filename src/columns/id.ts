import { varchar } from 'drizzle-orm/pg-core';
import { columnNameOf, sfField, type SfFieldOptions } from './field.ts';
import { fieldKind } from './kinds.ts';

/** Salesforce record ids are 18 characters (15 in the case-sensitive form). */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export const SF_ID_LENGTH = fieldKind('id').defaultLength;

/** Options of an `sfId` field. */
export interface SfIdOptions extends SfFieldOptions {
  /** Unique by default, as django-heroku-connect's `ID` field. */
  readonly unique?: boolean;
}

/** A Salesforce Id field: `varchar(18)`, unique unless `{ unique: false }`. */
// @__NO_SIDE_EFFECTS__
export function sfId<N extends string>(sfName: N, options: SfIdOptions = {}) {
  const builder = varchar(columnNameOf(sfName), { length: SF_ID_LENGTH });
  if (options.unique ?? true) builder.unique();
  return sfField(builder, sfName, 'id', options, { length: SF_ID_LENGTH });
}
