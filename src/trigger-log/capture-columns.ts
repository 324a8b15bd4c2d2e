import { sql, type SQL } from 'drizzle-orm';
import { getTableColumns, getTableName, type PgColumn, type PgTable } from '../compat.ts';
import { InputError } from '../errors.ts';

/**
 * Database column names for `names`, each a Drizzle property name
 * (`accountNumber`) or a column name (`accountnumber`).
 *
 * @throws {InputError} naming the first that is neither.
 */
export function columnNamesOf(table: PgTable, names: readonly string[]): string[] {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const byName = new Set(Object.values(columns).map((column) => column.name));
  return names.map((name) => {
    const column = columns[name];
    if (column !== undefined) return column.name;
    if (byName.has(name)) return name;
    throw new InputError(`The table ${getTableName(table)} has no column or property named ${name}.`);
  });
}

/** A `text[]` literal for the capture procedures' column lists. */
export function textArray(items: readonly string[]): SQL {
  return items.length === 0
    ? sql`'{}'::text[]`
    : sql`array[${sql.join(
        items.map((item) => sql`${item}`),
        sql`, `,
      )}]::text[]`;
}
