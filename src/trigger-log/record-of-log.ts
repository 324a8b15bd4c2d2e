import { eq } from 'drizzle-orm';
import { getTableColumns, getTableName, tableSchemaOf, type AnyPgDatabase, type PgColumn } from '../compat.ts';
import { InputError } from '../errors.ts';
import { collectHcTables } from '../mapping/collect-tables.ts';
import type { TriggerLogRow } from './tables.ts';

/**
 * The row a trigger log entry points at (`table_name`, `record_id`), read
 * from the matching hcTable of `schema` (tables, or a module namespace);
 * undefined when the row is gone.
 *
 * @throws {InputError} when no hcTable in `schema` has the log's table name.
 * @example
 * const row = await recordOfLog(db, log, salesforceSchema);
 */
export async function recordOfLog(
  db: AnyPgDatabase,
  log: Pick<TriggerLogRow, 'tableName' | 'recordId'>,
  schema: unknown,
  options: { readonly schema?: string } = {},
): Promise<Record<string, unknown> | undefined> {
  const table = collectHcTables(schema).find(
    (candidate) =>
      getTableName(candidate) === log.tableName &&
      (options.schema === undefined || tableSchemaOf(candidate) === options.schema),
  );
  if (table === undefined) throw new InputError(`No hcTable named ${log.tableName} in the schema given: pass the tables that include it.`);
  if (log.recordId === null) return undefined;
  const { id } = getTableColumns(table) as Record<string, PgColumn>;
  if (id === undefined) throw new InputError(`The hcTable ${log.tableName} has no id column.`);
  const [row] = await db.select().from(table).where(eq(id, log.recordId)).limit(1);
  return row;
}
