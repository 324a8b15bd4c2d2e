/** The hcTables a feed call names: an array or a module namespace, as getMapping takes them. */
import { getTableName, tableSchemaOf, type PgTable } from '../compat.ts';
import { InputError } from '../errors.ts';
import { collectHcTables } from '../mapping/collect-tables.ts';
import type { HcTableLike } from '../metadata.ts';
import type { TableRef } from './queries.ts';

/** hcTables as an array, or an object / module namespace whose values include them. */
export type FeedTables = readonly PgTable[] | Readonly<Record<string, unknown>>;

/** The table type(s) in a {@link FeedTables} value. */
export type TablesOf<T> = T extends readonly (infer E)[] ? E : Extract<T[keyof T], PgTable>;

/** The hcTables in `tables`; at least one, or an InputError. */
export function feedTablesOf(tables: unknown, what: string): HcTableLike[] {
  const found = collectHcTables(tables);
  if (found.length === 0) throw new InputError(`${what} needs at least one hcTable (an array of tables, or a module namespace with some).`);
  return found;
}

export const tableRefOf = (table: PgTable): TableRef => ({ schema: tableSchemaOf(table), name: getTableName(table) });
