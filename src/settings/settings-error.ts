/**
 * Validating a group of settings, for every settings reader, and the error
 * naming a bad one: the value is shown to help, except a secret's, and with
 * any `user:password@` of a URL masked. Edge-safe.
 */
import * as v from 'valibot';
import { SettingsError } from '../errors.ts';

/** Settings whose value is a secret: an error about them never shows the value. */
const SECRET_SETTINGS: ReadonlySet<string> = new Set([
  'HEROKU_AUTH_TOKEN',
  'SALESFORCE_CLIENT_SECRET',
  'SALESFORCE_PASSWORD',
  'SALESFORCE_REFRESH_TOKEN',
  'SALESFORCE_ACCESS_TOKEN',
]);

/** `${variable} is invalid: <value> <problem>.` */
export function settingsError(variable: string, value: unknown, problem: string): SettingsError {
  const shown = SECRET_SETTINGS.has(variable) || typeof value !== 'string' ? 'the value' : JSON.stringify(maskCredentials(value));
  return new SettingsError(variable, `${variable} is invalid: ${shown} ${problem}.`);
}

/** `scheme://user:password@host` shown as `scheme://***@host`, in URLs the parser would reject too. */
function maskCredentials(value: string): string {
  return value.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/**
 * The variables of `schema` read from `env` and validated.
 *
 * @throws {SettingsError} naming the first bad variable.
 */
export function parseSettings<S extends v.ObjectSchema<v.ObjectEntries, undefined>>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): v.InferOutput<S> {
  const picked = Object.fromEntries(Object.keys(schema.entries).map((key) => [key, env[key]]));
  const result = v.safeParse(schema, picked);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const variable = String(issue.path?.[0]?.key ?? 'environment');
  throw settingsError(variable, env[variable], issue.message);
}
