/**
 * The two triggers Heroku Connect puts on every mapped table (heroku-connect.md
 * §2.3, §2.4, §3.3). Both tell Heroku Connect's own writes apart by the
 * session's `xmlbinary` setting: {@link APPLICATION_XMLBINARY} (the default)
 * is an application.
 */
import { getTableName, tableSchemaOf } from '../compat.ts';
import { isReadOnlyTable, type HcTableLike } from '../metadata.ts';
import { TRIGGER_LOG_STATE } from '../trigger-log/constants.ts';
import { APPLICATION_XMLBINARY } from '../trigger-log/conventions.ts';
import { ident, literal, qualified } from './sql-text.ts';

/** `hc_<table>_status` and `hc_<table>_logger` with their triggers. */
export function tableTriggersDdl(table: HcTableLike): string[] {
  const schema = tableSchemaOf(table);
  const name = getTableName(table);
  const target = qualified(schema, name);
  const statusFunction = qualified(schema, `hc_${name}_status`);
  const loggerFunction = qualified(schema, `hc_${name}_logger`);
  const log = qualified(schema, '_trigger_log');
  // Read-write mappings queue changes (NEW); read-only ones only record them (§3.2, §3.3).
  const readWrite = !isReadOnlyTable(table);
  const initialState = literal(readWrite ? TRIGGER_LOG_STATE.NEW : TRIGGER_LOG_STATE.READONLY);
  const ignore = literal(TRIGGER_LOG_STATE.IGNORE);
  const application = literal(APPLICATION_XMLBINARY);
  return [
    // §2.4: an application's write is PENDING; Heroku Connect's is SYNCED,
    // unless it set _hc_lastop itself in that update (INSERTED, ...). Heroku
    // Connect compares with `!=`: from a NULL _hc_lastop the row still becomes SYNCED.
    `create function ${statusFunction}() returns trigger language plpgsql as $$
begin
  if public.get_xmlbinary() = ${application} then
    new._hc_lastop := 'PENDING';
    new._hc_err := null;
    return new;
  end if;
  if tg_op = 'UPDATE' and new._hc_lastop is not null and new._hc_lastop != old._hc_lastop then
    return new;
  end if;
  new._hc_lastop := 'SYNCED';
  new._hc_err := null;
  return new;
end;
$$`,
    `create trigger ${ident(`hc_${name}_status_trigger`)} before insert or update on ${target}
  for each row execute function ${statusFunction}()`,
    // §3.3: values/old as hstore text without _hc_lastop/_hc_err; only the
    // changed columns on UPDATE. Heroku Connect's logger fills a ROW() and
    // inserts all of it, so updated_at is an explicit NULL, not the default.
    `create function ${loggerFunction}() returns trigger language plpgsql as $$
declare
  excluded_cols text[] := array['_hc_lastop', '_hc_err']::text[];
  log_state varchar(8) := ${initialState};
  log_record_id integer;
  log_sfid varchar(18);
  log_old hstore;
  log_values hstore;
begin
  if tg_op = 'INSERT' then
    log_record_id := new.id;
    log_values := hstore(new.*) - excluded_cols;
  elsif tg_op = 'UPDATE' then
    log_record_id := new.id;
    log_sfid := old.sfid;
    log_old := hstore(old.*) - excluded_cols;
    log_values := (hstore(new.*) - excluded_cols) - log_old;${
      readWrite
        ? `
    if log_values = ''::hstore then
      log_state := ${ignore};
    end if;`
        : ''
    }
  else
    log_record_id := old.id;
    log_sfid := old.sfid;
    log_old := hstore(old.*) - excluded_cols;${
      readWrite
        ? `
    if old.sfid is null then
      log_state := ${ignore};
    end if;`
        : ''
    }
  end if;
  insert into ${log} (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
  values (txid_current(), clock_timestamp(), null, log_state, tg_op, tg_table_name, log_record_id,
          log_sfid, log_old::text, log_values::text);
  return null;
end;
$$`,
    `create trigger ${ident(`hc_${name}_logtrigger`)} after insert or update or delete on ${target}
  for each row when (public.get_xmlbinary() = ${application}) execute function ${loggerFunction}()`,
  ];
}
