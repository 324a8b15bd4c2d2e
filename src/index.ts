/**
 * hc-drizzle core: table and column builders, mapping export, checks and the
 * read-only guard. Edge-safe: no `node:` imports, no database driver.
 *
 * Only what users call is exported here (README "Entries"); hc-drizzle's own
 * modules import each other by path, and tests may too.
 */
export {
  sfText,
  sfTextArea,
  sfTextAreaLong,
  sfEmail,
  sfPhone,
  sfUrl,
  sfEncryptedString,
  sfAnyType,
  type SfLengthOptions,
} from './columns/text.ts';
export { sfPicklist, sfMultiPicklist, type SfPicklistOptions } from './columns/picklist.ts';
export { sfNumber, sfCurrency, sfPercent, sfInteger } from './columns/number.ts';
export { sfCheckbox } from './columns/checkbox.ts';
export { sfDate, sfDateTime, sfTime } from './columns/date-time.ts';
export { sfId, type SfIdOptions } from './columns/id.ts';
export { sfExternalId } from './columns/external-id.ts';
export { sfLookup, sfMasterDetail, sfOne, sfParent, type RelationsColumnLike, type SfLookupOptions, type SfLookupParent } from './columns/lookup.ts';
export { sfField, type SfFieldOptions } from './columns/field.ts';
export { SF_FIELD_KINDS, fieldKind, type HcSqlType, type SfDescribeType, type SfFieldKind, type SfFieldKindInfo } from './columns/kinds.ts';
export { hcTable, herokuConnectSchemaForDrizzleKit, type HcSystemColumns, type HcTable, type HcTableOptions } from './table/hc-table.ts';
export { getMapping, type GetMappingOptions, type MappingConfig, type MappingDocument } from './mapping/get-mapping.ts';
export { checkSchema } from './checks/check-schema.ts';
export type { CheckCode, CheckSchemaOptions, Diagnostic, DiagnosticLevel, DrizzleKitSchemaFile } from './checks/diagnostic.ts';
export { guardReadOnly } from './guard/guard-read-only.ts';
export type {
  GuardedDatabase,
  GuardedPgDatabase,
  GuardedPgTransaction,
  GuardedPgAsyncDatabase,
  GuardedPgAsyncTransaction,
  GuardedWithAuth,
  HcDrizzleTypeError,
  IsReadOnlyHcTable,
  ReadOnlyTableError,
  ReadOnlyWithWrites,
  WritableTarget,
} from './guard/types.ts';
export { HcDrizzleError, InputError, SettingsError, WriteNotSupportedError } from './errors.ts';
/** The settings from the environment, for `connectClientFromSettings` and `createNodeConnectClient`. */
export { readSettings, type Settings } from './settings/settings.ts';
/** The database type hc-drizzle's functions take (named in the declarations of `guardReadOnly(db)`). */
export type { AnyPgDatabase } from './compat.ts';
export {
  SF_FIELD,
  SF_OBJECT,
  READ_ONLY,
  READ_WRITE,
  isHcTable,
  sfColumnsOf,
  sfFieldOf,
  sfObjectOf,
  type HcTableLike,
  type SfAccess,
  type SfColumn,
  type SfFieldMeta,
  type SfObjectMeta,
} from './metadata.ts';
