/**
 * Finding the one connection of an app, as django-heroku-connect's
 * `import_mappings` does (heroku-connect.md §6): when none is visible, link
 * the user's account to the app and look again; refuse several.
 */
import type { ConnectClient } from './client.ts';
import { ConnectionLookupError } from './errors.ts';
import type { Connection } from './replies.ts';

/** Options of {@link findAppConnection}. */
export interface FindAppConnectionOptions {
  /** Called before linking the account (for a progress line). */
  readonly onLink?: () => void;
  /** A deadline or cancellation for the whole lookup (every call, its retries and backoff). */
  readonly signal?: AbortSignal;
}

/** How a connection names itself in messages: its name and id. */
export function describeConnection(connection: Pick<Connection, 'id' | 'name'>): string {
  return connection.name ? `${connection.name} (${connection.id})` : connection.id;
}

/**
 * The single connection of `app`.
 *
 * @throws {ConnectionLookupError} when none is visible even after linking, or several are.
 * @example
 * const connection = await findAppConnection(client, 'my-app');
 */
export async function findAppConnection(client: ConnectClient, app: string, options: FindAppConnectionOptions = {}): Promise<Connection> {
  const call = options.signal === undefined ? {} : { signal: options.signal };
  let connections = await client.listConnections(app, call);
  if (connections.length === 0) {
    options.onLink?.();
    await client.linkAccount(app, call);
    connections = await client.listConnections(app, call);
  }
  const [first, ...others] = connections;
  if (first === undefined) {
    throw new ConnectionLookupError(
      'HC_NO_CONNECTION',
      app,
      `No Heroku Connect connection is visible for the app ${app}, even after linking your account: check the app name and HEROKU_CONNECT_API_ENDPOINT (the connection's region).`,
    );
  }
  if (others.length > 0) {
    throw new ConnectionLookupError(
      'HC_SEVERAL_CONNECTIONS',
      app,
      `The app ${app} has ${connections.length} connections (${connections.map(describeConnection).join(', ')}): choose one with --connection <id>.`,
    );
  }
  return first;
}
