import { definedHcTables, isHcTable, type HcTableLike } from '../metadata.ts';

/**
 * The hcTables in an array (in its order), or in the values of an object /
 * module namespace (so `import * as schema` works). A namespace lists its
 * exports alphabetically, so those come in definition order instead, as
 * django-heroku-connect lists models. Each table once.
 */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function collectHcTables(schemaOrTables: unknown): HcTableLike[] {
  if (typeof schemaOrTables !== 'object' || schemaOrTables === null) return [];
  if (Array.isArray(schemaOrTables)) return [...new Set(schemaOrTables.filter(isHcTable))];
  const found = new Set(Object.values(schemaOrTables).filter(isHcTable));
  const definitionOrder = [...definedHcTables()].filter((table) => found.has(table));
  return [...new Set([...definitionOrder, ...found])];
}
