/**
 * The Salesforce REST client's settings (`SALESFORCE_*`), validated with
 * valibot, apart from Heroku Connect's so an app that never calls Salesforce
 * never fails on them. Secrets are never shown, not even in their own
 * errors. Edge-safe: the environment is passed in, else
 * `globalThis.process?.env`.
 */
import * as v from 'valibot';
import { apiNameProblem } from '../checks/api-names.ts';
import { SettingsError } from '../errors.ts';
import { BaseUrlSchema } from '../http/base-url.ts';
import { parseSettings } from './settings-error.ts';

/** What the Salesforce settings hold, validated. */
export interface SalesforceSettings {
  /** `SALESFORCE_INSTANCE_URL`: the org's My Domain URL. Required. */
  readonly instanceUrl: string;
  /** `SALESFORCE_LOGIN_URL`: where to log in; default the instance URL (client credentials need My Domain). */
  readonly loginUrl: string;
  /** `SALESFORCE_CLIENT_ID`: the connected app's consumer key. */
  readonly clientId: string | undefined;
  /** `SALESFORCE_CLIENT_SECRET`. Never printed. */
  readonly clientSecret: string | undefined;
  /** `SALESFORCE_API_VERSION`, e.g. `62.0`; undefined for the client's default. */
  readonly apiVersion: string | undefined;
  /** `SALESFORCE_SOBJECTS`: the objects the client may touch, comma-separated; undefined for any. */
  readonly sobjects: readonly string[] | undefined;
  /** `SALESFORCE_USERNAME` and `SALESFORCE_PASSWORD` (never printed): the username-password flow. */
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** `SALESFORCE_REFRESH_TOKEN` (never printed): the refresh token flow. */
  readonly refreshToken: string | undefined;
  /** `SALESFORCE_ACCESS_TOKEN` (never printed): a token obtained elsewhere, used as it is. */
  readonly accessToken: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends v.GenericSchema<string, unknown>>(schema: T) => v.pipe(v.unknown(), v.transform(blankToUndefined), v.optional(schema));
const Secret = v.pipe(v.string(), v.regex(/^\S+$/, 'must not contain white space'));

const SalesforceSettingsSchema = v.object({
  SALESFORCE_INSTANCE_URL: optional(BaseUrlSchema),
  SALESFORCE_LOGIN_URL: optional(BaseUrlSchema),
  SALESFORCE_CLIENT_ID: optional(v.pipe(v.string(), v.regex(/^\S+$/, 'must not contain white space'))),
  SALESFORCE_CLIENT_SECRET: optional(Secret),
  SALESFORCE_API_VERSION: optional(v.pipe(v.string(), v.regex(/^\d{2,3}\.\d$/, 'must be an API version like 62.0'))),
  SALESFORCE_SOBJECTS: optional(
    v.pipe(
      v.string(),
      v.transform((list) => list.split(',').map((name) => name.trim()).filter((name) => name !== '')),
      v.check((names) => names.every((name) => apiNameProblem(name, 'object') === undefined), 'must be Salesforce object API names separated by commas'),
    ),
  ),
  SALESFORCE_USERNAME: optional(v.string()),
  SALESFORCE_PASSWORD: optional(v.string()),
  SALESFORCE_REFRESH_TOKEN: optional(Secret),
  SALESFORCE_ACCESS_TOKEN: optional(v.pipe(v.string(), v.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it goes in a header)'))),
});

function ambientEnv(): Env {
  const process = (globalThis as { process?: { env?: Env } }).process;
  return process?.env ?? {};
}

/**
 * Read and validate the `SALESFORCE_*` settings.
 *
 * @throws {SettingsError} naming the first bad or missing variable (never showing a secret).
 * @example
 * const sf = salesforceClientFromSettings(readSalesforceSettings(process.env));
 */
export function readSalesforceSettings(env: Env = ambientEnv()): SalesforceSettings {
  const s = parseSettings(SalesforceSettingsSchema, env);
  if (s.SALESFORCE_INSTANCE_URL === undefined) {
    throw new SettingsError('SALESFORCE_INSTANCE_URL', "SALESFORCE_INSTANCE_URL is not set: set it to the org's My Domain URL (https://<domain>.my.salesforce.com).");
  }
  const settings: SalesforceSettings = {
    instanceUrl: s.SALESFORCE_INSTANCE_URL,
    loginUrl: s.SALESFORCE_LOGIN_URL ?? s.SALESFORCE_INSTANCE_URL,
    clientId: s.SALESFORCE_CLIENT_ID,
    clientSecret: s.SALESFORCE_CLIENT_SECRET,
    apiVersion: s.SALESFORCE_API_VERSION,
    sobjects: s.SALESFORCE_SOBJECTS,
    username: s.SALESFORCE_USERNAME,
    password: s.SALESFORCE_PASSWORD,
    refreshToken: s.SALESFORCE_REFRESH_TOKEN,
    accessToken: s.SALESFORCE_ACCESS_TOKEN,
  };
  if (settings.accessToken === undefined) {
    if (settings.clientId === undefined) {
      throw new SettingsError('SALESFORCE_CLIENT_ID', "SALESFORCE_CLIENT_ID is not set: set it to the connected app's consumer key, or give SALESFORCE_ACCESS_TOKEN.");
    }
    if (settings.clientSecret === undefined && settings.refreshToken === undefined) {
      throw new SettingsError('SALESFORCE_CLIENT_SECRET', "SALESFORCE_CLIENT_SECRET is not set: set it to the connected app's consumer secret.");
    }
    if ((settings.username === undefined) !== (settings.password === undefined)) {
      const missing = settings.username === undefined ? 'SALESFORCE_USERNAME' : 'SALESFORCE_PASSWORD';
      throw new SettingsError(missing, `${missing} is not set: the username-password flow needs both SALESFORCE_USERNAME and SALESFORCE_PASSWORD.`);
    }
  }
  return settings;
}
