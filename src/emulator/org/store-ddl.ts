/**
 * The emulated org lives in the same database as the Heroku Connect schema,
 * in a schema of its own (`hc_emulator` by default, never Heroku Connect's),
 * so one transaction covers a record's change in the org and the trigger
 * log's state: a crash loses neither and duplicates nothing.
 */
import { ident, literal, qualified } from '../../dev/sql-text.ts';
import type { OrgObject } from './objects.ts';

/** Tables of the org store, created if missing (the org outlives the emulator process). */
export function orgStoreDdl(schema: string): string[] {
  const q = (name: string) => qualified(schema, name);
  return [
    `create schema if not exists ${ident(schema)}`,
    // One row: the org's identity and whether its fixtures' records were seeded.
    `create table if not exists ${q('org')} (
  singleton boolean primary key default true check (singleton),
  organization_id varchar(18) not null,
  user_id varchar(18) not null,
  seeded boolean not null default false,
  created_at timestamp with time zone not null default now()
)`,
    `create table if not exists ${q('key_prefix')} (object_name varchar(80) primary key, key_prefix varchar(3) not null unique)`,
    `create sequence if not exists ${q('record_number')}`,
    `create sequence if not exists ${q('change_number')}`,
    // fields: every field by its describe name, as the REST API returns it.
    `create table if not exists ${q('record')} (
  id varchar(18) primary key,
  object_name varchar(80) not null,
  fields jsonb not null,
  system_modstamp timestamp with time zone not null,
  is_deleted boolean not null default false,
  deleted_date timestamp with time zone,
  change_number bigint not null,
  -- The last change came from Heroku Connect's own write: its poll has nothing to bring back.
  changed_by_connect boolean not null default false
)`,
    `create index if not exists ${ident('record_changes')} on ${q('record')} (object_name, change_number)`,
    `create index if not exists ${ident('record_modstamps')} on ${q('record')} (object_name, system_modstamp)`,
    // How far Heroku Connect's poll has read each object's changes.
    `create table if not exists ${q('poll')} (object_name varchar(80) primary key, polled_change bigint not null, polled_at timestamp with time zone not null)`,
  ];
}

/** The expression for a field's value in `record.fields`, as the lookup indexes spell it. */
export function fieldValueExpression(field: string, alias = 'fields'): string {
  return `lower(${alias} ->> ${literal(field)})`;
}

/**
 * Per object, an index on each External ID and unique field's value (case-insensitive, as
 * Salesforce compares them), unique for unique fields: upserts find their
 * record through them, and the database enforces DUPLICATE_VALUE too.
 */
export function orgIndexesDdl(schema: string, objects: Iterable<OrgObject>): string[] {
  const statements: string[] = [];
  for (const object of objects) {
    for (const field of object.fields) {
      if (!field.externalId && !field.unique) continue;
      const name = `record_${object.keyPrefix}_${field.name.toLowerCase()}`.slice(0, 63);
      statements.push(
        `create ${field.unique ? 'unique ' : ''}index if not exists ${ident(name)} on ${qualified(schema, 'record')} (${fieldValueExpression(field.name)})
  where object_name = ${literal(object.name)} and not is_deleted`,
      );
    }
  }
  return statements;
}
