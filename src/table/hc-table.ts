/**
 * `hcTable()`: a real Drizzle table in the Heroku Connect schema, with
 * Heroku Connect's system columns and the Salesforce object metadata.
 */
import { boolean, serial, text, timestamp, varchar, type PgTableExtraConfigValue } from 'drizzle-orm/pg-core';
import { existingPgSchema, pgSchema, pgTable, type AnyPgColumnBuilder, type PgExtraConfigColumnsOf, type PgTableOf } from '../compat.ts';
import { recordSfObject, READ_ONLY, type SF_OBJECT, type SfObjectMeta } from '../metadata.ts';
import { schemaSetting } from '../settings/settings.ts';
import { sfField } from '../columns/field.ts';
import { SF_ID_LENGTH } from '../columns/id.ts';
import type { SfLookupParent } from '../columns/lookup.ts';

/** Salesforce objects that have no `IsDeleted` field (heroku-connect.md §2.2). */
export const OBJECTS_WITHOUT_IS_DELETED = ['User', 'RecordType', 'EmailTemplate'] as const;
type ObjectWithoutIsDeleted = (typeof OBJECTS_WITHOUT_IS_DELETED)[number];

/** The field Heroku Connect polls on and indexes, unless an object has none (heroku-connect.md §2.2, §2.5). */
export const SYSTEM_MODSTAMP = 'SystemModstamp';

/** Heroku Connect's defaults for a new mapping (django-heroku-connect, heroku-connect.md §4.1). */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export const DEFAULT_POLLING_SECONDS = 600;
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export const DEFAULT_MAX_DAILY_API_CALLS = 30000;

