/**
 * Node only (not re-exported by index.ts, so edge bundles never load
 * undici): a client over undici's fetch with its own connection pool, so
 * connect and header timeouts follow the client's timeout rather than
 * undici's defaults.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import type { Settings } from '../settings/settings.ts';
import { connectClientFromSettings, type ConnectClient, type ConnectClientOptions, type FetchFunction } from './client.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

/** A fetch function over undici with the given connect/headers/body timeouts. */
export function createUndiciFetch(timeoutMs: number): FetchFunction {
  const dispatcher = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return (url, init) => undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
}

/**
 * A client from the settings that fetches with undici.
 *
 * @throws {SettingsError} when HEROKU_AUTH_TOKEN is not set.
 */
export function createNodeConnectClient(settings: Settings, options: Omit<ConnectClientOptions, 'token' | 'endpoint' | 'fetch'> = {}): ConnectClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return connectClientFromSettings(settings, { ...options, timeoutMs, fetch: createUndiciFetch(timeoutMs) });
}
