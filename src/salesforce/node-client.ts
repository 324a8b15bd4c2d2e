/**
 * Node only (not re-exported by index.ts, so edge bundles never load
 * undici): a Salesforce client over undici's fetch (src/http/undici-fetch.ts).
 */
import { createUndiciFetch } from '../http/undici-fetch.ts';
import type { SalesforceSettings } from '../settings/salesforce-settings.ts';
import type { SalesforceClient, SalesforceClientOptions } from './client.ts';
import { salesforceClientFromSettings } from './client-from-settings.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A client from the settings that fetches with undici.
 *
 * @throws {SettingsError} naming the first bad or missing setting.
 */
export function createNodeSalesforceClient(
  settings: SalesforceSettings,
  options: Omit<SalesforceClientOptions, 'instanceUrl' | 'auth' | 'apiVersion' | 'sobjects' | 'fetch'> = {},
): SalesforceClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return salesforceClientFromSettings(settings, { ...options, timeoutMs, fetch: createUndiciFetch(timeoutMs) });
}
