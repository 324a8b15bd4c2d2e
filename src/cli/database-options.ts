/** What the commands that open the project's database share: --url, --config, and the opening itself. */
import { Option } from 'clipanion';
import { isLocalHost, hostOfDatabaseUrl } from '../dev/local-host.ts';
import { DEFAULT_PGLITE_DIR, openDatabase, type OpenDatabase } from '../node/database.ts';
import { resolveDatabaseUrl, type ResolvedDatabaseUrl } from '../node/database-url.ts';
import { HcCommand } from './base-command.ts';

/** The options every database command takes. */
export function databaseOptions() {
  return {
    url: Option.String('--url', {
      description: 'postgres:// URL (default DATABASE_URL, then the config files; none: embedded PGlite in .hc-drizzle/pglite)',
    }),
    config: Option.String('--config', { description: 'Path of hc-drizzle.config.ts' }),
  };
}

/** Where a command's database is: a PostgreSQL URL, or a PGlite folder. */
export interface DatabaseLocation {
  readonly resolved: ResolvedDatabaseUrl | undefined;
  /** Whether it is on this machine (PGlite always is). */
  readonly local: boolean;
}

const isPostgresUrl = (url: string) => /^postgres(?:ql)?:\/\//.test(url);

/** Find the database without touching it. */
export async function locateDatabase(url: string | undefined, config: string | undefined): Promise<DatabaseLocation> {
  const resolved = await resolveDatabaseUrl({ url, config, cwd: process.cwd() });
  const local = resolved === undefined || !isPostgresUrl(resolved.url) || isLocalHost(hostOfDatabaseUrl(resolved.url));
  return { resolved, local };
}

/**
 * Open the located database, saying on stderr which one. A drizzle.config.ts
 * `dbCredentials.url` that is not a postgres:// URL is a PGlite folder
 * (drizzle-kit's `driver: 'pglite'`).
 */
export async function openLocatedDatabase(command: HcCommand, location: DatabaseLocation): Promise<OpenDatabase> {
  const { resolved } = location;
  const target =
    resolved === undefined
      ? `embedded PGlite in ${DEFAULT_PGLITE_DIR}`
      : isPostgresUrl(resolved.url)
        ? `PostgreSQL at ${hostOfDatabaseUrl(resolved.url) || 'the local socket'} (from ${resolved.source})`
        : `embedded PGlite in ${resolved.url} (from ${resolved.source})`;
  command.context.stderr.write(`hc-drizzle: opening ${target}…\n`);
  if (resolved === undefined) return openDatabase();
  return isPostgresUrl(resolved.url) ? openDatabase({ url: resolved.url }) : openDatabase({ pgliteDir: resolved.url });
}
