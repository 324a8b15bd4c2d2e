import { getTableName, tableSchemaOf, type AnyPgDatabase, type PgTable } from '../compat.ts';
import type { LogSelection } from './filter.ts';
import { listLogs, type TriggerLogEntry } from './list-logs.ts';

/**
 * Every trigger log row about one row of an hcTable (its `id`), live and
 * archived, oldest first: the record's write history.
 *
 * @example
 * const history = await logsForRecord(db, account, 42);
 */
export function logsForRecord(
  db: AnyPgDatabase,
  table: PgTable,
  record: number | { readonly id: number },
  options: { readonly logs?: LogSelection } = {},
): Promise<TriggerLogEntry[]> {
  return listLogs(db, {
    table: getTableName(table),
    recordIds: [typeof record === 'number' ? record : record.id],
    schema: tableSchemaOf(table),
    ...(options.logs === undefined ? {} : { logs: options.logs }),
  });
}
