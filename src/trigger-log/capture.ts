/**
 * Calling Heroku Connect's capture procedures the way django-heroku-connect
 * does (heroku-connect.md §3.4): `select <schema>.hc_capture_…(hstore(t.*),
 * '<table>', array[…]) from <schema>.<table> t where id = $1`.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { executeRows, getTableName, tableSchemaOf, type AnyPgDatabase, type PgTable } from '../compat.ts';
import { HcDrizzleError } from '../errors.ts';
import { triggerLogTables, type TriggerLogRow } from './tables.ts';

/** A record of an hcTable, by `id` or as a row holding it. */
export type RecordRef = number | { readonly id: number };

/** The row of an hcTable could not be found, so nothing was captured. Exit 1. */
export class RecordNotFoundError extends HcDrizzleError {
  constructor(table: string, id: number) {
    super('HC_RECORD_NOT_FOUND', `No row with id ${id} in ${table}: nothing was captured.`, { exitCode: 1 });
  }
}

/** Run one capture procedure on one record and return the new log row. */
export async function captureRecord(
  db: AnyPgDatabase,
  procedure: 'hc_capture_insert_from_row' | 'hc_capture_update_from_row',
  table: PgTable,
  record: RecordRef,
  columns: SQL,
): Promise<TriggerLogRow> {
  const schema = tableSchemaOf(table);
  const name = getTableName(table);
  const id = typeof record === 'number' ? record : record.id;
  const [captured] = await executeRows<{ id: number | null }>(
    db,
    sql`select ${sql.identifier(schema)}.${sql.identifier(procedure)}(hstore(${table}.*), ${name}, ${columns}) as id
        from ${table} where ${table}.id = ${id}`,
  );
  if (captured?.id == null) throw new RecordNotFoundError(`${schema}.${name}`, id);
  const { triggerLog } = triggerLogTables(schema);
  const [row] = await db.select().from(triggerLog).where(eq(triggerLog.id, Number(captured.id)));
  return row!;
}
