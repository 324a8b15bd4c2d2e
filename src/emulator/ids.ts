/**
 * Salesforce record Ids: 15 case-sensitive base-62 characters (a 3-character
 * key prefix naming the object, then the record's number), and the 18-character
 * case-safe form the APIs return, whose last 3 characters say which letters of
 * the first 15 are upper-case (the CASESAFEID algorithm: per 5-character chunk,
 * bit i set when character i is A-Z, the 5 bits indexing `A-Z0-5`; described at
 * salesforce.stackexchange.com/questions/1653 and gammone.com's "How to convert
 * Salesforce ID from 15 to 18 chars").
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Key prefixes of standard objects, the same in every org. */
export const STANDARD_KEY_PREFIXES: Readonly<Record<string, string>> = {
  Account: '001',
  Contact: '003',
  User: '005',
  Opportunity: '006',
  Lead: '00Q',
  Organization: '00D',
};

/** The three case-safe characters for a 15-character Id. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const char = id15.charCodeAt(chunk * 5 + i);
      if (char >= 65 && char <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/** An 18-character Id from a key prefix and a record number (the object's 12 remaining characters, base 62). */
export function recordId(keyPrefix: string, number: number | bigint): string {
  let rest = '';
  let value = BigInt(number);
  while (value > 0n) {
    rest = BASE62[Number(value % 62n)] + rest;
    value /= 62n;
  }
  // Salesforce Ids carry a server (pod) mark after the prefix; the emulator's is "5E".
  const id15 = `${keyPrefix}5E${rest.padStart(10, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

const ID_SHAPE = /^[0-9A-Za-z]{15}(?:[A-Z0-5]{3})?$/;

/**
 * The canonical 18-character form of an Id given as 15 or 18 characters
 * (an 18-character Id in any case: its suffix restores the case), or
 * undefined when it is not an Id.
 */
export function canonicalId(input: string): string | undefined {
  if (input.length === 18) {
    const suffix = input.slice(15).toUpperCase();
    if (!/^[A-Z0-5]{3}$/.test(suffix)) return undefined;
    let id15 = '';
    for (let chunk = 0; chunk < 3; chunk++) {
      const bits = SUFFIX_ALPHABET.indexOf(suffix[chunk]!);
      for (let i = 0; i < 5; i++) {
        const char = input[chunk * 5 + i]!;
        id15 += bits & (1 << i) ? char.toUpperCase() : char.toLowerCase();
      }
    }
    return ID_SHAPE.test(id15) && caseSafeSuffix(id15) === suffix ? id15 + suffix : undefined;
  }
  return input.length === 15 && ID_SHAPE.test(input) ? input + caseSafeSuffix(input) : undefined;
}

/**
 * Key prefixes for `objectNames`: standard ones as Salesforce has them, and a
 * stable one per custom object (`a` and two base-62 characters from a hash of
 * its name, the next free one on a clash, in name order), so the same objects
 * get the same prefixes on every run.
 */
export function assignKeyPrefixes(objectNames: readonly string[], taken: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const prefixes = new Map(taken);
  const used = new Set(prefixes.values());
  for (const name of [...new Set(objectNames)].sort()) {
    if (prefixes.has(name)) continue;
    let prefix = STANDARD_KEY_PREFIXES[name];
    if (prefix === undefined) {
      let slot = hash(name) % (62 * 62);
      do {
        prefix = `a${BASE62[Math.floor(slot / 62)]}${BASE62[slot % 62]}`;
        slot = (slot + 1) % (62 * 62);
      } while (used.has(prefix));
    }
    prefixes.set(name, prefix);
    used.add(prefix);
  }
  return prefixes;
}

/** FNV-1a over the name's UTF-16 units: stable across runs and platforms. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}
