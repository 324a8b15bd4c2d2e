/**
 * Node only (not re-exported by index.ts, so edge bundles never load
 * undici): a client over undici's fetch (src/http/undici-fetch.ts).
 */
import { createUndiciFetch } from '../http/undici-fetch.ts';
import type { Settings } from '../settings/settings.ts';
import { connectClientFromSettings, type ConnectClient, type ConnectClientOptions } from './client.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A client from the settings that fetches with undici.
 *
 * @throws {SettingsError} when HEROKU_AUTH_TOKEN is not set or HEROKU_CONNECT_API_ENDPOINT is unusable.
 */
export function createNodeConnectClient(settings: Settings, options: Omit<ConnectClientOptions, 'token' | 'endpoint' | 'fetch'> = {}): ConnectClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return connectClientFromSettings(settings, { ...options, timeoutMs, fetch: createUndiciFetch(timeoutMs) });
}
