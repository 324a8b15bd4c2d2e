/** Checks of the Salesforce fields of each hcTable: names, upsert field, picklists, lookups. */
import { fieldKind } from '../columns/kinds.ts';
import { isHcTable, READ_WRITE, type SfColumn } from '../metadata.ts';
import { apiNameProblem } from './api-names.ts';
import { describeTable, type CheckContext, type CheckedHcTable } from './context.ts';
import { diagnostic, type Diagnostic } from './diagnostic.ts';

/** Standard compound address fields (`BillingAddress`, `MailingAddress`, `PersonOtherAddress`, `Address`). */
const COMPOUND_ADDRESS = /^((?:Person)?(?:Billing|Shipping|Mailing|Other)?)Address$/i;

export function checkFields(context: CheckContext): Diagnostic[] {
  // Pushes into one array, with no closure per field: this runs for every field of every table.
  const found: Diagnostic[] = [];
  for (const checked of context.hcTables) {
    // Salesforce API names are case-insensitive: E003 compares them lower-cased.
    const firstByName = new Map<string, SfColumn>();
    for (const sfColumn of checked.sfColumns) {
      const lowerName = sfColumn.field.sfName.toLowerCase();
      checkField(checked, sfColumn, lowerName, found);
      const first = firstByName.get(lowerName);
      if (first === undefined) firstByName.set(lowerName, sfColumn);
      else found.push(duplicateField(checked, first, sfColumn));
    }
    checkUpsertFields(checked, found);
  }
  return found;
}

function checkField(checked: CheckedHcTable, sfColumn: SfColumn, lowerName: string, found: Diagnostic[]): void {
  const { key, column, field } = sfColumn;
  const problem = apiNameProblem(field.sfName, 'field');
  if (problem !== undefined) {
    // Salesforce API naming rules; the mapping lists fields by API name (heroku-connect.md §4.1 `config.fields`).
    found.push(
      diagnostic(
        'E102',
        checked.place,
        column.name,
        `"${field.sfName}" (column \`${key}\`) is not a valid Salesforce field API name: ${problem}.`,
        'Copy the API name from Salesforce Setup > Object Manager > Fields (custom fields end in __c, e.g. Score__c).',
      ),
    );
  }
  // Heroku Connect names the column after the field, lower-cased; `Id` goes to `sfid` (heroku-connect.md §1).
  const expectedName = lowerName === 'id' ? 'sfid' : lowerName;
  if (problem === undefined && column.name !== expectedName) {
    found.push(
      diagnostic(
        'E103',
        checked.place,
        column.name,
        `Column \`${key}\` is named "${column.name}", but Heroku Connect writes ${field.sfName} to "${expectedName}": it would stay empty.`,
        `Build the column with an sf* builder (they name it "${expectedName}"), or rename the database column to "${expectedName}".`,
      ),
    );
  }
  const compound = lowerName.endsWith('address') ? COMPOUND_ADDRESS.exec(field.sfName) : null;
  if (compound !== null) {
    // Compound address fields are not mapped, only their components (heroku-connect.md §1).
    const prefix = compound[1] ?? '';
    found.push(
      diagnostic(
        'E105',
        checked.place,
        column.name,
        `${field.sfName} is a compound address field; Heroku Connect maps only its components.`,
        `Map the components instead: ${['Street', 'City', 'State', 'PostalCode', 'Country', 'Latitude', 'Longitude'].map((part) => prefix + part).join(', ')}.`,
      ),
    );
  }
  if (field.upsert && !fieldKind(field.kind).externalId) {
    // The upsert field is a unique External ID (heroku-connect.md §4.1 `config.upsert_field`).
    found.push(
      diagnostic(
        'E111',
        checked.place,
        column.name,
        `The upsert field ${field.sfName} is a ${field.kind} field, which Salesforce cannot make an External ID.`,
        "Use a Text, Number or Email field marked External ID and Unique, e.g. sfExternalId('External_ID__c').",
      ),
    );
  }
  if (field.values !== undefined) checkPicklistValues(checked, sfColumn, field.values, found);
  if (field.references !== undefined) checkLookupParent(checked, sfColumn, field.references, found);
}

function checkPicklistValues(
  checked: CheckedHcTable,
  { key, column, field }: SfColumn,
  values: readonly string[],
  found: Diagnostic[],
): void {
  const columnLength = (column as { length?: unknown }).length;
  const length = typeof columnLength === 'number' ? columnLength : field.length;
  if (length === undefined || values.every((value) => value.length <= length)) return;
  const tooLong = values.filter((value) => value.length > length);
  // PostgreSQL rejects a longer value, so the sync of that record fails (heroku-connect.md §1 picklist varchar(n)).
  found.push(
    diagnostic(
      'E112',
      checked.place,
      column.name,
      `Picklist \`${key}\` is varchar(${length}), shorter than ${tooLong.map((value) => JSON.stringify(value)).join(', ')}.`,
      `Raise its length to at least ${Math.max(...tooLong.map((value) => value.length))} (or leave \`length\` out: the default fits every value), as the column Heroku Connect made.`,
    ),
  );
}

function checkLookupParent(
  checked: CheckedHcTable,
  { key, column, field }: SfColumn,
  references: () => unknown,
  found: Diagnostic[],
): void {
  let parent: unknown;
  try {
    parent = references();
  } catch (error) {
    parent = error;
  }
  if (isHcTable(parent)) return;
  // A lookup holds the parent's sfid (heroku-connect.md §1 `reference`), so only an hcTable can be its parent.
  found.push(
    diagnostic(
      'E117',
      checked.place,
      column.name,
      `Lookup \`${key}\` (${field.sfName}) references something that is not an hcTable${parent instanceof Error ? ` (the thunk threw: ${parent.message})` : ''}; sfOne() cannot join it.`,
      'Make `references` return the parent hcTable, e.g. { references: () => account }, or leave it out.',
    ),
  );
}

/** E003 (django-heroku-connect): each Salesforce field once per table. */
function duplicateField(checked: CheckedHcTable, first: SfColumn, sfColumn: SfColumn): Diagnostic {
  return diagnostic(
    'E003',
    checked.place,
    sfColumn.column.name,
    `Columns \`${first.key}\` and \`${sfColumn.key}\` of ${describeTable(checked)} both map the Salesforce field "${sfColumn.field.sfName}".`,
    `Keep one column for ${sfColumn.field.sfName}; remove \`${sfColumn.key}\` or correct its field name.`,
  );
}

/** E004 and E007 (django-heroku-connect): at most one upsert field, and one on a read_write table (heroku-connect.md §4.1). */
function checkUpsertFields(checked: CheckedHcTable, found: Diagnostic[]): void {
  const upserts = checked.sfColumns.filter(({ field }) => field.upsert);
  const second = upserts[1];
  if (second !== undefined) {
    found.push(
      diagnostic(
        'E004',
        checked.place,
        second.column.name,
        `${describeTable(checked)} has ${upserts.length} upsert fields (${upserts.map(({ field }) => field.sfName).join(', ')}); a mapping has at most one.`,
        'Keep { upsert: true } on one field; pass { upsert: false } to the other sfExternalId columns.',
      ),
    );
  } else if (upserts.length === 0 && checked.object.access === READ_WRITE) {
    found.push(
      diagnostic(
        'E007',
        checked.place,
        undefined,
        `${describeTable(checked)} is read_write but has no upsert field; Heroku Connect requires one to write to Salesforce.`,
        "Add a unique External ID field as the upsert field, e.g. externalId: sfExternalId('External_ID__c'), or make the table read_only.",
      ),
    );
  }
}
