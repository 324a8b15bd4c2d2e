/**
 * Foreign keys to and from hcTables. Heroku Connect truncates and reloads its
 * tables and renumbers `id` (heroku-connect.md §2.2), so a constraint pointing
 * at one breaks syncs, and `id` is never a stable target. Lookups (`sfLookup`)
 * create no constraint; `relations()` joins without one.
 */
import { isHcTable } from '../metadata.ts';
import { placeOf, type CheckContext, type CheckedTable } from './context.ts';
import { diagnostic, type Diagnostic } from './diagnostic.ts';

const USE_RELATIONS =
  "Remove the .references() / foreignKey() and join with Drizzle's relations() instead (sfOne() for an sfLookup column): no constraint is created.";

export function checkForeignKeys(context: CheckContext): Diagnostic[] {
  return context.tables.flatMap(checkTableForeignKeys);
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
