/**
 * Drizzle's `getTableConfig()` of a table, computed once per table: the checks
 * and the mapping both read it, and building it walks every column and runs
 * the table's extraConfig callback. A table's config does not change after
 * it is defined. A callback that throws is not cached (it throws each time).
 */
import { getTableConfig, type PgTable } from '../compat.ts';

/** What `getTableConfig` returns. */
export type PgTableConfig = ReturnType<typeof getTableConfig>;

const configs = new WeakMap<PgTable, PgTableConfig>();

/** `getTableConfig(table)`, the same object for every caller. Read it, never change it. */
export function tableConfigOf(table: PgTable): PgTableConfig {
  let config = configs.get(table);
  if (config === undefined) configs.set(table, (config = getTableConfig(table)));
  return config;
}
