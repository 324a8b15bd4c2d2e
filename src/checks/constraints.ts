/**
 * Indexes and constraints declared on hcTables. Heroku Connect creates the
 * table itself, with the indexes its mapping lists: one field each, unique or
 * not (heroku-connect.md §2.3, §4.1 `config.indexes`). Anything else the
 * schema declares never exists in the real database.
 */
import { isSql } from '../compat.ts';
import { sfFieldOf } from '../metadata.ts';
import { singleIndexedColumn } from '../mapping/get-mapping.ts';
import { describeTable, type CheckContext, type CheckedHcTable, type CheckedTable, type PgTableConfig } from './context.ts';
import { diagnostic, type Diagnostic } from './diagnostic.ts';

const KEEP_TO_SINGLE_FIELDS =
  'Heroku Connect only creates single-field indexes on mapped fields: index one sf* column (or pass { index: true } to its builder)';

export function checkConstraints(context: CheckContext): Diagnostic[] {
  return [
    ...context.tables.flatMap(checkConfigBuilds),
    ...context.hcTables.flatMap((checked) =>
      checked.config === undefined ? [] : checkHcConstraints(checked, checked.config),
    ),
  ];
}

/** Drizzle runs the extraConfig callback lazily; when it throws, nothing can use the table. */
function checkConfigBuilds(checked: CheckedTable): Diagnostic[] {
  if (checked.config !== undefined) return [];
  const reason = checked.configError instanceof Error ? checked.configError.message : String(checked.configError);
  return [
    diagnostic(
      'E130',
      checked.place,
      undefined,
      `Drizzle cannot build ${describeTable(checked)}: its extraConfig callback throws (${reason}).`,
      'Fix the indexes and constraints returned by the third argument (extraConfig): each must name columns of this table.',
    ),
  ];
}

function checkHcConstraints(checked: CheckedHcTable, config: PgTableConfig): Diagnostic[] {
  const isMappedIndex = (columns: readonly unknown[], where?: unknown) => {
    const name = singleIndexedColumn(columns, where);
    return name !== undefined && checked.sfColumns.some((sfColumn) => sfColumn.column.name === name);
  };
  const columnsOf = (columns: readonly unknown[]) =>
    columns.map((column) => (isSql(column) ? 'an expression' : String((column as { name?: unknown }).name))).join(', ');
  const found: Diagnostic[] = [];

  for (const { config: index } of config.indexes) {
    if (isMappedIndex(index.columns, index.where)) continue;
    const what = `${index.unique ? 'Unique index' : 'Index'} ${index.name ?? ''} on (${columnsOf(index.columns)})${index.where === undefined ? '' : ' with a WHERE clause'}`;
    found.push(
      index.unique
        ? diagnostic(
            'E131',
            checked.place,
            undefined,
            `${what} of ${describeTable(checked)} will not exist: Heroku Connect never creates it, so nothing enforces that uniqueness (and ON CONFLICT on it fails).`,
            `${KEEP_TO_SINGLE_FIELDS}; check multi-column uniqueness in Salesforce (a unique field or a duplicate rule).`,
          )
        : diagnostic(
            'W131',
            checked.place,
            undefined,
            `${what} of ${describeTable(checked)} will not exist: Heroku Connect never creates it, so queries relying on it stay slow.`,
            `${KEEP_TO_SINGLE_FIELDS}.`,
          ),
    );
  }
  for (const unique of config.uniqueConstraints) {
    if (isMappedIndex(unique.columns)) continue;
    found.push(
      diagnostic(
        'E131',
        checked.place,
        undefined,
        `Unique constraint ${unique.getName() ?? ''} on (${columnsOf(unique.columns)}) of ${describeTable(checked)} will not exist: Heroku Connect never creates it.`,
        `${KEEP_TO_SINGLE_FIELDS}; check multi-column uniqueness in Salesforce (a unique field or a duplicate rule).`,
      ),
    );
  }
  for (const column of config.columns) {
    if (column.isUnique && sfFieldOf(column) === undefined) {
      found.push(
        diagnostic(
          'E131',
          checked.place,
          column.name,
          `Column "${column.name}" of ${describeTable(checked)} is marked unique, but it maps no Salesforce field, so Heroku Connect never indexes it.`,
          'Remove .unique() from it.',
        ),
      );
    }
    if (column.primary && column.name !== 'id') {
      found.push(primaryKeyDiagnostic(checked, column.name));
    }
  }
  const onlyId = (columns: readonly { name: string }[]) => columns.length === 1 && columns[0]?.name === 'id';
  if (config.primaryKeys.some((key) => !onlyId(key.columns))) found.push(primaryKeyDiagnostic(checked, undefined));
  for (const check of config.checks) {
    found.push(
      diagnostic(
        'W133',
        checked.place,
        undefined,
        `Check constraint ${check.name} of ${describeTable(checked)} will not exist: Heroku Connect never creates it, so values Salesforce accepts are not limited by it.`,
        'Enforce the rule in Salesforce (a validation rule) and remove the check() from extraConfig.',
      ),
    );
  }
  return found;
}

/** Heroku Connect's table has one primary key, `id` (heroku-connect.md §2.2). */
function primaryKeyDiagnostic(checked: CheckedHcTable, column: string | undefined): Diagnostic {
  return diagnostic(
    'E132',
    checked.place,
    column,
    `${describeTable(checked)} declares a primary key other than "id"; Heroku Connect's table has "id" as its only primary key.`,
    'Remove .primaryKey() / primaryKey() from it; to find a row by a Salesforce key use sfid or a unique external id.',
  );
}
