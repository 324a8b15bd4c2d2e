/** Checks of each hcTable's database columns against the table Heroku Connect creates (heroku-connect.md §2.2). */
import { columnSqlType, type PgColumn } from '../compat.ts';
import { sfFieldOf } from '../metadata.ts';
import { OBJECTS_WITHOUT_IS_DELETED } from '../table/hc-table.ts';
import { describeTable, type CheckContext, type CheckedHcTable } from './context.ts';
import { diagnostic, type Diagnostic } from './diagnostic.ts';

/** Heroku Connect's system columns and the types it gives them (heroku-connect.md §2.2). */
const SYSTEM_COLUMNS: readonly { name: string; types: readonly string[]; shown: string }[] = [
  { name: 'id', types: ['serial', 'integer'], shown: 'serial primary key' },
  { name: 'sfid', types: ['varchar(18)'], shown: 'varchar(18)' },
  { name: 'systemmodstamp', types: ['timestamp'], shown: 'timestamp without time zone' },
  { name: 'isdeleted', types: ['boolean'], shown: 'boolean' },
  { name: '_hc_lastop', types: ['varchar(32)'], shown: 'varchar(32)' },
  { name: '_hc_err', types: ['text'], shown: 'text' },
];
/** Columns Heroku Connect creates that map no Salesforce field. */
const UNMAPPED_SYSTEM_COLUMNS = new Set(['id', '_hc_lastop', '_hc_err']);

export function checkColumns(context: CheckContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const checked of context.hcTables) {
    const columnByName = checkDuplicateColumnNames(checked, found);
    checkUnmappedColumns(checked, found);
    checkSystemColumns(checked, columnByName, found);
  }
  return found;
}

function hasNoIsDeleted(checked: CheckedHcTable): boolean {
  const name = String(checked.object.objectName).toLowerCase();
  return OBJECTS_WITHOUT_IS_DELETED.some((object) => object.toLowerCase() === name);
}

/**
 * Two columns with one database name: PostgreSQL has one, so Drizzle reads
 * and writes the wrong key. Returns the first column of each name.
 */
function checkDuplicateColumnNames(checked: CheckedHcTable, found: Diagnostic[]): ReadonlyMap<string, PgColumn> {
  const firstByName = new Map<string, PgColumn>();
  for (const column of checked.columns) {
    const first = firstByName.get(column.name);
    if (first === undefined) {
      firstByName.set(column.name, column);
      continue;
    }
    // Two columns for one Salesforce field are E003's finding already.
    const sameField = sfFieldOf(first)?.sfName.toLowerCase();
    if (sameField !== undefined && sameField === sfFieldOf(column)?.sfName.toLowerCase()) continue;
    found.push(
      diagnostic(
        'E113',
        checked.place,
        column.name,
        `${describeTable(checked)} has two columns named "${column.name}".`,
        'Give each column its own database name: rename or remove one of them.',
      ),
    );
  }
  return firstByName;
}

/** Heroku Connect creates only the system columns and the mapped fields (heroku-connect.md §2.1, §2.2). */
function checkUnmappedColumns(checked: CheckedHcTable, found: Diagnostic[]): void {
  for (const column of checked.columns) {
    if (sfFieldOf(column) !== undefined || UNMAPPED_SYSTEM_COLUMNS.has(column.name)) continue;
    found.push(
      diagnostic(
        'E114',
        checked.place,
        column.name,
        `Column "${column.name}" of ${describeTable(checked)} maps no Salesforce field, so Heroku Connect never creates it.`,
        'Build it with an sf* builder (sfText, sfNumber, ...) naming its Salesforce field, or keep app data in a table of your own.',
      ),
    );
  }
}

function checkSystemColumns(checked: CheckedHcTable, columnByName: ReadonlyMap<string, PgColumn>, found: Diagnostic[]): void {
  const withoutIsDeleted = hasNoIsDeleted(checked);
  for (const expected of SYSTEM_COLUMNS) {
    const column = columnByName.get(expected.name);
    if (expected.name === 'isdeleted' && withoutIsDeleted) {
      if (column !== undefined) found.push(isDeletedOnObjectWithout(checked));
      continue;
    }
    if (column === undefined) {
      found.push(
        diagnostic(
          'E115',
          checked.place,
          expected.name,
          `${describeTable(checked)} has no "${expected.name}" column, which Heroku Connect adds to every table.`,
          'Do not override the system columns hcTable adds (id, sfid, systemModstamp, isDeleted, hcLastop, hcErr).',
        ),
      );
    } else if (!expected.types.includes(columnSqlType(column))) {
      found.push(
        diagnostic(
          'E115',
          checked.place,
          expected.name,
          `Column "${expected.name}" of ${describeTable(checked)} is ${columnSqlType(column)}; Heroku Connect creates it as ${expected.shown}.`,
          'Do not override the system columns hcTable adds (id, sfid, systemModstamp, isDeleted, hcLastop, hcErr).',
        ),
      );
    }
  }
}

/** User, RecordType and EmailTemplate have no IsDeleted field (heroku-connect.md §2.2). */
function isDeletedOnObjectWithout(checked: CheckedHcTable): Diagnostic {
  return diagnostic(
    'E116',
    checked.place,
    'isdeleted',
    `${describeTable(checked)} has an "isdeleted" column, but the Salesforce object ${String(checked.object.objectName)} has no IsDeleted field.`,
    `Spell the object name as Salesforce does (${OBJECTS_WITHOUT_IS_DELETED.join(', ')}): hcTable then leaves IsDeleted out. Do not add an IsDeleted column yourself.`,
  );
}
