/**
 * The change feed's own schema (`hc_drizzle_feed`, never Heroku Connect's):
 * the durable change table, one delivery row per change and subscribed
 * group, the group registrations, the capture triggers' functions, and the
 * function that puts the triggers back when a Heroku Connect reload dropped
 * them. Installed by one idempotent statement that works on every driver.
 */
import { APPLICATION_XMLBINARY } from '../trigger-log/conventions.ts';
import { literal } from '../dev/sql-text.ts';

/** The schema of the change feed. */
export const FEED_SCHEMA = 'hc_drizzle_feed';
/** The `pg_notify` channel the capture trigger pings; the payload is `schema.table`. */
export const FEED_CHANNEL = 'hc_drizzle_feed';
/** The row trigger on each captured table, and its TRUNCATE companion. */
export const CAPTURE_TRIGGER = 'hc_drizzle_feed_capture';
export const TRUNCATE_TRIGGER = 'hc_drizzle_feed_truncate';
/** Bumped when the objects below change; the install replaces its functions when it differs. */
const FEED_VERSION = 1;
// Serializes the feed's DDL across sessions (two subscribers starting at once).
const DDL_LOCK = 4_815_162_342;

const S = FEED_SCHEMA;

// The trigger fires only for Heroku Connect's own session: an application's
// session keeps PostgreSQL's default xmlbinary (heroku-connect.md §2.4).
const FROM_HEROKU_CONNECT = `current_setting('xmlbinary') is distinct from ${literal(APPLICATION_XMLBINARY)}`;

/**
 * One `do` block: schema, tables, indexes and functions, under an advisory
 * lock, skipped when this version is in place. One statement, so it is atomic
 * and runs even over neon-http (no interactive transactions).
 */