/** A modstamp field's column key: the field name with a lower-case first letter (`LastModifiedDate` → `lastModifiedDate`). */
function modstampKeyOf(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

/** The system columns every hcTable gets, but the modstamp field's. */
function fixedSystemColumns() {
  return {
    /** Heroku Connect's surrogate key: never a foreign-key target (heroku-connect.md §2.2). */
    id: serial('id').primaryKey(),
    /** The Salesforce record Id; NULL until a local insert reaches Salesforce. */
    sfid: sfField(varchar('sfid', { length: SF_ID_LENGTH }).unique(), 'Id', 'id', {}, { length: SF_ID_LENGTH }),
    isDeleted: sfField(boolean('isdeleted'), 'IsDeleted', 'checkbox', {}),
    /** The last sync operation Heroku Connect performed on the row. */
    hcLastop: varchar('_hc_lastop', { length: 32 }),
    /** JSON describing the last failed sync, else NULL. */
    hcErr: text('_hc_err'),
  };
}

/** SystemModstamp, or the field standing in for it: polled on, indexed (heroku-connect.md §2.2, §2.5). */
function modstampColumn<M extends string>(field: M) {
  return sfField(timestamp(field.toLowerCase() as Lowercase<M>, { mode: 'date' }), field, 'datetime', { index: true });
}

function systemColumns(modstampField: string, withIsDeleted: boolean): Record<string, AnyPgColumnBuilder> {
  const { id, sfid, isDeleted, hcLastop, hcErr } = fixedSystemColumns();
  // Heroku Connect's column order: id, sfid, the modstamp, isdeleted, then its own columns.
  return { id, sfid, [modstampKeyOf(modstampField)]: modstampColumn(modstampField), ...(withIsDeleted ? { isDeleted } : {}), hcLastop, hcErr };
}

type SystemColumns = ReturnType<typeof fixedSystemColumns>;

/** The column of the modstamp field `M`, keyed `systemModstamp` for SystemModstamp. */
type ModstampColumn<M extends string> = { [K in Uncapitalize<M>]: ReturnType<typeof modstampColumn<M>> };

/** Whether the object `O` has IsDeleted: as `isDeleted` says, else all but User, RecordType and EmailTemplate. */
type HasIsDeleted<O extends string, D extends boolean | undefined> = D extends boolean
  ? D
  : O extends ObjectWithoutIsDeleted
    ? false
    : true;

/**
 * The system columns an hcTable for the object `O` gets: `M` is the field
 * Heroku Connect polls on (SystemModstamp unless the object has none), `D`
 * the `isDeleted` option.
 */
export type HcSystemColumns<
  O extends string,
  M extends string = typeof SYSTEM_MODSTAMP,
  D extends boolean | undefined = undefined,
> = Omit<SystemColumns, 'isDeleted'> &
  ModstampColumn<M> &
  (HasIsDeleted<O, D> extends true ? Pick<SystemColumns, 'isDeleted'> : unknown);

/** Options of {@link hcTable}. */
export interface HcTableOptions<
  TAccess extends string,
  TTableName extends string,
  TColumns extends Record<string, AnyPgColumnBuilder>,
  TModstamp extends string = string,
  TIsDeleted extends boolean | undefined = boolean | undefined,
> {
  /** `'read_only'` (default) or `'read_write'`. */
  readonly access?: TAccess;
  /** Accelerated polling through the Streaming API (default false). */
  readonly notifyEnabled?: boolean;
  /** Polling interval in seconds (default 600). */
  readonly pollingSeconds?: number;
  /** Heroku Connect's daily API call cap for the mapping (default 30000). */
  readonly maxDailyApiCalls?: number;
  /** The Heroku Connect schema; default the `HEROKU_CONNECT_SCHEMA` setting, else `salesforce`. */
  readonly schema?: string;
  /** The table name; default the object name lower-cased. */
  readonly tableName?: TTableName;
  /**
   * For objects without SystemModstamp (heroku-connect.md §2.5): the
   * timestamp field Heroku Connect maps, indexes and polls on in its place,
   * `'LastModifiedDate'` for share objects (AccountShare, `X__Share`) and
   * `'CreatedDate'` for history objects (AccountHistory, `X__History`). The
   * system column is then keyed after it (`lastModifiedDate`). Default
   * `'SystemModstamp'`.
   */
  readonly modstampField?: TModstamp;
  /**
   * Whether the object has an IsDeleted field, mapped to the `isDeleted`
   * system column. Default true, except for User, RecordType and
   * EmailTemplate (heroku-connect.md §2.2).
   */
  readonly isDeleted?: TIsDeleted;
  /** Indexes and uniques, as pgTable's third argument. */
  readonly extraConfig?: (self: PgExtraConfigColumnsOf<TTableName, TColumns>) => PgTableExtraConfigValue[];
}

type LookupTraces<TCols> = {
  readonly [K in keyof TCols as TCols[K] extends SfLookupParent<infer _P> ? K : never]: TCols[K] extends SfLookupParent<
    infer P
  >
    ? SfLookupParent<P>
    : never;
};

/** The type of an hcTable: a Drizzle pg table plus its Salesforce traces. */
export type HcTable<
  TTableName extends string,
  TColumns extends Record<string, AnyPgColumnBuilder>,
  TAccess extends string,
> = PgTableOf<TTableName, TColumns> &
  LookupTraces<TColumns> & { readonly [SF_OBJECT]: SfObjectMeta & { readonly access: TAccess } };

const schemas = new Map<string, ReturnType<typeof pgSchema>>();
function schemaNamed(name: string) {
  let schema = schemas.get(name);
  if (schema === undefined) schemas.set(name, (schema = pgSchema(name)));
  return schema;
}

/**
 * Heroku Connect's schema for drizzle-kit's schema files, on drizzle-orm 1.0:
 * `pgSchema(name).existing()` (default the `HEROKU_CONNECT_SCHEMA` setting,
 * else `salesforce`). Exported from a file in drizzle-kit's `schema`, it keeps
 * `push`, `pull` and `studio` off the schema even when `schemaFilter` lists it,
 * and `generate` never writes `CREATE SCHEMA` for it. It does not keep
 * hcTables out of `generate`: those still belong in a module drizzle-kit does
 * not load (`hc-drizzle check` warns, W141). `undefined` on 0.45, which has no
 * `.existing()` for schemas (an exported `pgSchema` would make `generate`
 * write `CREATE SCHEMA` there).
 * @example
 * // src/db/app/schema.ts (drizzle-kit's `schema`)
 * export const herokuConnect = herokuConnectSchemaForDrizzleKit();
 */
export function herokuConnectSchemaForDrizzleKit(name: string = schemaSetting()): ReturnType<typeof pgSchema> | undefined {
  return existingPgSchema(name);
}

/**
 * Define a Heroku Connect table: a real Drizzle `PgTable` named after the
 * Salesforce object, in the Heroku Connect schema, with the system columns
 * `id`, `sfid`, `systemModstamp`, `isDeleted`, `hcLastop`, `hcErr`
 * (`modstampField` and `isDeleted` describe objects without SystemModstamp
 * or IsDeleted).
 *
 * Never throws on a wrong object name or access value: `hc-drizzle check`
 * reports them (E001, E002) with the place.
 *
 * @example
 * export const account = hcTable('Account', {
 *   name: sfText('Name'),
 *   externalId: sfExternalId('External_ID__c'),
 * }, { access: READ_WRITE });
 * export const accountShare = hcTable('AccountShare', {}, { modstampField: 'LastModifiedDate' });
 */
// @__NO_SIDE_EFFECTS__
export function hcTable<
  const TObjectName extends string,
  TColumns extends Record<string, AnyPgColumnBuilder>,
  const TAccess extends string = typeof READ_ONLY,
  const TTableName extends string = Lowercase<TObjectName>,
  const TModstamp extends string = typeof SYSTEM_MODSTAMP,
  const TIsDeleted extends boolean | undefined = undefined,
>(
  objectName: TObjectName,
  columns: TColumns,
  options: HcTableOptions<
    TAccess,
    TTableName,
    HcSystemColumns<TObjectName, TModstamp, TIsDeleted> & TColumns,
    TModstamp,
    TIsDeleted
  > = {},
): HcTable<TTableName, HcSystemColumns<TObjectName, TModstamp, TIsDeleted> & TColumns, TAccess> {
  const modstampField = options.modstampField ?? SYSTEM_MODSTAMP;
  const isDeleted = options.isDeleted ?? !(OBJECTS_WITHOUT_IS_DELETED as readonly string[]).includes(objectName);
  // The system columns first, then the user's (a user column of the same key replaces one in place), as
  // `{ ...system, ...columns }` would: assigned one by one, because V8 spreads a large object into a literal
  // slowly and leaves it slow for Drizzle to read (about 60 ms per 1,000 tables; scripts/bench/cli.bench.ts).
  const allColumns: Record<string, unknown> = systemColumns(modstampField, isDeleted);
  for (const key of Object.keys(columns ?? {})) allColumns[key] = columns[key];
  // Plain JavaScript may pass no name at all: still build the table, so `check` reports E001 with its place.
  const tableName = options.tableName ?? String(objectName ?? '').toLowerCase();
  const schema = options.schema ?? schemaSetting();
  const table =
    schema === 'public'
      ? pgTable(tableName, allColumns as TColumns, options.extraConfig as never)
      : schemaNamed(schema).table(tableName, allColumns as TColumns, options.extraConfig as never);
  return recordSfObject(
    table,
    {
      objectName,
      access: options.access ?? READ_ONLY,
      notifyEnabled: options.notifyEnabled ?? false,
      pollingSeconds: options.pollingSeconds ?? DEFAULT_POLLING_SECONDS,
      maxDailyApiCalls: options.maxDailyApiCalls ?? DEFAULT_MAX_DAILY_API_CALLS,
      modstampField,
      isDeleted,
    },
  ) as unknown as HcTable<TTableName, HcSystemColumns<TObjectName, TModstamp, TIsDeleted> & TColumns, TAccess>;
}
