import type { AnyPgColumnBuilder } from '../compat.ts';
import { recordSfField, type SfFieldKind, type SfFieldMeta } from '../metadata.ts';

/** Options every `sf*` builder takes. */
export interface SfFieldOptions {
  /**
   * This field is the mapping's upsert field (a unique External ID in
   * Salesforce). Implies unique and indexed (heroku-connect.md §4.1).
   */
  readonly upsert?: boolean;
  /** Ask Heroku Connect to index this field (listed in the mapping's `indexes`). */
  readonly index?: boolean;
}

/** Heroku Connect names a column after the field's API name, lower-cased (heroku-connect.md §1). */
// @__NO_SIDE_EFFECTS__
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function columnNameOf<N extends string>(sfName: N): Lowercase<N> {
  return sfName.toLowerCase() as Lowercase<N>;
}

/**
 * Attach Salesforce metadata to a Drizzle builder. An upsert field is made
 * unique in Drizzle too, so the development schema and `check` see it.
 */
// @__NO_SIDE_EFFECTS__
export function sfField<B extends AnyPgColumnBuilder>(
  builder: B,
  sfName: string,
  kind: SfFieldKind,
  options: SfFieldOptions,
  extra?: Partial<Pick<SfFieldMeta, 'values' | 'references' | 'length' | 'index'>>,
): B {
  const upsert = options.upsert ?? false;
  if (upsert) (builder as unknown as { unique(): unknown }).unique();
  // Written out, not spread: every field of every table comes through here (scripts/bench/cli.bench.ts).
  const field: { -readonly [K in keyof SfFieldMeta]: SfFieldMeta[K] } = { sfName, kind, upsert, index: options.index ?? extra?.index ?? false };
  if (extra !== undefined) {
    if (extra.values !== undefined) field.values = extra.values;
    if (extra.references !== undefined) field.references = extra.references;
    if (extra.length !== undefined) field.length = extra.length;
  }
  return recordSfField(builder, field);
}
