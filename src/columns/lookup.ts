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

/** The type-level trace of a lookup's parent, carried by the built column. */
export interface SfLookupParent<P extends PgTable> {
  readonly [SF_FIELD]: { readonly references?: () => P };
}

function lookupField<N extends string, P extends PgTable>(
  sfName: N,
  kind: 'lookup' | 'master-detail',
  options: SfLookupOptions<P>,
) {
  const builder = varchar(columnNameOf(sfName), { length: SF_ID_LENGTH });
  const extra = options.references === undefined ? {} : { references: options.references };
  return sfField(builder, sfName, kind, options, { ...extra, index: true, length: SF_ID_LENGTH }) as typeof builder &
    SfLookupParent<P>;
}

/**
 * Salesforce Lookup: `varchar(18)` holding the parent's sfid, indexed.
 * @example accountId: sfLookup('AccountId', { references: () => account })
 */
export function sfLookup<N extends string, P extends PgTable = PgTable>(sfName: N, options: SfLookupOptions<P> = {}) {
  return lookupField(sfName, 'lookup', options);
}

/** Salesforce Master-Detail: like {@link sfLookup}. */
export function sfMasterDetail<N extends string, P extends PgTable = PgTable>(
  sfName: N,
  options: SfLookupOptions<P> = {},
) {
  return lookupField(sfName, 'master-detail', options);
}

// The `one` helper Drizzle passes to a `relations()` callback.
type OneHelper = (table: PgTable, config: { fields: PgColumn[]; references: PgColumn[] }) => unknown;

/** The column of an hcTable that holds the Salesforce record Id (`sfid`). */
export function sfidColumnOf(table: PgTable): PgColumn | undefined {
  return Object.values(getTableColumns(table) as Record<string, PgColumn>).find(
    (column) => sfFieldOf(column)?.sfName === 'Id' && column.name === 'sfid',
  );
}

/**
 * A typed Drizzle relation from a lookup to its parent, joined on the parent's
 * `sfid`. No constraint is involved.
 * @example
 * export const contactRelations = relations(contact, ({ one }) => ({
 *   account: sfOne(one, contact.accountId),
 * }));
 */
export function sfOne<P extends PgTable>(one: unknown, lookup: PgColumn & SfLookupParent<P>): OneRelationTo<P['_']['name']> {
  const field = sfFieldOf(lookup);
  const parent = field?.references?.();
  if (parent === undefined) {
    throw new TypeError(`sfOne: the lookup column "${lookup.name}" has no \`references\` parent.`);
  }
  const sfid = sfidColumnOf(parent);
  if (sfid === undefined) throw new TypeError(`sfOne: the parent of "${lookup.name}" is not an hcTable.`);
  return (one as OneHelper)(parent, { fields: [lookup], references: [sfid] }) as OneRelationTo<P['_']['name']>;
}
