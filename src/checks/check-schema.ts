import { checkColumns } from './columns.ts';
import { checkConstraints } from './constraints.ts';
import { checkContextOf } from './context.ts';
import type { CheckSchemaOptions, Diagnostic } from './diagnostic.ts';
import { checkDrizzleKitExports } from './drizzle-kit.ts';
import { checkFields } from './fields.ts';
import { checkForeignKeys } from './foreign-keys.ts';
import { checkObjects } from './object.ts';
import { checkPolling } from './polling.ts';

const CHECKS = [
  checkObjects,
  checkFields,
  checkColumns,
  checkPolling,
  checkConstraints,
  checkForeignKeys,
  checkDrizzleKitExports,
];

/**
 * Lint a schema for what Heroku Connect would break on: django-heroku-connect's
 * checks E001–E008 plus hc-drizzle's own E1xx / W1xx (README section on hc-drizzle check). Every
 * pg table is scanned, the app's own too, since foreign keys into Heroku Connect
 * tables are findings. Reads only the recorded metadata and Drizzle's config.
 *
 * Diagnostics come grouped by table, in schema order, errors first.
 *
 * @example
 * import * as schema from './schema.ts';
 * const problems = checkSchema(schema).filter((d) => d.level === 'error');
 */
export function checkSchema(schemaOrTables: unknown, options: CheckSchemaOptions = {}): Diagnostic[] {
  const context = checkContextOf(schemaOrTables, options);
  const order = new Map<string, number>();
  for (const checked of context.tables) if (!order.has(checked.place)) order.set(checked.place, order.size);
  const rank = (diagnostic: Diagnostic) => order.get(diagnostic.table) ?? order.size;
  return CHECKS.flatMap((check) => check(context)).sort(
    (a, b) => rank(a) - rank(b) || a.table.localeCompare(b.table) || a.code.localeCompare(b.code),
  );
}
