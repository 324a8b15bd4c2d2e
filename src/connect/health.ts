/**
 * Health of an app's Heroku Connect connections, as django-heroku-connect's
 * health check (heroku-connect.md §5.4): every connection must be in a
 * healthy state. Edge-safe, with a `Request -> Response` handler.
 */
import { readSettings, type Settings } from '../settings/settings.ts';
import { HcDrizzleError, SettingsError } from '../errors.ts';
import { connectClientFromSettings, type ConnectClient } from './client.ts';

/** The connection states django-heroku-connect counts as healthy. */
export const HEALTHY_STATES: readonly string[] = ['IDLE', 'POLLING_DB_CHANGES', 'IMPORT_CONFIGURATION', 'BUSY'];

/** Whether a connection state is healthy. */
export function isHealthyState(state: string): boolean {
  return HEALTHY_STATES.includes(state);
}

/** One connection in a {@link HealthReport}. */
export interface ConnectionHealth {
  readonly id: string;
  readonly name: string | null;
  readonly state: string;
  readonly healthy: boolean;
}

/** The outcome of {@link checkHealth}. */
export interface HealthReport {
  /** True when at least one connection is visible and every one is healthy. */
  readonly healthy: boolean;
  readonly app: string;
  readonly connections: readonly ConnectionHealth[];
  /** Why the app is unhealthy, one sentence per problem; empty when healthy. */
  readonly problems: readonly string[];
}

/** Options of {@link checkHealth} and {@link createHealthHandler}. */
export interface HealthCheckOptions {
  /** Default: a client from `settings`. */
  readonly client?: ConnectClient;
  /** Default `readSettings()` (the environment). */
  readonly settings?: Settings;
  /** Default the `HEROKU_APP_NAME` setting. */
  readonly appName?: string;
  /** A deadline or cancellation for the check (the call, its retries and backoff). */
  readonly signal?: AbortSignal;
}

/**
 * Check the app's connections. No visible connection counts as unhealthy
 * (django-heroku-connect passes it): a token that sees nothing is a broken setup.
 *
 * @throws {SettingsError} when the token or the app name is missing.
 * @throws {ConnectApiError} when the API call fails.
 * @example
 * const report = await checkHealth({ appName: 'my-app' });
 * if (!report.healthy) console.error(report.problems.join('\n'));
 */
export async function checkHealth(options: HealthCheckOptions = {}): Promise<HealthReport> {
  let settings = options.settings;
  const settingsOnce = () => (settings ??= readSettings());
  const client = options.client ?? connectClientFromSettings(settingsOnce());
  const app = options.appName ?? settingsOnce().appName;
  if (app === '') throw new SettingsError('HEROKU_APP_NAME', 'HEROKU_APP_NAME is not set: name the Heroku app whose connections to check.');
  const connections = (await client.listConnections(app, options.signal === undefined ? {} : { signal: options.signal })).map(
    (connection): ConnectionHealth => ({
      id: connection.id,
      name: connection.name ?? null,
      state: connection.state,
      healthy: isHealthyState(connection.state),
    }),
  );
  const problems =
    connections.length === 0
      ? [`No Heroku Connect connection is visible for the app ${app}.`]
      : connections
          .filter((connection) => !connection.healthy)
          .map((connection) => `Connection ${connection.name ?? connection.id} is ${connection.state}.`);
  return { healthy: problems.length === 0, app, connections, problems };
}

/** Options of {@link createHealthHandler}. */
export interface HealthHandlerOptions extends HealthCheckOptions {
  /**
   * How long one request may wait for the API, retries included (default
   * 10,000 ms): past it the endpoint answers 503 rather than keep the
   * monitor waiting. The request's own signal (the caller hung up) also ends it.
   */
  readonly timeoutMs?: number;
}

/** The default bound of one health request: under the 30 s Heroku's router and most uptime monitors allow. */
const HEALTH_REQUEST_TIMEOUT_MS = 10_000;

/**
 * A `Request -> Response` health endpoint for edge runtimes and any
 * fetch-style server: 200 with the connection states when all are healthy,
 * 503 with the problems otherwise (also when the check itself fails or
 * outlasts `timeoutMs`). The
 * body is public: it holds only what the client returned (secrets redacted)
 * and hc-drizzle's own error sentences; any other error is reported without
 * its message.
 *
 * @example
 * // Vercel / Netlify / Deno: export the handler for GET /health
 * export const GET = createHealthHandler({ appName: 'my-app' });
 */
// @__NO_SIDE_EFFECTS__
export function createHealthHandler(options: HealthHandlerOptions = {}): (request: Request) => Promise<Response> {
  const timeoutMs = options.timeoutMs ?? HEALTH_REQUEST_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number of milliseconds, not ${String(timeoutMs)}.`);
  return async (request) => {
    let status: number;
    let body: unknown;
    try {
      const signals = [AbortSignal.timeout(timeoutMs), options.signal, request.signal].filter((signal) => signal !== undefined);
      const report = await checkHealth({ ...options, signal: AbortSignal.any(signals) });
      status = report.healthy ? 200 : 503;
      body = report;
    } catch (error) {
      status = 503;
      body = { healthy: false, problems: [error instanceof HcDrizzleError ? error.message : 'The health check failed unexpectedly.'] };
    }
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    });
  };
}
