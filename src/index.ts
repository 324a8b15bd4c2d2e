/**
 * hc-drizzle core: table and column builders, mapping export, checks and the
 * read-only guard. Edge-safe: no `node:` imports, no database driver.
 */
export * from './columns/index.ts';
export * from './table/index.ts';
export * from './mapping/index.ts';
export * from './checks/index.ts';
export * from './guard/index.ts';
export * from './errors.ts';
export * from './settings/index.ts';
/** The database type hc-drizzle's functions take (named in the declarations of `guardReadOnly(db)`). */
export type { AnyPgDatabase } from './compat.ts';
export {
  SF_FIELD,
  SF_OBJECT,
  READ_ONLY,
  READ_WRITE,
  definedHcTables,
  isHcTable,
  isReadOnlyTable,
  sfColumnsOf,
  sfFieldOf,
  sfObjectOf,
  type HcTableLike,
  type SfAccess,
  type SfColumn,
  type SfFieldMeta,
  type SfObjectMeta,
} from './metadata.ts';
