/** The server's side of "is this database on this machine?" (see local-host.ts). */
import { sql } from 'drizzle-orm';
import { executeRows, type AnyPgDatabase } from '../compat.ts';
import { isLocalHost } from './local-host.ts';

/**
 * Where the server says the connection arrived: undefined when the
 * connection is on this machine (a unix socket, or a loopback address, as
 * the server sees it), otherwise the address it accepted it on.
 */
export async function remoteServerAddress(db: AnyPgDatabase): Promise<string | undefined> {
  const [row] = await executeRows<{ server: string | null }>(db, sql`select host(inet_server_addr()) as server`);
  const server = row?.server ?? null;
  return server === null || isLocalHost(server) ? undefined : server;
}
