/**
 * Which write algorithm Heroku Connect uses for an app (heroku-connect.md
 * §3.5): ordered when the connection has `features.poll_db_no_merge`,
 * merged otherwise; every connection of the app must agree.
 */
import { readSettings, type Settings } from '../settings/settings.ts';
import { SettingsError } from '../errors.ts';
import { connectClientFromSettings, type ConnectClient } from './client.ts';
import { ConnectionLookupError } from './errors.ts';
import type { Connection } from './replies.ts';

/** `'ordered'`: one change at a time in capture order; `'merged'`: changes folded per record. */
export type WriteAlgorithm = 'ordered' | 'merged';

/** Options of {@link fetchWriteAlgorithm}. */
export interface FetchWriteAlgorithmOptions {
  /** Default: a client from `settings`. */
  readonly client?: ConnectClient;
  /** Default `readSettings()` (the environment). */
  readonly settings?: Settings;
  /** Default the `HEROKU_APP_NAME` setting. */
  readonly appName?: string;
}

/** The write algorithm of one connection. */
export function writeAlgorithmOf(connection: Connection): WriteAlgorithm {
  return connection.features?.poll_db_no_merge === true ? 'ordered' : 'merged';
}

/**
 * The write algorithm shared by `connections` (all of one app).
 *
 * @throws {ConnectionLookupError} when there are none, or they disagree.
 */
export function sharedWriteAlgorithm(app: string, connections: readonly Connection[]): WriteAlgorithm {
  const algorithms = new Set(connections.map(writeAlgorithmOf));
  const [only] = algorithms;
  if (only === undefined) {
    throw new ConnectionLookupError('HC_NO_CONNECTION', app, `No Heroku Connect connection is visible for the app ${app}: cannot tell its write algorithm.`);
  }
  if (algorithms.size > 1) {
    const list = connections.map((connection) => `${connection.name ?? connection.id}: ${writeAlgorithmOf(connection)}`).join(', ');
    throw new ConnectionLookupError(
      'HC_MIXED_WRITE_ALGORITHMS',
      app,
      `The connections of the app ${app} use different write algorithms (${list}): pass the algorithm explicitly.`,
    );
  }
  return only;
}

/**
 * Ask the Heroku Connect API which write algorithm the app's connections use.
 *
 * @throws {SettingsError} when the token or the app name is missing.
 * @throws {ConnectionLookupError} when no connection is visible or they disagree.
 * @throws {ConnectApiError} when the API call fails.
 * @example
 * const algorithm = await fetchWriteAlgorithm({ appName: 'my-app' }); // 'ordered' | 'merged'
 */
export async function fetchWriteAlgorithm(options: FetchWriteAlgorithmOptions = {}): Promise<WriteAlgorithm> {
  let settings = options.settings;
  const settingsOnce = () => (settings ??= readSettings());
  const client = options.client ?? connectClientFromSettings(settingsOnce());
  const app = options.appName ?? settingsOnce().appName;
  if (app === '') throw new SettingsError('HEROKU_APP_NAME', 'HEROKU_APP_NAME is not set: name the Heroku app whose connections to ask.');
  return sharedWriteAlgorithm(app, await client.listConnections(app));
}
