/**
 * Lookup and Master-Detail fields: `varchar(18)` holding the parent's `sfid`,
 * indexed by default. Never a database foreign key: Heroku Connect reloads and
 * truncates its tables, so a constraint would break syncs (heroku-connect.md
 * §1, django-heroku-connect's `db_constraint=False`).
 */
import { varchar } from 'drizzle-orm/pg-core';
import { getTableColumns, type OneRelationTo, type PgColumn, type PgTable } from '../compat.ts';
import { sfFieldOf, type SF_FIELD } from '../metadata.ts';
import { columnNameOf, sfField, type SfFieldOptions } from './field.ts';
import { SF_ID_LENGTH } from './id.ts';

/** Options of a lookup / master-detail. */
export interface SfLookupOptions<P extends PgTable> extends SfFieldOptions {
  /** The parent hcTable, as a thunk so tables can refer to each other. */
  readonly references?: () => P;
}

/**
 * The type-level trace of a lookup's parent, carried by the built column's
 * type only: at run time the metadata sits on the builder's config, where
 * {@link sfFieldOf} reads it.
 */
export interface SfLookupParent<P extends PgTable> {
  readonly [SF_FIELD]: { readonly references?: () => P };
}

function lookupField<N extends string, P extends PgTable>(
  sfName: N,
  kind: 'lookup' | 'master-detail',
  options: SfLookupOptions<P>,
) {
  const builder = varchar(columnNameOf(sfName), { length: SF_ID_LENGTH });
  const extra = options.references === undefined ? { index: true, length: SF_ID_LENGTH } : { references: options.references, index: true, length: SF_ID_LENGTH };
  return sfField(builder, sfName, kind, options, extra) as typeof builder & SfLookupParent<P>;
}

/**
 * Salesforce Lookup: `varchar(18)` holding the parent's sfid, indexed.
 * @example accountId: sfLookup('AccountId', { references: () => account })
 */
// @__NO_SIDE_EFFECTS__
export function sfLookup<N extends string, P extends PgTable = PgTable>(sfName: N, options: SfLookupOptions<P> = {}) {
  return lookupField(sfName, 'lookup', options);
}

/** Salesforce Master-Detail: like {@link sfLookup}. */
// @__NO_SIDE_EFFECTS__
export function sfMasterDetail<N extends string, P extends PgTable = PgTable>(
  sfName: N,
  options: SfLookupOptions<P> = {},
) {
  return lookupField(sfName, 'master-detail', options);
}

// The `one` helper Drizzle passes to a `relations()` callback.
type OneHelper = (table: PgTable, config: { fields: PgColumn[]; references: PgColumn[] }) => unknown;

/** The column of an hcTable that holds the Salesforce record Id (`sfid`). */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function sfidColumnOf(table: PgTable): PgColumn | undefined {
  return Object.values(getTableColumns(table) as Record<string, PgColumn>).find(
    (column) => sfFieldOf(column)?.sfName === 'Id' && column.name === 'sfid',
  );
}

/**
 * A typed Drizzle relation from a lookup to its parent, for `relations()`
 * (drizzle-orm 0.45, and `drizzle-orm/_relations` in 1.0), joined on the
 * parent's `sfid`, or on `to` (an External ID column of the parent). No
 * constraint is involved. For 1.0's `defineRelations()`, see {@link sfParent}.
 * @example
 * export const contactRelations = relations(contact, ({ one }) => ({
 *   account: sfOne(one, contact.accountId),
 * }));
 */
// @__NO_SIDE_EFFECTS__
export function sfOne<P extends PgTable>(one: unknown, lookup: PgColumn & SfLookupParent<P>, to?: PgColumn): OneRelationTo<P['_']['name']> {
  const field = sfFieldOf(lookup);
  const parent = field?.references?.();
  if (parent === undefined) {
    throw new TypeError(`sfOne: the lookup column "${lookup.name}" has no \`references\` parent.`);
  }
  const target = to ?? sfidColumnOf(parent);
  if (target === undefined) throw new TypeError(`sfOne: the parent of "${lookup.name}" is not an hcTable.`);
  return (one as OneHelper)(parent, { fields: [lookup], references: [target] }) as OneRelationTo<P['_']['name']>;
}

/** A column as `defineRelations()`' helper shows it (`r.contact.accountId`): the real column is its `_.column`. */
export interface RelationsColumnLike {
  readonly _: { readonly column: unknown };
}

/**
 * The `{ from, to }` of drizzle-orm 1.0's `defineRelations()` (RQB v2) for a
 * lookup's relation to its parent: from the lookup column to the parent's
 * `sfid`, or to the parent column `to` (an External ID). No constraint is
 * involved. Throws a TypeError when `lookup` is not an `sfLookup` or
 * `sfMasterDetail`, or the parent has no such column. For `relations()`,
 * see {@link sfOne}.
 * @example
 * export const relations = defineRelations({ account, contact }, (r) => ({
 *   contact: { account: r.one.account(sfParent(r.contact.accountId, r.account)) },
 *   account: { contacts: r.many.contact() },
 * }));
 */
export function sfParent<L extends RelationsColumnLike, P extends { readonly sfid: RelationsColumnLike }>(
  lookup: L,
  parent: P,
): { readonly from: L; readonly to: P['sfid'] };
export function sfParent<L extends RelationsColumnLike, P, K extends keyof P & string>(
  lookup: L,
  parent: P,
  to: K,
): { readonly from: L; readonly to: P[K] };
// @__NO_SIDE_EFFECTS__
export function sfParent(lookup: RelationsColumnLike, parent: Record<string, unknown>, to = 'sfid'): { from: unknown; to: unknown } {
  const column = lookup?._?.column as PgColumn | undefined;
  const kind = column === undefined ? undefined : sfFieldOf(column)?.kind;
  if (kind !== 'lookup' && kind !== 'master-detail') {
    throw new TypeError(`sfParent: "${column?.name ?? String(lookup)}" is not an sfLookup or sfMasterDetail column.`);
  }
  const target = parent?.[to] as RelationsColumnLike | undefined;
  if (target?._?.column === undefined) throw new TypeError(`sfParent: the parent of "${column!.name}" has no column "${to}".`);
  return { from: lookup, to: target };
}
