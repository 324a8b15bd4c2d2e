/**
 * What the commands that open the project's database share: --url, --config,
 * and the opening itself. Embedded PGlite is used when the URL says
 * `pglite:<folder>`, when drizzle.config.* says `driver: 'pglite'`, or when no
 * database is named at all; only `dev-schema` creates a PGlite database, the
 * other commands open one that exists.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Option } from 'clipanion';
import { describeEndpoint, isLocalEndpoint, postgresEndpoint, type PostgresEndpoint } from '../dev/local-host.ts';
import { InputError } from '../errors.ts';
import { DEFAULT_PGLITE_DIR, openDatabase, type OpenDatabase } from '../node/database.ts';
import type { DatabaseTarget } from '../node/database-url.ts';
import type { HcCommand } from './base-command.ts';

/** The options every database command takes. */
export function databaseOptions() {
  return {
    url: Option.String('--url', {
      description: `postgres:// URL, or pglite:<folder> (default DATABASE_URL, then the config files, then embedded PGlite in ${DEFAULT_PGLITE_DIR})`,
    }),
    config: Option.String('--config', { description: 'Path of hc-drizzle.config.ts (default: found from the working folder up)' }),
  };
}

/** Where a command's database is: PostgreSQL, a PGlite folder, or (undefined) the default PGlite folder. */
export interface DatabaseLocation {
  readonly resolved: DatabaseTarget | undefined;
  /** Whether it is on this machine by the host the driver will use (PGlite always is). */
  readonly local: boolean;
  /** Where node-postgres will connect (PostgreSQL only): the URL as the driver reads it, PGHOST included. */
  readonly endpoint: PostgresEndpoint | undefined;
}

/** Find the database without touching it. */
export async function locateDatabase(url: string | undefined, config: string | undefined): Promise<DatabaseLocation> {
  const { resolveDatabase } = await import('../node/database-url.ts');
  const resolved = await resolveDatabase({ url, config, cwd: process.cwd() });
  const endpoint = resolved?.kind === 'postgres' ? await postgresEndpoint(resolved.url) : undefined;
  return { resolved, local: endpoint === undefined || isLocalEndpoint(endpoint), endpoint };
}

/** Whether a PGlite data folder holds a database (PostgreSQL writes PG_VERSION first). */
const holdsDatabase = (dataDir: string) => dataDir.startsWith('memory://') || existsSync(join(dataDir, 'PG_VERSION'));

/**
 * Open the located database, saying on stderr which one. With `create`
 * false, a PGlite folder must already hold a database.
 */
export async function openLocatedDatabase(command: HcCommand, location: DatabaseLocation, { create = false } = {}): Promise<OpenDatabase> {
  const { resolved, endpoint } = location;
  if (resolved?.kind === 'postgres') {
    const where = endpoint === undefined ? 'the URL' : describeEndpoint(endpoint);
    command.context.stderr.write(`hc-drizzle: opening PostgreSQL at ${where} (from ${resolved.source})…\n`);
    return openDatabase({ url: resolved.url });
  }
  const dataDir = resolved?.dataDir ?? DEFAULT_PGLITE_DIR;
  const shown = dataDir.startsWith('memory://') ? dataDir : relative(process.cwd(), dataDir) || '.';
  if (!create && !holdsDatabase(dataDir)) {
    throw new InputError(
      resolved === undefined
        ? `No database given: pass --url <postgres-url> or set DATABASE_URL, or run \`hc-drizzle dev-schema\` to create the embedded one in ${DEFAULT_PGLITE_DIR}.`
        : `No PGlite database in ${shown} (from ${resolved.source}): run \`hc-drizzle dev-schema --url pglite:${shown}\` to create it.`,
    );
  }
  command.context.stderr.write(`hc-drizzle: opening embedded PGlite in ${shown}${resolved === undefined ? '' : ` (from ${resolved.source})`}…\n`);
  return openDatabase({ pgliteDir: dataDir });
}

/** Open the located database, run `work` on it, and close it whatever happens. */
export async function withDatabase<T>(
  command: HcCommand,
  location: DatabaseLocation,
  work: (database: OpenDatabase) => Promise<T>,
  options: { readonly create?: boolean } = {},
): Promise<T> {
  const database = await openLocatedDatabase(command, location, options);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
