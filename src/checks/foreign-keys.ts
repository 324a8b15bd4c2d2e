/**
 * Foreign keys to and from hcTables. Heroku Connect truncates and reloads its
 * tables and renumbers `id` (heroku-connect.md §2.2), so a constraint pointing
 * at one breaks syncs, and `id` is never a stable target. Lookups (`sfLookup`)
 * create no constraint; `relations()` joins without one.
 */
import { tableOfColumn, type PgColumn, type RelationJoin } from '../compat.ts';
import { isHcTable, isReadOnlyTable } from '../metadata.ts';
import { placeOf, type CheckContext, type CheckedTable } from './context.ts';
import { diagnostic, type Diagnostic } from './diagnostic.ts';

const USE_RELATIONS =
  "Remove the .references() / foreignKey() and join with Drizzle's relations() (sfOne() for an sfLookup column) or, on drizzle-orm 1.0, defineRelations() (sfParent()) instead: no constraint is created.";

export function checkForeignKeys(context: CheckContext): Diagnostic[] {
  return [...context.tables.flatMap(checkTableForeignKeys), ...checkRelationJoins(context.joins)];
}

// The referential actions that change the referencing row when the referenced one is deleted or updated.
const CHANGING_ACTIONS = new Set(['cascade', 'set null', 'set default']);

/** `ON DELETE CASCADE` and the like: the actions of a foreign key that change the table holding it. */
function changingActionsOf(foreignKey: { readonly onDelete?: string | undefined; readonly onUpdate?: string | undefined }): string[] {
  const actions: string[] = [];
  if (foreignKey.onDelete !== undefined && CHANGING_ACTIONS.has(foreignKey.onDelete)) actions.push(`ON DELETE ${foreignKey.onDelete.toUpperCase()}`);
  if (foreignKey.onUpdate !== undefined && CHANGING_ACTIONS.has(foreignKey.onUpdate)) actions.push(`ON UPDATE ${foreignKey.onUpdate.toUpperCase()}`);
  return actions;
}

const isHcId = (column: PgColumn): boolean => column.name === 'id' && isHcTable(tableOfColumn(column));

/**
 * E005 for relations: django-heroku-connect reports a reference to `id` even
 * without a database constraint, and Drizzle's counterpart is a relation
 * joined on an hcTable's `id` (heroku-connect.md §2.2: `id` changes on reloads).
 */
function checkRelationJoins(joins: readonly RelationJoin[]): Diagnostic[] {
  const found: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const join of joins) {
    const [holder, idSide] = join.targetColumns.some(isHcId)
      ? [join.sourceColumns, join.targetColumns]
      : join.sourceColumns.some(isHcId)
        ? [join.targetColumns, join.sourceColumns]
        : [undefined, undefined];
    if (holder === undefined || idSide === undefined) continue;
    const id = idSide.find(isHcId)!;
    const holderTable = tableOfColumn(holder[0]!);
    const columns = holder.map((column) => column.name).join(', ');
    // A relation and its reverse (1.0 fills the reverse's columns in) are one reference.
    const key = `${placeOf(holderTable)}(${columns})→${placeOf(tableOfColumn(id))}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const target = placeOf(tableOfColumn(id));
    found.push(
      diagnostic(
        'E005',
        placeOf(holderTable),
        columns,
        `The relation \`${join.name}\` of ${placeOf(join.source)} joins ${placeOf(holderTable)}(${columns}) on ${target}.id, Heroku Connect's internal row number, which changes when Heroku Connect reloads the table.`,
        `Hold ${target}'s sfid (or a unique External ID) instead and join on it: one(${target.split('.').pop()}, { fields: [...], references: [${target.split('.').pop()}.sfid] }), or sfOne() for an sfLookup column.`,
      ),
    );
  }
  return found;
}

function checkTableForeignKeys(checked: CheckedTable): Diagnostic[] {
  if (checked.config === undefined) return [];
  const found: Diagnostic[] = [];
  for (const foreignKey of checked.config.foreignKeys) {
    const { columns, foreignColumns, foreignTable } = foreignKey.reference();
    const from = columns.map((column) => column.name).join(', ');
    const target = placeOf(foreignTable);
    const place = `${checked.place}(${from})`;
    if (isHcTable(foreignTable)) {
      if (foreignColumns.some((column) => column.name === 'id')) {
        // E005 (django-heroku-connect): point at sfid or an External ID, never `id`.
        found.push(
          diagnostic(
            'E005',
            checked.place,
            from,
            `The foreign key ${place} points at ${target}.id, Heroku Connect's internal row number, which changes when Heroku Connect reloads the table.`,
            `Point at ${target}'s sfid or a unique External ID column instead, and keep it free of constraints: ${USE_RELATIONS}`,
          ),
        );
      }
      // E008 (django-heroku-connect): no database constraint to a Heroku Connect table; every Drizzle foreign key is one.
      found.push(
        diagnostic(
          'E008',
          checked.place,
          from,
          `The foreign key ${place} is a database constraint to ${target}, a Heroku Connect table: Heroku Connect truncates and reloads it, which the constraint blocks or cascades.`,
          USE_RELATIONS,
        ),
      );
    } else if (checked.object !== undefined) {
      // Heroku Connect creates and alters its tables itself (heroku-connect.md §2.1).
      const actions = changingActionsOf(foreignKey);
      if (actions.length > 0 && isReadOnlyTable(checked.table)) {
        // An ordinary app write to the app table would change a table only Salesforce may change.
        found.push(
          diagnostic(
            'E135',
            checked.place,
            from,
            `The foreign key ${place} to ${target} has ${actions.join(' and ')}: a delete or update of ${target} (or TRUNCATE ${target} CASCADE) would change ${checked.place}, a read-only Heroku Connect table, behind Heroku Connect's back; the next sync does not restore what was lost.`,
            `Drop the .references() / foreignKey() (and the constraint, if it was added to the database by hand). ${USE_RELATIONS}`,
          ),
        );
        continue;
      }
      if (actions.length > 0) {
        found.push(
          diagnostic(
            'W135',
            checked.place,
            from,
            `The foreign key ${place} to ${target} has ${actions.join(' and ')}: a delete or update of ${target} would change ${checked.place}, and Heroku Connect sends those changes to Salesforce.`,
            `Write ${checked.place} explicitly if Salesforce should change. ${USE_RELATIONS}`,
          ),
        );
        continue;
      }
      found.push(
        diagnostic(
          'W134',
          checked.place,
          from,
          `The foreign key ${place} to ${target} will not exist: Heroku Connect creates its tables without it.`,
          `Do not rely on it; ${USE_RELATIONS}`,
        ),
      );
    }
  }
  return found;
}
