/** Checks of each hcTable's Salesforce object: its name, access, and the table Heroku Connect makes for it. */
import { getTableName } from '../compat.ts';
import { READ_ONLY, READ_WRITE } from '../metadata.ts';
import { apiNameProblem } from './api-names.ts';
import { describeTable, type CheckContext, type CheckedHcTable } from './context.ts';
import { diagnostic, type Diagnostic } from './diagnostic.ts';

/** A usable object name: a non-empty string (plain JavaScript may pass anything). */
function objectNameOf(checked: CheckedHcTable): string | undefined {
  const name: unknown = checked.object.objectName;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

export function checkObjects(context: CheckContext): Diagnostic[] {
  return [...context.hcTables.flatMap(checkObject), ...checkUniqueObjects(context)];
}

function checkObject(checked: CheckedHcTable): Diagnostic[] {
  const found: Diagnostic[] = [];
  const name = objectNameOf(checked);
  const access: unknown = checked.object.access;
  if (name === undefined) {
    // E001 (django-heroku-connect): every mapping names its object (heroku-connect.md §4.1 `object_name`).
    found.push(
      diagnostic(
        'E001',
        checked.place,
        undefined,
        `The hcTable ${describeTable(checked)} has no Salesforce object name.`,
        "Pass the object's API name as hcTable's first argument, e.g. hcTable('Account', { ... }).",
      ),
    );
  } else {
    found.push(...checkObjectName(checked, name));
  }
  if (access !== READ_ONLY && access !== READ_WRITE) {
    // E002 (django-heroku-connect): `config.access` is read_only or read_write (heroku-connect.md §4.1).
    found.push(
      diagnostic(
        'E002',
        checked.place,
        undefined,
        `The access of ${describeTable(checked)} is ${JSON.stringify(access)}; Heroku Connect knows only "read_only" and "read_write".`,
        "Use { access: READ_ONLY } (the default) or { access: READ_WRITE }, imported from 'hc-drizzle'.",
      ),
    );
  }
  return found;
}

function checkObjectName(checked: CheckedHcTable, name: string): Diagnostic[] {
  const problem = apiNameProblem(name, 'object');
  if (problem !== undefined) {
    // Salesforce API naming rules; Heroku Connect maps objects by API name (heroku-connect.md §4.1).
    return [
      diagnostic(
        'E101',
        checked.place,
        undefined,
        `"${name}" is not a valid Salesforce object API name: ${problem}.`,
        'Copy the API name from Salesforce Setup > Object Manager (custom objects end in __c, e.g. My_Object__c).',
      ),
    ];
  }
  const tableName = getTableName(checked.table);
  if (tableName !== name.toLowerCase()) {
    // Heroku Connect names the table after the object, lower-cased (heroku-connect.md §2.1).
    return [
      diagnostic(
        'E104',
        checked.place,
        undefined,
        `The table of ${name} is named "${tableName}", but Heroku Connect creates "${name.toLowerCase()}": queries would hit a table that does not exist.`,
        `Remove the tableName option of hcTable('${name}', ...) (or set it to '${name.toLowerCase()}').`,
      ),
    ];
  }
  return [];
}

/** E006 (django-heroku-connect): one mapping per object; an error on each hcTable that shares one. */
function checkUniqueObjects(context: CheckContext): Diagnostic[] {
  const byObject = new Map<string, CheckedHcTable[]>();
  for (const checked of context.hcTables) {
    // Salesforce API names are case-insensitive: `Account` and `account` are one object.
    const key = String(checked.object.objectName).toLowerCase();
    const group = byObject.get(key);
    if (group === undefined) byObject.set(key, [checked]);
    else group.push(checked);
  }
  return [...byObject.values()]
    .filter((group) => group.length > 1)
    .flatMap((group) =>
      group.map((checked) => {
        const others = group.filter((other) => other !== checked).map(describeTable).join(', ');
        return diagnostic(
          'E006',
          checked.place,
          undefined,
          `${describeTable(checked)} maps the Salesforce object "${String(checked.object.objectName)}", as ${others} does; Heroku Connect has one mapping per object.`,
          'Keep one hcTable per Salesforce object: merge their columns, or correct the object name of one of them.',
        );
      }),
    );
}
