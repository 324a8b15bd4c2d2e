import { isHcTable, type HcTableLike } from '../metadata.ts';

/**
 * The hcTables in an array, or in the values of an object / module namespace
 * (so `import * as schema` works), in order, each once.
 */
export function collectHcTables(schemaOrTables: unknown): HcTableLike[] {
  if (typeof schemaOrTables !== 'object' || schemaOrTables === null) return [];
  const candidates = Array.isArray(schemaOrTables) ? schemaOrTables : Object.values(schemaOrTables);
  return [...new Set(candidates.filter(isHcTable))];
}
