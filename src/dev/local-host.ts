/**
 * "Is this database on this machine?" — the guard in front of `--force`, so a
 * production `salesforce` schema is never dropped by a slip.
 *
 * "Local" is decided from where the connection really goes, twice: before
 * connecting, from the host node-postgres itself would use (the URL's
 * authority, `?host=`, `PGHOST`, its `localhost` default; a socket path is
 * local), and after connecting, from the server's side (the address it
 * accepted the connection on must be a loopback address, or none: a unix
 * socket). The second one catches what names can hide: a `localhost` that
 * resolves elsewhere, and proxies that forward a local port to another
 * machine (cloud SQL proxies, `kubectl port-forward`, containers); that
 * one is in server-address.ts, so this file stays light for the CLI.
 */
import { isIP } from 'node:net';
import { InputError } from '../errors.ts';

/** localhost, 127.0.0.0/8, ::1 (also as ::ffff:127.x), or a unix socket path (empty host: libpq's default socket). */
export function isLocalHost(host: string): boolean {
  const bare = host
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\/(?:32|128)$/, '')
    .toLowerCase();
  if (bare === '' || bare.startsWith('/') || bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The host a postgres:// URL names: `?host=` (a socket) wins over the authority, as in libpq. Empty when it names none. */
export function hostOfDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/^(postgres(?:ql)?:\/\/)([^/?#]*@)(?=[/?#]|$)/i, '$1$2placeholder.invalid'));
  } catch {
    throw new InputError('The database URL is not a valid URL (expected postgres://user:password@host:port/database).');
  }
  const host = parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname);
  return host === 'placeholder.invalid' ? '' : host;
}

/** Where node-postgres will connect for a config: the host (or socket folder), the port and the database. */
export interface PostgresEndpoint {
  readonly host: string;
  readonly port: number;
  readonly database: string | undefined;
  /** Whether `host` is a unix socket folder. */
  readonly socket: boolean;
  /** A `hostaddr` the URL or PGHOSTADDR names (node-postgres does not use it; other tools do). */
  readonly hostaddr: string | undefined;
}

/**
 * Where node-postgres connects for `config` (a URL, or a pg Client/Pool
 * config), read with node-postgres's own parser and defaults, the
 * environment (`PGHOST`, `PGPORT`, ...) included.
 *
 * @throws {InputError} when the URL can't be read.
 */
export async function postgresEndpoint(config: string | Readonly<Record<string, unknown>>): Promise<PostgresEndpoint> {
  const { default: pg } = await import('pg');
  const options = typeof config === 'string' ? { connectionString: config } : config;
  let parameters: { host: string; port: number; database?: string; isDomainSocket: boolean };
  try {
    parameters = (new pg.Client(options as never) as unknown as { connectionParameters: typeof parameters }).connectionParameters;
  } catch {
    throw new InputError('The database URL is not a valid URL (expected postgres://user:password@host:port/database).');
  }
  const connectionString = typeof options['connectionString'] === 'string' ? options['connectionString'] : undefined;
  let hostaddr = process.env['PGHOSTADDR'] || undefined;
  if (connectionString !== undefined) {
    const query = /\?([^#]*)/.exec(connectionString)?.[1];
    const fromUrl = query === undefined ? null : new URLSearchParams(query).get('hostaddr');
    if (fromUrl) hostaddr = fromUrl;
  }
  return { host: parameters.host, port: parameters.port, database: parameters.database, socket: parameters.isDomainSocket, hostaddr };
}

/** Whether the endpoint is on this machine by its names (before connecting). */
export function isLocalEndpoint(endpoint: PostgresEndpoint): boolean {
  return isLocalHost(endpoint.host) && (endpoint.hostaddr === undefined || isLocalHost(endpoint.hostaddr));
}

/** The endpoint as messages show it: `db.example.com:5432/app`, `the socket in /run/postgresql (database app)`, `... (hostaddr 10.0.0.5)`. */
export function describeEndpoint(endpoint: PostgresEndpoint): string {
  const name = endpoint.database ?? '';
  const where = endpoint.socket
    ? `the socket in ${endpoint.host}${name === '' ? '' : ` (database ${name})`}`
    : `${endpoint.host}:${endpoint.port}${name === '' ? '' : `/${name}`}`;
  return endpoint.hostaddr === undefined ? where : `${where} (hostaddr ${endpoint.hostaddr})`;
}
