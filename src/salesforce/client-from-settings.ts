/** A Salesforce client from the `SALESFORCE_*` settings (src/settings/salesforce-settings.ts). Edge-safe. */
import { readSalesforceSettings, type SalesforceSettings } from '../settings/salesforce-settings.ts';
import { createSalesforceClient, type SalesforceAuth, type SalesforceClient, type SalesforceClientOptions } from './client.ts';

/**
 * The login the settings describe: SALESFORCE_ACCESS_TOKEN as it is, else
 * SALESFORCE_REFRESH_TOKEN, else SALESFORCE_USERNAME and SALESFORCE_PASSWORD,
 * else the client credentials flow.
 */
export function salesforceAuthOf(settings: SalesforceSettings): SalesforceAuth {
  const { loginUrl, clientId = '', clientSecret = '' } = settings;
  if (settings.accessToken !== undefined) return { kind: 'access-token', accessToken: settings.accessToken };
  if (settings.refreshToken !== undefined) {
    return { kind: 'refresh-token', loginUrl, clientId, refreshToken: settings.refreshToken, ...(settings.clientSecret === undefined ? {} : { clientSecret }) };
  }
  if (settings.username !== undefined && settings.password !== undefined) {
    return { kind: 'password', loginUrl, clientId, clientSecret, username: settings.username, password: settings.password };
  }
  return { kind: 'client-credentials', loginUrl, clientId, clientSecret };
}

/**
 * A client from the settings (default: read from the environment).
 *
 * @throws {SettingsError} naming the first bad or missing setting.
 * @example
 * const sf = salesforceClientFromSettings(); // SALESFORCE_INSTANCE_URL, SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, ...
 */
export function salesforceClientFromSettings(
  settings: SalesforceSettings = readSalesforceSettings(),
  options: Omit<SalesforceClientOptions, 'instanceUrl' | 'auth' | 'apiVersion' | 'sobjects'> = {},
): SalesforceClient {
  return createSalesforceClient({
    ...options,
    instanceUrl: settings.instanceUrl,
    auth: salesforceAuthOf(settings),
    ...(settings.apiVersion === undefined ? {} : { apiVersion: settings.apiVersion }),
    ...(settings.sobjects === undefined ? {} : { sobjects: settings.sobjects }),
  });
}
