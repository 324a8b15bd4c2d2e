/**
 * What Heroku Connect installs in its schema besides the mapped tables
 * (heroku-connect.md §2.1, §2.3, §3.1, §3.4): hstore and `get_xmlbinary()` in
 * `public`, `_hcmeta`, `_sf_event_log`, the trigger log and its archive with
 * their indexes, the notify trigger, and the two capture procedures.
 */
import { columnSqlType, getTableConfig, indexSqlText, isSql, type PgTable } from '../compat.ts';
import { triggerLogChannel } from '../trigger-log/conventions.ts';
import { triggerLogTables } from '../trigger-log/tables.ts';
import { ident, literal, qualified } from './sql-text.ts';

/** Statements shared by every schema: hstore and the writer test, in `public` (§2.1). */
export function publicDdl(): string[] {
  return [
    'create extension if not exists hstore with schema public',
    // Heroku Connect's sessions set `xmlbinary` to something else than the
    // default 'base64'; its triggers tell its writes apart with this (§2.4).
    `create or replace function public.get_xmlbinary() returns varchar language plpgsql as $$
begin
  return current_setting('xmlbinary');
end;
$$`,
  ];
}

/** `create table` for a trigger log table, from its Drizzle definition (the one column list, §3.1). */
function logTableDdl(table: PgTable): string {
  const { schema, name, columns } = getTableConfig(table);
  const lines = columns.map((column) =>
    [
      ident(column.name),
      columnSqlType(column),
      column.primary ? 'primary key' : '',
      isSql(column.default) ? `default ${indexSqlText(column.default)}` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
  return `create table ${qualified(schema ?? 'public', name)} (\n  ${lines.join(',\n  ')}\n)`;
}

/** The schema's own objects, after `create schema`. */
export function schemaMachineryDdl(schema: string): string[] {
  const q = (name: string) => qualified(schema, name);
  const log = q('_trigger_log');
  const archive = q('_trigger_log_archive');
  const { triggerLog, triggerLogArchive } = triggerLogTables(schema);
  return [
    `create table ${q('_hcmeta')} (id serial primary key, hcver integer, org_id varchar(50), details text)`,
    `create table ${q('_sf_event_log')} (
  id serial primary key,
  table_name varchar(128),
  action varchar(7),
  synced_at timestamp with time zone default now(),
  sf_timestamp timestamp with time zone,
  sfid varchar(20),
  record text,
  processed boolean
)`,
    `create index ${ident('idx__sf_event_log_comp_key')} on ${q('_sf_event_log')} (table_name, synced_at)`,
    `create index ${ident('idx__sf_event_log_sfid')} on ${q('_sf_event_log')} (sfid)`,
    logTableDdl(triggerLog),
    logTableDdl(triggerLogArchive),
    `create index ${ident('_trigger_log_idx_created_at')} on ${log} (created_at)`,
    `create index ${ident('_trigger_log_idx_state_id')} on ${log} (state, id)`,
    `create index ${ident('_trigger_log_idx_state_table_name')} on ${log} (state, table_name) where state in ('NEW', 'PENDING')`,
    `create index ${ident('_trigger_log_archive_idx_created_at')} on ${archive} (created_at)`,
    `create index ${ident('_trigger_log_archive_idx_record_id')} on ${archive} (record_id)`,
    `create index ${ident('_trigger_log_archive_idx_state_table_name')} on ${archive} (state, table_name) where state = 'FAILED'`,
    // Wakes Heroku Connect's database poller (§2.3, §3.5).
    `create function ${q('tlog_notify_trigger')}() returns trigger language plpgsql as $$
begin
  perform pg_notify(${literal(triggerLogChannel(schema))}, 'ping');
  return new;
end;
$$`,
    `create trigger tlog_insert_trigger after insert on ${log} for each row execute function ${q('tlog_notify_trigger')}()`,
    ...captureProceduresDdl(schema),
  ];
}

/** `hc_capture_insert_from_row` and `hc_capture_update_from_row`, "VERSION 1" (§3.4). */
function captureProceduresDdl(schema: string): string[] {
  const log = qualified(schema, '_trigger_log');
  return [
    `create function ${qualified(schema, 'hc_capture_insert_from_row')}(
  source_row hstore, table_name varchar, excluded_cols text[] default '{}'::text[]
) returns integer language plpgsql as $$
declare
  excluded_cols_standard text[] = array['_hc_lastop', '_hc_err']::text[];
  retval integer;
begin
  -- VERSION 1 --
  if (source_row -> 'id') is null then
    -- source_row is required to have an int id value
    return null;
  end if;
  -- id and sfid cannot be excluded
  excluded_cols_standard := array_remove(array_remove(excluded_cols, 'id'), 'sfid') || excluded_cols_standard;
  insert into ${log} (action, table_name, txid, created_at, state, record_id, "values")
  values ('INSERT', table_name, txid_current(), clock_timestamp(), 'NEW',
          (source_row -> 'id')::integer, (source_row - excluded_cols_standard)::text)
  returning id into retval;
  return retval;
end;
$$`,
    `create function ${qualified(schema, 'hc_capture_update_from_row')}(
  source_row hstore, table_name varchar, columns_to_include text[] default '{}'::text[]
) returns integer language plpgsql as $$
declare
  excluded_cols_standard text[] = array['_hc_lastop', '_hc_err']::text[];
  excluded_cols text[];
  retval integer;
begin
  -- VERSION 1 --
  if (source_row -> 'id') is null then
    -- source_row is required to have an int id value
    return null;
  end if;
  -- an empty list keeps every column: array_length('{}', 1) is null
  if array_length(columns_to_include, 1) <> 0 then
    excluded_cols := array(select skeys(source_row) except select unnest(columns_to_include));
  end if;
  excluded_cols_standard := excluded_cols || excluded_cols_standard;
  insert into ${log} (action, table_name, txid, created_at, state, record_id, sfid, "values", old)
  values ('UPDATE', table_name, txid_current(), clock_timestamp(), 'NEW',
          (source_row -> 'id')::integer, source_row -> 'sfid', (source_row - excluded_cols_standard)::text, null)
  returning id into retval;
  return retval;
end;
$$`,
  ];
}
