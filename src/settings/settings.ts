/**
 * Settings from the environment, validated with valibot. Edge-safe: the
 * environment is passed in (Node callers pass `process.env`); when it is not,
 * `globalThis.process?.env` is used if the runtime has one.
 */
import * as v from 'valibot';
import { SettingsError } from '../errors.ts';
import { BaseUrlSchema } from '../http/base-url.ts';
import { HEROKU_APP_NAME_PATTERN, HEROKU_APP_NAME_RULE } from './app-name.ts';
import { parseSettings, settingsError } from './settings-error.ts';

/** django-heroku-connect's default API endpoint (heroku-connect.md §5.1). */
export const DEFAULT_API_ENDPOINT = 'https://connect-eu.heroku.com/api/v3';
export const DEFAULT_SCHEMA = 'salesforce';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const optionalSetting = <T extends v.GenericSchema<string, unknown>>(schema: T) =>
  v.pipe(v.unknown(), v.transform(blankToUndefined), v.optional(schema));

const SettingsSchema = v.object({
  HEROKU_CONNECT_SCHEMA: optionalSetting(
    v.pipe(
      v.string(),
      v.regex(/^[a-z_][a-z0-9_$]{0,62}$/, 'must be a lowercase PostgreSQL schema name (letters, digits, _ or $; at most 63)'),
    ),
  ),
  HEROKU_CONNECT_ORGANIZATION_ID: optionalSetting(
    v.pipe(v.string(), v.regex(/^[a-zA-Z0-9]{1,18}$/, 'must be a Salesforce organization id (at most 18 letters and digits)')),
  ),
  HEROKU_APP_NAME: optionalSetting(v.pipe(v.string(), v.regex(HEROKU_APP_NAME_PATTERN, `must be a Heroku app name (${HEROKU_APP_NAME_RULE})`))),
  HEROKU_AUTH_TOKEN: optionalSetting(v.pipe(v.string(), v.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it goes in a header)'))),
  HEROKU_CONNECT_API_ENDPOINT: optionalSetting(BaseUrlSchema),
  DATABASE_URL: optionalSetting(
    v.pipe(v.string(), v.regex(/^postgres(?:ql)?:\/\//i, 'must be a postgres:// or postgresql:// URL')),
  ),
});

/** hc-drizzle's settings, read from the environment. */
export interface Settings {
  /** `HEROKU_CONNECT_SCHEMA`, default `salesforce`. */
  readonly schema: string;
  /** `HEROKU_CONNECT_ORGANIZATION_ID`, default empty (as django-heroku-connect). */
  readonly organizationId: string;
  /** `HEROKU_APP_NAME`, default empty. */
  readonly appName: string;
  /** `HEROKU_AUTH_TOKEN`, if set. Never printed. */
  readonly authToken: string | undefined;
  /** `HEROKU_CONNECT_API_ENDPOINT`, default {@link DEFAULT_API_ENDPOINT}. */
  readonly apiEndpoint: string;
  /** `DATABASE_URL`, if set. */
  readonly databaseUrl: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

function ambientEnv(): Env {
  const process = (globalThis as { process?: { env?: Env } }).process;
  return process?.env ?? {};
}

/**
 * The Heroku Connect schema name alone (`HEROKU_CONNECT_SCHEMA`, default
 * `salesforce`), so defining a table never fails on an unrelated setting.
 *
 * @throws {SettingsError} when the variable is set to something that is not a schema name.
 */
export function schemaSetting(env: Env = ambientEnv()): string {
  const result = v.safeParse(SettingsSchema.entries.HEROKU_CONNECT_SCHEMA, env['HEROKU_CONNECT_SCHEMA']);
  if (!result.success) throw settingsError('HEROKU_CONNECT_SCHEMA', env['HEROKU_CONNECT_SCHEMA'], result.issues[0].message);
  return result.output ?? DEFAULT_SCHEMA;
}

/**
 * Read and validate the settings.
 *
 * @throws {SettingsError} naming the first bad variable.
 * @example
 * const { schema, apiEndpoint } = readSettings(process.env);
 */
export function readSettings(env: Env = ambientEnv()): Settings {
  const s = parseSettings(SettingsSchema, env);
  return {
    schema: s.HEROKU_CONNECT_SCHEMA ?? DEFAULT_SCHEMA,
    organizationId: s.HEROKU_CONNECT_ORGANIZATION_ID ?? '',
    appName: s.HEROKU_APP_NAME ?? '',
    authToken: s.HEROKU_AUTH_TOKEN,
    apiEndpoint: s.HEROKU_CONNECT_API_ENDPOINT ?? DEFAULT_API_ENDPOINT,
    databaseUrl: s.DATABASE_URL,
  };
}
