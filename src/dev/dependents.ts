/**
 * What `drop schema ... cascade` would take with it outside the schema:
 * foreign keys of app tables, views and materialized views over the Heroku
 * Connect tables, tables inheriting from them, columns of their row types,
 * defaults calling their functions, ... — everything PostgreSQL's own
 * cascade follows (pg_depend, as `findDependentObjects` walks it: normal,
 * automatic, internal and partition dependencies, and the owner of an
 * internal part), minus the parts of objects already listed: an internal
 * part (a view's rule and row type, a toast table), or an automatic one
 * (a default, an index) of a listed object or, for objects that live in no
 * schema, of an object in the dropped schemas.
 */
import { sql, type SQL } from 'drizzle-orm';
import { executeRows, type AnyPgDatabase } from '../compat.ts';
import { HcDrizzleError } from '../errors.ts';

/** An object outside the dropped schemas that the drop would take with it. */
export interface DependentObject {
  /** PostgreSQL's kind of object: `view`, `materialized view`, `table constraint`, `table column`, ... */
  readonly type: string;
  /** Its identity as PostgreSQL writes it: `public.account_names`, `orders_account_fk on public.orders`. */
  readonly identity: string;
}

/** The trigger log's and Heroku Connect's own tables in its schema (§2.3, §3.1). */
const MACHINERY_TABLES = ['_trigger_log', '_trigger_log_archive', '_hcmeta', '_sf_event_log'];

/** `values` as one SQL `text[]`, each a bound parameter. */
const textArray = (values: readonly string[]): SQL => sql`array[${sql.join(values.map((value) => sql`${value}`), sql`, `)}]::text[]`;

/** `view public.account_names`: how a dependent is shown and named in `--also-drop`. */
export const dependentName = (object: DependentObject): string => `${object.type} ${object.identity}`;

/**
 * The objects outside `schemas` that dropping them with CASCADE would drop,
 * in a stable order.
 */
export async function dependentsOutside(db: AnyPgDatabase, schemas: readonly string[]): Promise<DependentObject[]> {
  const names = textArray(schemas);
  return executeRows<DependentObject>(
    db,
    sql`with recursive reached(classid, objid, objsubid) as (
  select 'pg_catalog.pg_namespace'::regclass::oid, oid, 0 from pg_catalog.pg_namespace where nspname = any(${names})
  union
  select case when forward then d.classid else d.refclassid end,
         case when forward then d.objid else d.refobjid end,
         case when forward then d.objsubid else d.refobjsubid end
  from reached r
  join pg_catalog.pg_depend d on
       (d.refclassid = r.classid and d.refobjid = r.objid and (r.objsubid = 0 or d.refobjsubid = r.objsubid)
        and d.deptype in ('n', 'a', 'i', 'P', 'S'))
    or (d.classid = r.classid and d.objid = r.objid and (r.objsubid = 0 or d.objsubid = r.objsubid) and d.deptype = 'i')
  cross join lateral (select d.refclassid = r.classid and d.refobjid = r.objid as forward) f
)
select distinct o.type, o.identity
from reached r
cross join lateral pg_catalog.pg_identify_object(r.classid, r.objid, r.objsubid) o
where r.classid <> 'pg_catalog.pg_namespace'::regclass
  and (o.schema is null or not o.schema = any(${names}))
  and not exists (
    select 1 from pg_catalog.pg_depend d
    join reached p on d.refclassid = p.classid and d.refobjid = p.objid and (p.objsubid = 0 or d.refobjsubid = p.objsubid)
    cross join lateral pg_catalog.pg_identify_object(p.classid, p.objid, p.objsubid) po
    where d.classid = r.classid and d.objid = r.objid and d.objsubid = r.objsubid and d.deptype in ('i', 'a')
      and not (p.classid = r.classid and p.objid = r.objid)
      and (d.deptype = 'i' or o.schema is null or po.schema is null or not po.schema = any(${names})))
order by 1, 2`,
  );
}

/**
 * The objects inside `schemas` that neither Heroku Connect nor the
 * development schema makes, which dropping the schema would take too: the
 * app's own tables, views, materialized views, sequences, functions and
 * types put there. Heroku Connect's are its mapped tables (they have
 * `_hc_lastop`, also those of hcTables since removed from the code), the
 * trigger log tables, `_hcmeta`, `_sf_event_log`, and the `hc_*` and
 * `tlog_notify_trigger` functions, with their parts.
 */
export async function foreignObjectsInside(db: AnyPgDatabase, schemas: readonly string[]): Promise<DependentObject[]> {
  const names = textArray(schemas);
  const machinery = textArray(MACHINERY_TABLES);
  return executeRows<DependentObject>(
    db,
    sql`select o.type, o.identity from (
  select 'pg_catalog.pg_class'::regclass::oid as classid, c.oid as objid
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = any(${names}) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
    and not (c.relkind in ('r', 'p') and (c.relname = any(${machinery})
      or exists (select 1 from pg_catalog.pg_attribute a where a.attrelid = c.oid and a.attname = '_hc_lastop' and not a.attisdropped)))
    -- a sequence owned by a column is a part of its table
    and not (c.relkind = 'S' and exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
  union all
  select 'pg_catalog.pg_proc'::regclass::oid, p.oid
  from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  where n.nspname = any(${names}) and not (p.proname like 'hc\_%' or p.proname = 'tlog_notify_trigger')
  union all
  select 'pg_catalog.pg_type'::regclass::oid, t.oid
  from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
  where n.nspname = any(${names})
    and (t.typtype in ('d', 'e', 'r', 'm') or (t.typtype = 'c' and (select c.relkind from pg_catalog.pg_class c where c.oid = t.typrelid) = 'c'))
) x
cross join lateral pg_catalog.pg_identify_object(x.classid, x.objid, 0) o
order by 1, 2`,
  );
}

/**
 * `force` would drop objects outside the Heroku Connect schema, or the
 * app's own inside it, that nobody named. Exit 2; nothing was dropped. `.objects` lists them.
 */
export class DependentObjectsError extends HcDrizzleError {
  readonly objects: readonly DependentObject[];
  constructor(schemas: readonly string[], objects: readonly DependentObject[]) {
    const listed = objects.map(dependentName);
    super(
      'HC_DROP_DEPENDENTS',
      `Refusing --force: dropping ${schemas.join(', ')} would also drop ${objects.length} object${objects.length === 1 ? '' : 's'} Heroku Connect did not make (${listed.join('; ')}); nothing was dropped: remove ${objects.length === 1 ? 'it' : 'them'} first, or name each to drop with ${listed.map((name) => `--also-drop ${JSON.stringify(name)}`).join(' ')} (alsoDrop in the library).`,
      { exitCode: 2 },
    );
    this.objects = objects;
  }
}

/** The dependents `alsoDrop` does not name (by `type identity` or by identity alone). */
export function unnamedDependents(objects: readonly DependentObject[], alsoDrop: readonly string[]): DependentObject[] {
  const named = new Set(alsoDrop.map((name) => name.trim()));
  return objects.filter((object) => !named.has(dependentName(object)) && !named.has(object.identity));
}
