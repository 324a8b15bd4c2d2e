/**
 * What a database holds in its Heroku Connect schema, read from `pg_catalog`:
 * the mapped tables with their columns, types, lengths and indexes. Heroku
 * Connect's own objects are left out (heroku-connect.md §2.3): its tables all
 * start with `_` (`_trigger_log`, `_trigger_log_archive`, `_hcmeta`,
 * `_sf_event_log`), which no Salesforce object name can, and sequences,
 * functions and triggers are not tables. Three catalog queries, whatever the
 * number of tables, through any driver `executeRows` serves.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type AnyPgDatabase } from '../compat.ts';
import { parseColumnType } from '../columns/sql-type.ts';
import { schemaSetting } from '../settings/settings.ts';

/** One column of a mapped table. */
export interface IntrospectedColumn {
  readonly name: string;
  /** As `pg_catalog.format_type` spells it, without the length (`character varying`, `timestamp without time zone`). */
  readonly type: string;
  /** The varchar length, when it has one. */
  readonly length?: number;
  readonly notNull: boolean;
}

/** One index of a mapped table. */
export interface IntrospectedIndex {
  readonly name: string;
  /** The indexed columns in order; empty when an expression is part of the index. */
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly primary: boolean;
  /** Has a WHERE clause or an expression: not an index Heroku Connect makes from a mapping. */
  readonly partial: boolean;
}

/** One table of the Heroku Connect schema (a mapped object's, by its name). */
export interface IntrospectedTable {
  readonly name: string;
  /** In the table's column order. */
  readonly columns: readonly IntrospectedColumn[];
  /** By name. */
  readonly indexes: readonly IntrospectedIndex[];
}

/** The Heroku Connect schema of a database. */
export interface IntrospectedHerokuConnect {
  readonly schema: string;
  /** Whether the schema exists at all. */
  readonly exists: boolean;
  /** The mapped tables, by name; Heroku Connect's own are left out. */
  readonly tables: readonly IntrospectedTable[];
}

/** Options of {@link introspectHerokuConnect}. */
export interface IntrospectOptions {
  /** The Heroku Connect schema; default the `HEROKU_CONNECT_SCHEMA` setting, else `salesforce`. */
  readonly schema?: string;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  column_type: string;
  not_null: boolean;
}

interface IndexColumnRow {
  table_name: string;
  index_name: string;
  is_unique: boolean;
  is_primary: boolean;
  is_partial: boolean;
  column_name: string | null;
}

/**
 * Read the Heroku Connect schema of a database: node-postgres, Neon (both
 * drivers), PGlite, or a transaction of any of them.
 *
 * @example
 * const found = await introspectHerokuConnect(db, { schema: 'salesforce' });
 * found.tables.map((table) => table.name); // ['account', 'contact']
 */
export async function introspectHerokuConnect(db: AnyPgDatabase, options: IntrospectOptions = {}): Promise<IntrospectedHerokuConnect> {
  const schema = options.schema ?? schemaSetting();
  // Rows come sorted, so tables and their parts are grouped in one pass; booleans and text only, which every driver parses alike.
  const [exists] = await executeRows<{ found: boolean }>(
    db,
    sql`select exists (select 1 from pg_catalog.pg_namespace where nspname = ${schema}) as found`,
  );
  const columnRows = await executeRows<ColumnRow>(
    db,
    sql`select c.relname as table_name, a.attname as column_name,
          pg_catalog.format_type(a.atttypid, a.atttypmod) as column_type, a.attnotnull as not_null
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition and left(c.relname, 1) <> '_'
        order by c.relname, a.attnum`,
  );
  const indexRows = await executeRows<IndexColumnRow>(
    db,
    sql`select t.relname as table_name, i.relname as index_name, x.indisunique as is_unique, x.indisprimary as is_primary,
          (x.indpred is not null or x.indexprs is not null) as is_partial, a.attname as column_name
        from pg_catalog.pg_index x
        join pg_catalog.pg_class i on i.oid = x.indexrelid
        join pg_catalog.pg_class t on t.oid = x.indrelid
        join pg_catalog.pg_namespace n on n.oid = t.relnamespace
        cross join lateral unnest(x.indkey::smallint[]) with ordinality as k(attnum, position)
        left join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum and k.attnum > 0
        where n.nspname = ${schema} and t.relkind in ('r', 'p') and not t.relispartition and left(t.relname, 1) <> '_'
          and k.position <= x.indnkeyatts
        order by t.relname, i.relname, k.position`,
  );

  const columnsByTable = new Map<string, IntrospectedColumn[]>();
  for (const row of columnRows) {
    let columns = columnsByTable.get(row.table_name);
    if (columns === undefined) columnsByTable.set(row.table_name, (columns = []));
    columns.push({ name: row.column_name, ...parseColumnType(row.column_type), notNull: asBoolean(row.not_null) });
  }
  const indexesByTable = new Map<string, Map<string, IntrospectedIndex & { columns: string[] }>>();
  const withExpressions = new Set<IntrospectedIndex>();
  for (const row of indexRows) {
    let indexes = indexesByTable.get(row.table_name);
    if (indexes === undefined) indexesByTable.set(row.table_name, (indexes = new Map()));
    let index = indexes.get(row.index_name);
    if (index === undefined) {
      index = {
        name: row.index_name,
        columns: [],
        unique: asBoolean(row.is_unique),
        primary: asBoolean(row.is_primary),
        partial: asBoolean(row.is_partial),
      };
      indexes.set(row.index_name, index);
    }
    if (row.column_name === null) withExpressions.add(index);
    else index.columns.push(row.column_name);
  }
  const tables = [...columnsByTable].map(([name, columns]) => ({
    name,
    columns,
    indexes: [...(indexesByTable.get(name)?.values() ?? [])].map((index) =>
      withExpressions.has(index) ? { ...index, columns: [] } : index,
    ),
  }));
  return { schema, exists: asBoolean(exists?.found), tables };
}

/** PostgreSQL's boolean, whether the driver parsed it or sent its text (`t`). */
function asBoolean(value: unknown): boolean {
  return value === true || value === 't' || value === 'true';
}
