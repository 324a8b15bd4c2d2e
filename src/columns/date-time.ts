/** Date and time fields (heroku-connect.md §1; UTC handling: drizzle-notes.md §5). */
import { date, time, timestamp } from 'drizzle-orm/pg-core';
import { columnNameOf, sfField, type SfFieldOptions } from './field.ts';

/** Salesforce Date: `date`, read and written as `'YYYY-MM-DD'` (no time zone to get wrong). */
// @__NO_SIDE_EFFECTS__
export function sfDate<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(date(columnNameOf(sfName), { mode: 'string' }), sfName, 'date', options);
}

/**
 * Salesforce Date/Time: `timestamp without time zone` holding UTC, as Heroku
 * Connect writes it; read and written as a `Date` in UTC.
 */
// @__NO_SIDE_EFFECTS__
export function sfDateTime<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(timestamp(columnNameOf(sfName), { mode: 'date', withTimezone: false }), sfName, 'datetime', options);
}

/** Salesforce Time: `time` (without time zone), read and written as `'HH:MM:SS[.fff]'`. */
// @__NO_SIDE_EFFECTS__
export function sfTime<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(time(columnNameOf(sfName)), sfName, 'time', options);
}
