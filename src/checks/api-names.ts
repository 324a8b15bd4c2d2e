/**
 * Salesforce API name rules: `[namespace__]Name[__suffix]`, where each part
 * starts with a letter and holds letters, digits and single underscores, a
 * custom name is at most 40 characters and a namespace prefix at most 15.
 */

const MAX_CUSTOM_NAME = 40;
const MAX_NAMESPACE = 15;

/** Suffixes of custom and special objects (`My_Object__c`, `Event__e`, `Setting__mdt`, ...). */
const OBJECT_SUFFIXES = new Set([
  'c', 'x', 'xo', 'e', 'b', 'mdt', 'kav', 'ka', 'share', 'history', 'feed', 'changeevent', 'tag', 'hd', 'chn',
  'dlm', 'dll', 'datacategoryselection', 'viewstat', 'votestat',
]);
/** Suffixes of custom fields: `__c`, and `__pc` for person-account fields on Account. */
const FIELD_SUFFIXES = new Set(['c', 'pc']);
/** Geolocation components: `Location__Latitude__s`, `Location__Longitude__s` (heroku-connect.md §1). */
const LOCATION_COMPONENTS = new Set(['latitude', 'longitude']);

export type ApiNameKind = 'object' | 'field';

/** The common shapes (`Name`, `My_Field__c`), valid for both kinds, answered without the full parse. */
const PLAIN_OR_CUSTOM = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*(?:__c)?$/;

/** Why `name` is not a valid Salesforce API name of that kind, or undefined when it is. */
export function apiNameProblem(name: string, kind: ApiNameKind): string | undefined {
  if (name.length <= MAX_CUSTOM_NAME + '__c'.length && PLAIN_OR_CUSTOM.test(name)) return undefined;
  const bad = /[^A-Za-z0-9_]/.exec(name);
  if (bad !== null) return `it contains "${bad[0]}": API names hold only letters, digits and underscores`;
  if (!/^[A-Za-z]/.test(name)) return 'it must start with a letter';
  if (name.endsWith('_')) return 'it must not end with an underscore';
  if (name.includes('___')) return 'it has three underscores in a row';
  const parts = name.split('__');
  const unnumbered = parts.find((part) => !/^[A-Za-z]/.test(part));
  if (unnumbered !== undefined) return `the part "${unnumbered}" after a double underscore must start with a letter`;
  return kind === 'object' ? objectPartsProblem(parts) : fieldPartsProblem(parts);
}

function objectPartsProblem(parts: string[]): string | undefined {
  if (parts.length === 1) return undefined;
  if (parts.length > 3) return 'it has more double underscores than `namespace__Name__suffix` allows';
  const suffix = parts[parts.length - 1]!;
  if (!OBJECT_SUFFIXES.has(suffix.toLowerCase())) {
    return `"__${suffix}" is not a Salesforce object suffix (custom objects end in __c)`;
  }
  return customPartsProblem(parts.slice(0, -1));
}

function fieldPartsProblem(parts: string[]): string | undefined {
  if (parts.length === 1) return undefined;
  if (parts.length > 4) return 'it has more double underscores than `namespace__Name__suffix` allows';
  const suffix = parts[parts.length - 1]!.toLowerCase();
  if (suffix === 's' && parts.length >= 3 && LOCATION_COMPONENTS.has(parts[parts.length - 2]!.toLowerCase())) {
    return customPartsProblem(parts.slice(0, -2));
  }
  if (suffix === 'r') return '"__r" names a relationship, not a field';
  if (parts.length === 4 || !FIELD_SUFFIXES.has(suffix)) {
    return `"__${parts[parts.length - 1]}" is not a Salesforce field suffix (custom fields end in __c)`;
  }
  return customPartsProblem(parts.slice(0, -1));
}

/** `[namespace, Name]` or `[Name]` of a custom name, without its suffix. */
function customPartsProblem(parts: string[]): string | undefined {
  const name = parts[parts.length - 1]!;
  const namespace = parts.length === 2 ? parts[0]! : undefined;
  if (name.length > MAX_CUSTOM_NAME) return `its name part "${name}" is longer than ${MAX_CUSTOM_NAME} characters`;
  if (namespace !== undefined && namespace.length > MAX_NAMESPACE) {
    return `its namespace prefix "${namespace}" is longer than ${MAX_NAMESPACE} characters`;
  }
  return undefined;
}
