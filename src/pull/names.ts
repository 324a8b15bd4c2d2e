/**
 * TypeScript names for Salesforce API names, as a person would write them:
 * `agf__ADM_Work__c` → `agfAdmWork`, `CreatedById` → `createdById`,
 * `URL__c` → `url`. The `__c` of custom objects and fields is dropped unless
 * that makes two names equal in one scope.
 */

/** Words JavaScript refuses as a `const` name (strict mode, modules). */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function ' +
    'if import in instanceof new null return super switch this throw true try typeof var void while with yield ' +
    'implements interface let package private protected public static await arguments eval undefined NaN Infinity'
  ).split(' '),
);

/** One part of an API name in camel case: `ADM` → `Adm`, `SystemModstamp` stays. */
function word(part: string, first: boolean): string {
  if (first) {
    // A leading run of capitals is an acronym: `URLField` → `urlField`, `ID` → `id`.
    const leading = /^[A-Z]+(?=[A-Z][a-z]|[^A-Za-z]|$)/.exec(part)?.[0] ?? part.charAt(0);
    return leading.toLowerCase() + part.slice(leading.length);
  }
  const all = part === part.toUpperCase() ? part.toLowerCase() : part;
  return all.charAt(0).toUpperCase() + all.slice(1);
}

/** camelCase of an API name, with (`withSuffix`) or without its custom `__c`. */
export function camelCaseOf(apiName: string, withSuffix = false): string {
  const base = withSuffix ? apiName : apiName.replace(/__c$/i, '');
  const parts = base.split(/_+/).filter((part) => part !== '');
  return parts.map((part, index) => word(part, index === 0)).join('');
}

/**
 * Hands out names in one scope (a module's exports, or one table's column
 * keys): each API name gets its camelCase, with the `__c` kept (`accountC`)
 * and then a number when it is taken. `taken` names are never handed out.
 * For `const` names, a reserved word gets `Table` (`Case` → `caseTable`).
 */
export function nameScope(taken: Iterable<string>, options: { identifiers?: boolean } = {}) {
  const used = new Set(taken);
  const safe = (name: string) => (options.identifiers && RESERVED.has(name) ? `${name}Table` : name);
  return (apiName: string): string => {
    const candidates = [safe(camelCaseOf(apiName)), safe(camelCaseOf(apiName, true))];
    const usable = (name: string) => !used.has(name);
    let name = candidates.find(usable);
    for (let n = 2; name === undefined; n++) if (usable(`${candidates[1]}${n}`)) name = `${candidates[1]}${n}`;
    used.add(name);
    return name;
  };
}

/**
 * Order by a Salesforce name, case-insensitively, by code point: the same
 * on every machine (`localeCompare` follows the locale's collation).
 */
export function byName<T>(nameOf: (item: T) => string): (a: T, b: T) => number {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return (a, b) => compare(nameOf(a).toLowerCase(), nameOf(b).toLowerCase()) || compare(nameOf(a), nameOf(b));
}
