import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSql, writeTargetsOf } from '../../src/guard/sql-writes.ts';

const targets = (text: string) => writeTargetsOf(text).map((t) => `${t.operation} ${t.schema ?? '?'}.${t.name}`);

test('finds the written table of each data-changing statement', () => {
  assert.deepEqual(targets('insert into "salesforce"."user" ("name") values ($1)'), ['insert salesforce.user']);
  assert.deepEqual(targets('UPDATE ONLY Salesforce.Contact AS c SET name = 1'), ['update salesforce.contact']);
  assert.deepEqual(targets('delete from only "User" *'), ['delete ?.User']);
  assert.deepEqual(targets('merge into sf.account a using x on true when matched then update set n = 1 when not matched then insert values (1)'), ['merge sf.account']);
  assert.deepEqual(targets('truncate table a, only sf.b *, "C" restart identity'), ['truncate ?.a', 'truncate sf.b', 'truncate ?.C']);
  assert.deepEqual(targets('copy sf.lead (company) from stdin'), ['copy from sf.lead']);
  assert.deepEqual(targets('with d as (delete from sf.lead returning *) insert into log select * from d'), ['delete sf.lead', 'insert ?.log']);
  assert.deepEqual(targets("do language plpgsql $body$ begin update sf.lead set company = 'x'; end $body$"), ['update sf.lead']);
});

test('ignores reads, row locks, conflict actions, comments and literals', () => {
  assert.deepEqual(targets('select * from sf.lead for update of lead nowait'), []);
  assert.deepEqual(targets('select * from sf.lead for no key update'), []);
  assert.deepEqual(targets('insert into app (a) values (1) on conflict (a) do update set a = 2'), ['insert ?.app']);
  assert.deepEqual(targets("select 'delete from sf.lead', $$update sf.lead$$ -- insert into sf.lead\n /* truncate /* nested */ sf.lead */"), []);
  assert.deepEqual(targets('select "delete" from sf.lead where "update" = 1'), []);
  assert.deepEqual(targets('copy sf.lead to stdout'), []);
  assert.deepEqual(targets('update app set x = 1 from sf.lead'), ['update ?.app']);
  assert.deepEqual(targets("select E'it\\'s', 'it''s' from t"), []);
});

test('returns the same parse for the same text (cached)', () => {
  const text = 'delete from sf.cached_example';
  assert.equal(writeTargetsOf(text), writeTargetsOf(text));
});

test('reads code bodies as SQL: DO blocks, functions and procedures, dynamic SQL in their strings', () => {
  assert.deepEqual(targets(`do $$ begin execute 'delete from sf.lead'; end $$`), ['delete sf.lead']);
  // A name computed at run time cannot be read off the text.
  assert.deepEqual(targets(`do $$ begin execute format('update %I set x = 1', 'lead'); end $$`), []);
  assert.deepEqual(targets('create function f() returns void language sql as $$ insert into sf.lead default values $$'), ['insert sf.lead']);
  assert.deepEqual(targets("create or replace procedure p() language plpgsql as 'begin execute ''truncate sf.lead''; end'"), ['truncate sf.lead']);
  assert.deepEqual(targets('create function f() returns void language sql begin atomic delete from sf.lead; end'), ['delete sf.lead']);
  // Literals outside code stay data.
  assert.deepEqual(targets("create table t (note text default 'delete from sf.lead')"), []);
  assert.deepEqual(targets("select 'delete from sf.lead'"), []);
});

test('lists the targets of code in the order they appear, each once', () => {
  assert.deepEqual(targets(`do $$ begin delete from sf.a; execute 'update sf.b set x = 1'; insert into sf.c default values; end $$`), [
    'delete sf.a',
    'update sf.b',
    'insert sf.c',
  ]);
  assert.deepEqual(targets(`do $$ begin execute 'do $i$ begin delete from sf.a; end $i$'; end $$`), ['delete sf.a']);
});