export function feedMachineryDdl(): string {
  return `do $install$
begin
  perform pg_advisory_xact_lock(${DDL_LOCK});
  create schema if not exists ${S};
  create table if not exists ${S}.meta (version integer not null);
  if exists (select 1 from ${S}.meta where version = ${FEED_VERSION}) then
    return;
  end if;

  -- Every captured change, once: the row as Heroku Connect wrote it (jsonb of
  -- its columns), the previous row for updates.
  create table if not exists ${S}.change (
    id bigint generated always as identity primary key,
    table_schema text not null,
    table_name text not null,
    op text not null check (op in ('insert', 'update', 'delete', 'resync')),
    record_key text not null,
    "row" jsonb,
    old jsonb,
    detail jsonb,
    at timestamptz not null default clock_timestamp()
  );
  create index if not exists change_at on ${S}.change (at);

  -- Which group wants which table; a change is fanned out to these at capture.
  create table if not exists ${S}.subscription (
    group_name text not null,
    table_schema text not null,
    table_name text not null,
    created_at timestamptz not null default now(),
    primary key (table_schema, table_name, group_name)
  );

  -- One row per change and group: the group's claim, retries and outcome.
  create table if not exists ${S}.delivery (
    group_name text not null,
    change_id bigint not null,
    table_schema text not null,
    table_name text not null,
    record_key text not null,
    state text not null default 'pending' check (state in ('pending', 'active', 'done', 'parked')),
    attempts integer not null default 0,
    run_at timestamptz not null default now(),
    locked_by text,
    locked_until timestamptz,
    last_error text,
    done_at timestamptz,
    primary key (group_name, change_id)
  );
  -- Open deliveries in change order (claims), and per record (the order
  -- checks). The two predicates say the same thing differently on purpose:
  -- a query can then use only the index whose predicate it spells, so the
  -- planner cannot pick the wrong one when its statistics are stale or, on
  -- PGlite, absent.
  create index if not exists delivery_open on ${S}.delivery (group_name, change_id) where state in ('pending', 'active');
  create index if not exists delivery_record on ${S}.delivery (group_name, record_key, change_id) where state <> 'done' and state <> 'parked';
  create index if not exists delivery_done on ${S}.delivery (done_at) where state = 'done';
  create index if not exists delivery_change on ${S}.delivery (change_id);

  -- The tables whose capture triggers were installed, to tell a reload apart.
  create table if not exists ${S}.captured_table (
    table_schema text not null,
    table_name text not null,
    relid oid not null,
    installed_at timestamptz not null default now(),
    checked_at timestamptz not null default now(),
    primary key (table_schema, table_name)
  );

  create or replace function ${S}.enqueue(
    change_schema text, change_table text, change_op text, change_key text, new_row jsonb, old_row jsonb, change_detail jsonb
  ) returns void language plpgsql security definer set search_path = pg_catalog, pg_temp as $enqueue$
  declare
    new_id bigint;
  begin
    if not exists (select 1 from ${S}.subscription s where s.table_schema = change_schema and s.table_name = change_table) then
      return;
    end if;
    insert into ${S}.change (table_schema, table_name, op, record_key, "row", old, detail)
    values (change_schema, change_table, change_op, change_key, new_row, old_row, change_detail)
    returning id into new_id;
    insert into ${S}.delivery (group_name, change_id, table_schema, table_name, record_key)
    select s.group_name, new_id, change_schema, change_table, change_key
    from ${S}.subscription s where s.table_schema = change_schema and s.table_name = change_table;
    perform pg_notify(${literal(FEED_CHANNEL)}, change_schema || '.' || change_table);
  end;
  $enqueue$;

  -- The row trigger's function. An update that changed nothing but Heroku
  -- Connect's bookkeeping (_hc_lastop, _hc_err) is not a change.
  create or replace function ${S}.capture() returns trigger
  language plpgsql security definer set search_path = pg_catalog, pg_temp as $capture$
  declare
    new_row jsonb;
    old_row jsonb;
    source jsonb;
  begin
    if tg_op <> 'DELETE' then new_row := to_jsonb(new); end if;
    if tg_op <> 'INSERT' then old_row := to_jsonb(old); end if;
    if tg_op = 'UPDATE' and new_row - '_hc_lastop' - '_hc_err' = old_row - '_hc_lastop' - '_hc_err' then
      return null;
    end if;
    source := coalesce(new_row, old_row);
    perform ${S}.enqueue(
      tg_table_schema, tg_table_name, lower(tg_op),
      tg_table_schema || '.' || tg_table_name || '/' || coalesce(source ->> 'sfid', old_row ->> 'sfid', 'id=' || (source ->> 'id')),
      source, case when tg_op = 'UPDATE' then old_row end, null);
    return null;
  end;
  $capture$;

  create or replace function ${S}.resync(target_schema text, target_name text, reason text, since timestamptz)
  returns void language plpgsql security definer set search_path = pg_catalog, pg_temp as $resync$
  begin
    perform ${S}.enqueue(target_schema, target_name, 'resync', target_schema || '.' || target_name || '/',
      null, null, jsonb_build_object('reason', reason, 'since', since));
  end;
  $resync$;

  -- TRUNCATE fires no row trigger: tell the subscribers to re-read instead.
  create or replace function ${S}.capture_truncate() returns trigger
  language plpgsql security definer set search_path = pg_catalog, pg_temp as $truncate$
  begin
    perform ${S}.resync(tg_table_schema, tg_table_name, 'truncated', clock_timestamp());
    return null;
  end;
  $truncate$;

  create or replace function ${S}.capture_in_place(rel regclass) returns boolean
  language sql stable set search_path = pg_catalog, pg_temp as $in_place$
    select count(*) = 2 from pg_trigger t
    where t.tgrelid = rel and t.tgname in (${literal(CAPTURE_TRIGGER)}, ${literal(TRUNCATE_TRIGGER)}) and t.tgenabled <> 'D'
  $in_place$;

  -- Puts the capture triggers on each table that lacks them. A table that
  -- had them (captured_table) lost them to a reload or by hand: its groups
  -- get a resync change saying since when nothing was captured.
  create or replace function ${S}.ensure_capture(schemas text[], names text[], missing_ok boolean)
  returns table (target_schema text, target_name text, status text)
  language plpgsql security definer set search_path = pg_catalog, pg_temp as $ensure$
  declare
    i integer;
    rel regclass;
    known record;
  begin
    for i in 1 .. coalesce(array_length(schemas, 1), 0) loop
      target_schema := schemas[i];
      target_name := names[i];
      rel := to_regclass(format('%I.%I', target_schema, target_name));
      if rel is null then
        if not missing_ok then
          raise exception using errcode = 'undefined_table',
            message = format('The table %I.%I does not exist: is its mapping created (or the development schema)?', target_schema, target_name);
        end if;
        status := 'missing';
        return next;
        continue;
      end if;
      if not ${S}.capture_in_place(rel) then
        -- Another session may be putting them back: wait for it, then look again.
        perform pg_advisory_xact_lock(${DDL_LOCK});
      end if;
      if ${S}.capture_in_place(rel) then
        update ${S}.captured_table c set checked_at = now(), relid = rel
        where c.table_schema = target_schema and c.table_name = target_name;
        if not found then
          insert into ${S}.captured_table (table_schema, table_name, relid) values (target_schema, target_name, rel);
        end if;
        status := 'ok';
        return next;
        continue;
      end if;
      execute format('drop trigger if exists %I on %s', ${literal(CAPTURE_TRIGGER)}, rel);
      execute format('drop trigger if exists %I on %s', ${literal(TRUNCATE_TRIGGER)}, rel);
      execute format('create trigger %I after insert or update or delete on %s for each row when (%s) execute function ${S}.capture()',
        ${literal(CAPTURE_TRIGGER)}, rel, ${literal(FROM_HEROKU_CONNECT)});
      execute format('create trigger %I after truncate on %s for each statement execute function ${S}.capture_truncate()',
        ${literal(TRUNCATE_TRIGGER)}, rel);
      select c.relid, c.checked_at into known from ${S}.captured_table c
      where c.table_schema = target_schema and c.table_name = target_name;
      if found then
        perform ${S}.resync(target_schema, target_name,
          case when known.relid = rel::oid then 'trigger-missing' else 'table-recreated' end, known.checked_at);
        update ${S}.captured_table c set relid = rel, installed_at = now(), checked_at = now()
        where c.table_schema = target_schema and c.table_name = target_name;
        status := 'reinstalled';
      else
        insert into ${S}.captured_table (table_schema, table_name, relid) values (target_schema, target_name, rel);
        status := 'installed';
      end if;
      return next;
    end loop;
  end;
  $ensure$;

  delete from ${S}.meta;
  insert into ${S}.meta (version) values (${FEED_VERSION});
end
$install$`;
}
