/**
 * Numeric Salesforce fields. Heroku Connect stores Number, Currency and Percent
 * as `double precision` whatever their scale (heroku-connect.md §1, DHC #84).
 */
import { doublePrecision, integer } from 'drizzle-orm/pg-core';
import { columnNameOf, sfField, type SfFieldOptions } from './field.ts';

/** Salesforce Number: `double precision`. */
// @__NO_SIDE_EFFECTS__
export function sfNumber<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(doublePrecision(columnNameOf(sfName)), sfName, 'number', options);
}

/** Salesforce Currency: `double precision` (the ISO code is its own `CurrencyIsoCode` field). */
// @__NO_SIDE_EFFECTS__
export function sfCurrency<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(doublePrecision(columnNameOf(sfName)), sfName, 'currency', options);
}

/** Salesforce Percent: `double precision`. */
// @__NO_SIDE_EFFECTS__
export function sfPercent<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(doublePrecision(columnNameOf(sfName)), sfName, 'percent', options);
}

/** Salesforce int: `integer`. */
// @__NO_SIDE_EFFECTS__
export function sfInteger<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(integer(columnNameOf(sfName)), sfName, 'integer', options);
}
