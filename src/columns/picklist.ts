/** Picklist and multi-select picklist fields (heroku-connect.md §1). */
import { customType, varchar } from 'drizzle-orm/pg-core';
import { columnNameOf, sfField, type SfFieldOptions } from './field.ts';
import { fieldKind } from './kinds.ts';

/** Options of a picklist: its values, which type the column. */
export interface SfPicklistOptions<V extends string> extends SfFieldOptions {
  /**
   * The values, which type the column. Without them (a schema pulled from a
   * database, which knows no values) the column is typed `string`.
   */
  readonly values?: readonly [V, ...V[]];
  /** Column length; default max(255, longest value), as django-heroku-connect. */
  readonly length?: number;
}

/**
 * Salesforce Picklist: `varchar(max(255, longest value))`, typed as the union
 * of its values (`string` without values).
 * @example stage: sfPicklist('Stage__c', { values: ['New', 'Won', 'Lost'] })
 */
// @__NO_SIDE_EFFECTS__
export function sfPicklist<N extends string, const V extends string = string>(sfName: N, options: SfPicklistOptions<V> = {}) {
  const values = options.values === undefined ? undefined : ([...options.values] as [V, ...V[]]);
  let length = options.length;
  if (length === undefined) {
    length = fieldKind('picklist').defaultLength as number;
    for (const value of values ?? []) if (value.length > length) length = value.length;
  }
  // Without values Drizzle gets no enum and the type widens to `string`. `enum` written out: drizzle-orm 1.0
  // tries varchar's enum-less overloads first.
  return sfField(varchar(columnNameOf(sfName), { length, enum: values! }), sfName, 'picklist', options, values === undefined ? { length } : { values, length });
}

/** Heroku Connect stores a multi-select picklist as `varchar(4099)`, values joined by `;`. */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export const MULTI_PICKLIST_LENGTH = fieldKind('multipicklist').defaultLength;

/**
 * Salesforce Multi-Select Picklist: `varchar(4099)` holding `A;B;C`, read and
 * written as an array of its values (of strings without values).
 * @example interests: sfMultiPicklist('Interests__c', { values: ['Golf', 'Sailing'] })
 */
// @__NO_SIDE_EFFECTS__
export function sfMultiPicklist<N extends string, const V extends string = string>(sfName: N, options: SfPicklistOptions<V> = {}) {
  const values = options.values === undefined ? undefined : ([...options.values] as [V, ...V[]]);
  const multiPicklist = customType<{ data: V[]; driverData: string }>({
    dataType: () => `varchar(${MULTI_PICKLIST_LENGTH})`,
    toDriver: (selected) => selected.join(';'),
    fromDriver: (stored) => (stored === '' ? [] : (stored.split(';') as V[])),
  });
  return sfField(multiPicklist(columnNameOf(sfName)), sfName, 'multipicklist', options, values === undefined ? { length: MULTI_PICKLIST_LENGTH } : { values, length: MULTI_PICKLIST_LENGTH });
}