test('reads plpgsql statements after THEN, ELSE, LOOP and EXCEPTION ... THEN, and rule actions after DO', () => {
  assert.deepEqual(targets('do $$ begin if x then update sf.a set n = 1; elsif y then delete from sf.b; else insert into sf.c values (1); end if; end $$'), [
    'update sf.a',
    'delete sf.b',
    'insert sf.c',
  ]);
  assert.deepEqual(targets('do $$ begin case when x then update sf.a set n = 1; end case; end $$'), ['update sf.a']);
  assert.deepEqual(targets('do $$ begin for r in select * from t for update loop update sf.a set n = 1; end loop; end $$'), ['update sf.a']);
  assert.deepEqual(targets('do $$ begin null; exception when others then update sf.a set n = 1; end $$'), ['update sf.a']);
  assert.deepEqual(targets('create rule r as on insert to app do also update sf.a set n = 1'), ['update sf.a']);
  assert.deepEqual(targets('create or replace rule r as on update to app do instead (update only (sf.a) set n = 1; delete from sf.b)'), ['update sf.a', 'delete sf.b']);
  // Not statements: conflict and merge actions, row locks, referential actions, trigger events.
  assert.deepEqual(targets('insert into app values (1) on conflict do update set n = 1'), ['insert ?.app']);
  assert.deepEqual(targets('create table t (a int references b on update set null on delete cascade)'), []);
  assert.deepEqual(targets('create trigger t before update of n on sf.a for each row execute function f()'), []);
});

test('skips what a plain EXPLAIN explains, and RAISE / ASSERT messages', () => {
  assert.deepEqual(targets('explain delete from sf.a'), []);
  assert.deepEqual(targets('explain (verbose, analyze off) update sf.a set n = 1'), []);
  assert.deepEqual(targets('explain analyze delete from sf.a'), ['delete sf.a']);
  assert.deepEqual(targets('explain (format json, analyze) delete from sf.a'), ['delete sf.a']);
  assert.deepEqual(targets('explain select 1; delete from sf.a'), ['delete sf.a']);
  assert.deepEqual(targets(`do $$ begin raise notice 'update sf.a set n = 1'; raise exception using message = 'delete from sf.b'; end $$`), []);
  assert.deepEqual(targets(`do $$ begin raise notice '%', 'delete from sf.b'; end $$`), ['delete sf.b']);
});

test('reads text as PostgreSQL does: CR ends a line comment, escapes are decoded, names truncated to 63 bytes', () => {
  assert.deepEqual(targets('select 1 -- c\rdelete from sf.a'), ['delete sf.a']);
  assert.deepEqual(targets(`do U&'begin !0064elete from sf.a; end' UESCAPE '!'`), ['delete sf.a']);
  assert.deepEqual(targets(`do E'begin \\x64elete from sf.a; end'`), ['delete sf.a']);
  assert.deepEqual(targets('delete from U&"\\0073f".a'), ['delete sf.a']);
  assert.deepEqual(targets(`do 'begin delete from s'\n'f.a; end'`), ['delete sf.a']);
  // Both readings of a backslash: standard_conforming_strings on, then off.
  assert.deepEqual(targets(`select 'x\\'; delete from sf.a; --'`), ['delete sf.a']);
  assert.deepEqual(targets(`select 'x\\''; delete from sf.b; --'`), ['delete sf.b']);
  assert.deepEqual(targets(`delete from sf.${'a'.repeat(70)}`), [`delete sf.${'a'.repeat(63)}`]);
  assert.deepEqual(targets('delete from SF.Ä'), ['delete sf.Ä']);
});

test('reads what a text does to the search_path, however the name is spelled', () => {
  const change = (text: string) => readSql(text).searchPath;
  assert.deepEqual(change('set search_path to sf, "$user", public'), { schemas: ['sf', '$user', 'public'], unknown: false });
  assert.deepEqual(change('SET LOCAL "search_path" = \'sf, public\''), { schemas: ['sf', 'public'], unknown: false });
  assert.deepEqual(change('set U&"search\\005fpath" = sf'), { schemas: ['sf'], unknown: false });
  assert.deepEqual(change(`select pg_catalog."set_config"('search_path', 'sf', false)`), { schemas: ['sf'], unknown: false });
  assert.deepEqual(change(`select set_config('search_path', $1, false)`), { schemas: [], unknown: true });
  assert.deepEqual(change('alter role app set search_path = sf'), { schemas: ['sf'], unknown: false });
  assert.deepEqual(change('set role sf'), { schemas: ['sf'], unknown: false });
  assert.deepEqual(change(`select set_config('app.user_id', $1, true)`), { schemas: [], unknown: false });
  assert.deepEqual(change(`select current_setting('search_path')`), { schemas: [], unknown: false });
});

test("reads dblink's SQL argument as code (its own connection may reach this database)", () => {
  assert.deepEqual(targets(`select dblink_exec('dbname=app', 'delete from sf.a')`), ['delete sf.a']);
  assert.deepEqual(targets(`select * from dblink('dbname=app', E'\\x64elete from sf.a returning 1') as t(n int)`), ['delete sf.a']);
  assert.deepEqual(targets(`select dblink_exec('dbname=app', 'select 1'), 'delete from sf.a'`), []);
});
