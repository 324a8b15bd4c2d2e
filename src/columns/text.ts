/** Text-like Salesforce fields (heroku-connect.md §1). */
import { text, varchar } from 'drizzle-orm/pg-core';
import { columnNameOf, sfField, type SfFieldOptions } from './field.ts';
import { fieldKind } from './kinds.ts';

/** Options of a Salesforce field stored as `varchar(n)`. */
export interface SfLengthOptions<L extends number> extends SfFieldOptions {
  /** The Salesforce field length; the column is `varchar(length)`. */
  readonly length?: L;
}

type VarcharKind = 'text' | 'textarea' | 'url' | 'email' | 'phone' | 'encrypted-string';

/** A `varchar(n)` field: the given length where the kind takes one, else the kind's own. */
function varcharField<N extends string, L extends number>(sfName: N, kind: VarcharKind, options: SfLengthOptions<L>) {
  const info = fieldKind(kind);
  const length = ((info.takesLength ? options.length : undefined) ?? info.defaultLength) as L;
  return sfField(varchar(columnNameOf(sfName), { length }), sfName, kind, options, { length });
}

/**
 * Salesforce Text(n): `varchar(length)`, default length 255.
 * @example name: sfText('Name', { length: 80 })
 */
// @__NO_SIDE_EFFECTS__
export function sfText<N extends string, L extends number = 255>(sfName: N, options: SfLengthOptions<L> = {}) {
  return varcharField(sfName, 'text', options);
}

/** Salesforce Text Area (plain, up to 255): `varchar(length)`, default 255. */
// @__NO_SIDE_EFFECTS__
export function sfTextArea<N extends string, L extends number = 255>(sfName: N, options: SfLengthOptions<L> = {}) {
  return varcharField(sfName, 'textarea', options);
}

/** Salesforce Text Area (Long) or (Rich): `text`. */
// @__NO_SIDE_EFFECTS__
export function sfTextAreaLong<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(text(columnNameOf(sfName)), sfName, 'textarea-long', options);
}

/** Salesforce Email: `varchar(80)`. */
// @__NO_SIDE_EFFECTS__
export function sfEmail<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return varcharField<N, 80>(sfName, 'email', options);
}

/** Salesforce Phone: `varchar(40)`. */
// @__NO_SIDE_EFFECTS__
export function sfPhone<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return varcharField<N, 40>(sfName, 'phone', options);
}

/** Salesforce URL: `varchar(length)`, default 255. */
// @__NO_SIDE_EFFECTS__
export function sfUrl<N extends string, L extends number = 255>(sfName: N, options: SfLengthOptions<L> = {}) {
  return varcharField(sfName, 'url', options);
}

/**
 * Salesforce Text (Encrypted): `varchar(length)`, default 255. Arrives masked
 * unless Heroku Connect's user may view encrypted data (heroku-connect.md §1).
 */
// @__NO_SIDE_EFFECTS__
export function sfEncryptedString<N extends string, L extends number = 255>(sfName: N, options: SfLengthOptions<L> = {}) {
  return varcharField(sfName, 'encrypted-string', options);
}

/** Salesforce anyType: `text`. */
// @__NO_SIDE_EFFECTS__
export function sfAnyType<N extends string>(sfName: N, options: SfFieldOptions = {}) {
  return sfField(text(columnNameOf(sfName)), sfName, 'any-type', options);
}
