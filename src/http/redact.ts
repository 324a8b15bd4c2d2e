/**
 * Secrets never shown: the one redaction every piece of text hc-drizzle
 * shows goes through (request logs, error messages, reply data, CLI output).
 * A secret is also hidden in the forms a reply may echo it in: URL- and
 * form-encoded, and escaped inside a JSON string. Edge-safe.
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** A growing set of secrets and the functions that hide them. */
export interface Redactor {
  /** Hide `secret` from now on (ignored when undefined or blank). */
  add(secret: string | undefined): void;
  /** `text` with every known secret replaced by {@link REDACTED}. */
  redact(text: string): string;
  /** A copy of a parsed JSON value with every string (and key) redacted; the value itself when no secret is known. */
  redactValue<T>(value: T): T;
}

/** The forms a secret can take in text that echoes it. */
function formsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    json,
    json.replaceAll('/', '\\/'),
  ];
}

const escapeForRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A redactor knowing `secrets` (undefined and blank entries are skipped).
 *
 * @example
 * const redactor = createRedactor([token]);
 * log(redactor.redact(line));
 */
export function createRedactor(secrets: readonly (string | undefined)[] = []): Redactor {
  const known = new Set<string>();
  let pattern: RegExp | undefined;

  function add(secret: string | undefined): void {
    if (secret === undefined || secret.trim() === '' || known.has(secret)) return;
    known.add(secret);
    // Longest first, so a secret that contains another is hidden whole.
    const forms = [...new Set([...known].flatMap(formsOf))].sort((a, b) => b.length - a.length);
    pattern = new RegExp(forms.map(escapeForRegExp).join('|'), 'g');
  }

  function redact(text: string): string {
    return pattern === undefined ? text : text.replace(pattern, REDACTED);
  }

  function redactDeep(value: unknown): unknown {
    if (typeof value === 'string') return redact(value);
    if (Array.isArray(value)) return value.map(redactDeep);
    if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactDeep(item)]));
    }
    return value;
  }

  for (const secret of secrets) add(secret);
  return {
    add,
    redact,
    redactValue: <T>(value: T): T => (pattern === undefined ? value : (redactDeep(value) as T)),
  };
}
