/** Checks of each hcTable's database columns against the table Heroku Connect creates (heroku-connect.md §2.2). */
import { columnSqlType, type PgColumn } from '../compat.ts';
import { fieldKind, type SfFieldKind } from '../columns/kinds.ts';
import { formatColumnType, parseColumnType, sameColumnType, type ColumnType } from '../columns/sql-type.ts';
import { sfFieldOf } from '../metadata.ts';
import { OBJECTS_WITHOUT_IS_DELETED } from '../table/hc-table.ts';
import { describeTable, type CheckContext, type CheckedHcTable } from './context.ts';
import { diagnostic, type Diagnostic } from './diagnostic.ts';

/** A column Heroku Connect adds to every table, and how it creates it. */
interface SystemColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly shown: string;
}

const fieldColumn = (name: string, kind: SfFieldKind): SystemColumn => {
  const { sqlType, defaultLength } = fieldKind(kind) as { sqlType: string; defaultLength?: number };
  const type = defaultLength === undefined ? { type: sqlType } : { type: sqlType, length: defaultLength };
  return { name, type, shown: formatColumnType(type) };
};

/** Heroku Connect's system columns for one table, in its order (heroku-connect.md §2.2, §2.5). */
function systemColumnsOf(checked: CheckedHcTable, built: Map<string, readonly SystemColumn[]>): readonly SystemColumn[] {
  // Tables differ only by their modstamp field and IsDeleted: `built` holds each list once per run of the checks.
  const key = `${checked.object.isDeleted}:${checked.object.modstampField}`;
  let columns = built.get(key);
  if (columns === undefined) built.set(key, (columns = buildSystemColumns(checked)));
  return columns;
}

function buildSystemColumns(checked: CheckedHcTable): readonly SystemColumn[] {
  return [
    { name: 'id', type: { type: 'integer' }, shown: 'serial primary key' },
    fieldColumn('sfid', 'id'),
    fieldColumn(checked.object.modstampField.toLowerCase(), 'datetime'),
    ...(checked.object.isDeleted ? [fieldColumn('isdeleted', 'checkbox')] : []),
    { name: '_hc_lastop', type: { type: 'character varying', length: 32 }, shown: 'varchar(32)' },
    { name: '_hc_err', type: { type: 'text' }, shown: 'text' },
  ];
}
/** Columns Heroku Connect creates that map no Salesforce field. */
const UNMAPPED_SYSTEM_COLUMNS = new Set(['id', '_hc_lastop', '_hc_err']);

export function checkColumns(context: CheckContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const systemColumnLists = new Map<string, readonly SystemColumn[]>();
  for (const checked of context.hcTables) {
    const columnByName = checkColumnNames(checked, found);
    checkSystemColumns(checked, columnByName, systemColumnLists, found);
  }
  return found;
}

/**
 * E113: two columns with one database name (PostgreSQL has one, so Drizzle
 * reads and writes the wrong key). E114: a column that maps no Salesforce
 * field, which Heroku Connect never creates (heroku-connect.md §2.1, §2.2).
 * One pass over the columns; returns the first column of each name.
 */
function checkColumnNames(checked: CheckedHcTable, found: Diagnostic[]): ReadonlyMap<string, PgColumn> {
  const firstByName = new Map<string, PgColumn>();
  // The mapped columns are a subsequence of the columns, in the same order: walk both together.
  const { sfColumns } = checked;
  let next = 0;
  for (const column of checked.columns) {
    const field = sfColumns[next]?.column === column ? sfColumns[next++]!.field : undefined;
    if (field === undefined && !UNMAPPED_SYSTEM_COLUMNS.has(column.name)) found.push(unmappedColumn(checked, column));
    const first = firstByName.get(column.name);
    if (first === undefined) {
      firstByName.set(column.name, column);
      continue;
    }
    // Two columns for one Salesforce field are E003's finding already.
    const sameField = sfFieldOf(first)?.sfName.toLowerCase();
    if (sameField !== undefined && sameField === field?.sfName.toLowerCase()) continue;
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

function unmappedColumn(checked: CheckedHcTable, column: PgColumn): Diagnostic {
  return diagnostic(
    'E114',
    checked.place,
    column.name,
    `Column "${column.name}" of ${describeTable(checked)} maps no Salesforce field, so Heroku Connect never creates it.`,
    'Build it with an sf* builder (sfText, sfNumber, ...) naming its Salesforce field, or keep app data in a table of your own.',
  );
}

function checkSystemColumns(
  checked: CheckedHcTable,
  columnByName: ReadonlyMap<string, PgColumn>,
  systemColumnLists: Map<string, readonly SystemColumn[]>,
  found: Diagnostic[],
): void {
  const noIsDeleted = hasNoIsDeleted(checked);
  if (noIsDeleted && columnByName.has('isdeleted')) found.push(isDeletedOnObjectWithout(checked));
  for (const expected of systemColumnsOf(checked, systemColumnLists)) {
    if (expected.name === 'isdeleted' && noIsDeleted) continue;
    const column = columnByName.get(expected.name);
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
    } else if (!sameColumnType(parseColumnType(columnSqlType(column)), expected.type)) {
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

/**
 * The object has no IsDeleted field: hcTable was told so, or its name is
 * User, RecordType or EmailTemplate in any case (heroku-connect.md §2.2).
 */
function hasNoIsDeleted(checked: CheckedHcTable): boolean {
  const name = String(checked.object.objectName).toLowerCase();
  return !checked.object.isDeleted || OBJECTS_WITHOUT_IS_DELETED.some((object) => object.toLowerCase() === name);
}

function isDeletedOnObjectWithout(checked: CheckedHcTable): Diagnostic {
  return diagnostic(
    'E116',
    checked.place,
    'isdeleted',
    `${describeTable(checked)} has an "isdeleted" column, but the Salesforce object ${String(checked.object.objectName)} has no IsDeleted field.`,
    `hcTable leaves IsDeleted out for ${OBJECTS_WITHOUT_IS_DELETED.join(', ')} (spell the object name as Salesforce does) and with { isDeleted: false }: do not add an IsDeleted column yourself.`,
  );
}
