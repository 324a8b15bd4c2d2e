import { boolean } from 'drizzle-orm/pg-core';
import { columnNameOf, sfField, type SfFieldOptions } from './field.ts';

/** Salesforce Checkbox: `boolean` (nullable, as Heroku Connect creates it). */
// @__NO_SIDE_EFFECTS__
export function sfCheckbox<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(boolean(columnNameOf(sfName)), sfName, 'checkbox', options);
}
