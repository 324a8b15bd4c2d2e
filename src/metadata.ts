/**
 * The Salesforce metadata that the builders record, and the only way to read it.
 *
 * Builders (`sf*`, `hcTable`) write it once under `Symbol.for` keys, so it
 * survives a user's schema being loaded with another copy of drizzle-orm or of
 * this package (drizzle-notes.md §1). A field's metadata sits on the config
 * object its Drizzle builder shares with every column built from it, so
 * hcTable copies nothing per column (that copy cost about 18 ms per 40,000
 * fields: scripts/bench/cli.bench.ts); a table's sits on the table.
 * Everything else (mapping, checks, guard, dev schema, trigger log) reads it
 * through the functions below.
 */
import { getTableColumns, isPgTable, sharedColumnConfigOf, type PgColumn, type PgTable } from './compat.ts';
import type { SfFieldKind } from './columns/kinds.ts';

/** Key of a field's {@link SfFieldMeta} on the config its builder shares with its columns (read it with {@link sfFieldOf}). */
export const SF_FIELD: unique symbol = Symbol.for('hc-drizzle:sf-field') as never;
/** Key of an hcTable's {@link SfObjectMeta}. */
export const SF_OBJECT: unique symbol = Symbol.for('hc-drizzle:sf-object') as never;

/** Heroku Connect access values (heroku-connect.md §4.1 `config.access`). */
export const READ_ONLY = 'read_only';
export const READ_WRITE = 'read_write';
export type SfAccess = typeof READ_ONLY | typeof READ_WRITE;

export type { SfFieldKind } from './columns/kinds.ts';

/** What a `sf*` builder records about its field. */
export interface SfFieldMeta {
  /** The Salesforce field API name (`AccountNumber`, `Name__c`). */
  readonly sfName: string;
  readonly kind: SfFieldKind;
  /** The field is the mapping's upsert field (implies unique). */
  readonly upsert: boolean;
  /** The builder asked Heroku Connect for an index on this field. */
  readonly index: boolean;
  /** Picklist and multi-picklist values. */
  readonly values?: readonly string[];
  /** The parent table of a lookup / master-detail, when given. */
  readonly references?: () => PgTable;
  /** Declared length of a varchar-backed field. */
  readonly length?: number;
}

/** What `hcTable` records about its Salesforce object. */
export interface SfObjectMeta {
  /** Salesforce object API name, as given (may be empty or wrong: `check` reports it). */
  readonly objectName: string;
  /** As given; `check` reports a value that is not `read_only` / `read_write`. */
  readonly access: string;
  readonly notifyEnabled: boolean;
  readonly pollingSeconds: number;
  readonly maxDailyApiCalls: number;
  /**
   * The timestamp field Heroku Connect polls on and indexes: `SystemModstamp`,
   * or the field standing in for it on objects without one (heroku-connect.md §2.5).
   */
  readonly modstampField: string;
  /** Whether the object has an IsDeleted field (not User, RecordType, EmailTemplate: heroku-connect.md §2.2). */
  readonly isDeleted: boolean;
}

/** An hcTable: a Drizzle pg table with Salesforce object metadata. */
export type HcTableLike = PgTable & { readonly [SF_OBJECT]: SfObjectMeta };

/** The Salesforce metadata of a column or builder, if it has any. */
export function sfFieldOf(columnOrBuilder: unknown): SfFieldMeta | undefined {
  return sharedColumnConfigOf(columnOrBuilder)?.[SF_FIELD] as SfFieldMeta | undefined;
}

/** The Salesforce object metadata of a table, if it is an hcTable. */
export function sfObjectOf(table: unknown): SfObjectMeta | undefined {
  if (!isPgTable(table)) return undefined;
  return (table as { [SF_OBJECT]?: SfObjectMeta })[SF_OBJECT];
}

/** Whether a value is an hcTable (works across duplicate drizzle-orm copies). */
export function isHcTable(value: unknown): value is HcTableLike {
  return sfObjectOf(value) !== undefined;
}

/** Whether writes to this hcTable must be refused: anything but `read_write`. */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function isReadOnlyTable(table: unknown): boolean {
  if (typeof table !== 'object' || table === null) return false;
  const meta = (table as { [SF_OBJECT]?: SfObjectMeta })[SF_OBJECT];
  // Cheapest test first: the guard asks this of every write builder.
  return meta !== undefined && meta.access !== READ_WRITE && isPgTable(table);
}

/** One Salesforce-mapped column of an hcTable. */
export interface SfColumn {
  /** The property name in the Drizzle table (`accountNumber`). */
  readonly key: string;
  readonly column: PgColumn;
  readonly field: SfFieldMeta;
}

const sfColumnsCache = new WeakMap<object, readonly SfColumn[]>();

/** The Salesforce-mapped columns of an hcTable, in definition order. */
export function sfColumnsOf(table: PgTable): readonly SfColumn[] {
  let cached = sfColumnsCache.get(table);
  if (cached === undefined) {
    // A plain loop: this runs once per table for the checks and the mapping, over every column.
    const columns = getTableColumns(table) as Record<string, PgColumn>;
    const found: SfColumn[] = [];
    for (const key of Object.keys(columns)) {
      const column = columns[key]!;
      const field = sfFieldOf(column);
      if (field !== undefined) found.push({ key, column, field });
    }
    cached = found;
    sfColumnsCache.set(table, cached);
  }
  return cached;
}

/** Record builder metadata (used by the `sf*` builders only). */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function recordSfField<B extends object>(builder: B, field: SfFieldMeta): B {
  const config = sharedColumnConfigOf(builder);
  if (config === undefined) throw new TypeError('sfField() takes a Drizzle pg column builder, such as varchar(name).');
  // Assigned, not defined: a symbol key stays out of Object.keys, for...in and JSON anyway, and
  // Object.defineProperty costs about 10 ms per 40,000 fields (scripts/bench/cli.bench.ts).
  config[SF_FIELD] = field;
  return builder;
}

// Every hcTable defined in this process, shared by all copies of this package,
// so raw SQL that names a table as text can be resolved to its metadata.
const DEFINED_TABLES = Symbol.for('hc-drizzle:defined-tables');
type Registry = { [DEFINED_TABLES]?: Set<HcTableLike> };

/** Every hcTable defined in this process so far (any copy of hc-drizzle), in definition order. */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function definedHcTables(): ReadonlySet<HcTableLike> {
  return ((globalThis as Registry)[DEFINED_TABLES] ??= new Set());
}

/** Record an hcTable's object metadata (used by `hcTable` only; its fields carry theirs from their builders). */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function recordSfObject<T extends PgTable>(table: T, object: SfObjectMeta): T {
  Object.defineProperty(table, SF_OBJECT, { value: object, enumerable: false, configurable: true });
  ((globalThis as Registry)[DEFINED_TABLES] ??= new Set()).add(table as unknown as HcTableLike);
  return table;
}
