/**
 * What a log's page shows besides the log: the row it points at, read as
 * hstore text so its fields are written the way the log's `values` and `old`
 * are (heroku-connect.md §3.1, §3.3), and the other logs of that row.
 */
import { eq, sql } from 'drizzle-orm';
import { executeRows, type AnyPgDatabase } from '../compat.ts';
import { parseHstore } from '../trigger-log/hstore.ts';
import { listLogs, type TriggerLogEntry } from '../trigger-log/list-logs.ts';
import { triggerLogTables } from '../trigger-log/tables.ts';
import type { LogKey } from './list-params.ts';

/** The log a key names, or undefined. */
export async function findLog(db: AnyPgDatabase, schema: string, key: LogKey): Promise<TriggerLogEntry | undefined> {
  const { triggerLog, triggerLogArchive } = triggerLogTables(schema);
  const log = key.archived ? triggerLogArchive : triggerLog;
  const [row] = await db.select().from(log).where(eq(log.id, key.id)).limit(1);
  return row === undefined ? undefined : { ...row, archived: key.archived };
}

/** The row a log points at: its fields, or why there is none to show. */
export type LoggedRecord =
  | { readonly kind: 'found'; readonly fields: Record<string, string | null> }
  | { readonly kind: 'gone' }
  | { readonly kind: 'no-table' };

/** The mapped tables of `schema`: those with Heroku Connect's `_hc_lastop` column (§2.2). */
export async function mappedTables(db: AnyPgDatabase, schema: string): Promise<string[]> {
  const rows = await executeRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid
        where n.nspname = ${schema} and c.relkind in ('r', 'p') and a.attname = '_hc_lastop' and not a.attisdropped
        order by c.relname`,
  );
  return rows.map((row) => row.name);
}

/** The row `record_id` of the mapped table `table` (get_model in django-heroku-connect). */
export async function loggedRecord(db: AnyPgDatabase, schema: string, table: string, recordId: number): Promise<LoggedRecord> {
  if (!(await mappedTables(db, schema)).includes(table)) return { kind: 'no-table' };
  const [row] = await executeRows<{ fields: string | null }>(
    db,
    sql`select hstore(t.*)::text as fields from ${sql.identifier(schema)}.${sql.identifier(table)} t where t.id = ${recordId}`,
  );
  return row === undefined ? { kind: 'gone' } : { kind: 'found', fields: parseHstore(row.fields) };
}

/** The other logs of the same row, newest first, at most `limit`. */
export async function relatedLogs(db: AnyPgDatabase, schema: string, table: string, recordId: number, limit: number): Promise<TriggerLogEntry[]> {
  const logs = await listLogs(db, { schema, table, recordIds: [recordId], limit });
  return logs.reverse();
}
