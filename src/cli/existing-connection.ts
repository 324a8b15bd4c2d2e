/**
 * What `pull` and `diff` share to read a connection that exists: its mapping
 * (`--mapping` or `--app`) and its Heroku Connect schema in the database.
 * Implementations load when a command runs.
 */
import { Option } from 'clipanion';
import { InputError } from '../errors.ts';
import type { MappingExport } from '../mapping/mapping-export.ts';
import type { OpenDatabase } from '../node/database.ts';
import type { IntrospectedHerokuConnect } from '../pull/introspect.ts';
import type { Settings } from '../settings/settings.ts';
import type { HcCommand } from './base-command.ts';
import { withDatabase, type DatabaseLocation } from './database-options.ts';
import { appNameValidator, secondsValidator } from './flag-validators.ts';

/** The flags that say where the mapping is. */
export function mappingOptions() {
  return {
    mapping: Option.String('--mapping', {
      description: 'A mapping export: the dashboard\'s, `heroku connect:export`\'s or `hc-drizzle export`\'s JSON',
    }),
    app: Option.String('--app', { validator: appNameValidator, description: "Export the mapping from this Heroku app's connection through the API" }),
    hcSchema: Option.String('--hc-schema', {
      description: "The Heroku Connect schema (default: the connection's, else HEROKU_CONNECT_SCHEMA, else salesforce)",
    }),
    requestTimeout: Option.String('--request-timeout', { validator: secondsValidator, description: 'Seconds per API request (default 30)' }),
  };
}

/** A mapping, what it came from (for messages and headers) and the schema its connection names. */
export interface LoadedMapping {
  readonly mapping: MappingExport;
  /** `mapping.json`, or `the export of connection <name> (<id>) of <app>`. */
  readonly from: string;
  readonly schema: string | undefined;
}

/** The mapping flags of a command. */
export interface MappingFlags {
  readonly mapping: string | undefined;
  readonly app: string | undefined;
  readonly requestTimeout: number | undefined;
  readonly verbose: boolean;
}

/**
 * Read the mapping from the file of `--mapping`, or export it from the
 * connection of `--app` or HEROKU_APP_NAME (heroku-connect.md §5.2 `actions/export`).
 *
 * @throws {InputError} when neither or both are given, or the file is not a mapping export.
 */
export async function loadMapping(command: HcCommand, flags: MappingFlags, settings: Settings): Promise<LoadedMapping> {
  if (flags.mapping !== undefined && flags.app !== undefined) throw new InputError('Pass --mapping or --app, not both.');
  const { parseMappingExport, schemaOfMappingExport } = await import('../mapping/mapping-export.ts');
  if (flags.mapping !== undefined) {
    const { readFile } = await import('node:fs/promises');
    let text: string;
    try {
      text = await readFile(flags.mapping, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new InputError(`Cannot read the mapping ${flags.mapping}: ${reason}.`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InputError(`The mapping ${flags.mapping} is not JSON: ${(error as Error).message}.`, { cause: error });
    }
    const mapping = parseMappingExport(json, flags.mapping);
    return { mapping, from: flags.mapping, schema: schemaOfMappingExport(mapping) };
  }
  // Without either flag, HEROKU_APP_NAME names the app, as for every command that calls the API.
  const app = flags.app ?? (settings.appName === '' ? undefined : settings.appName);
  if (app === undefined) {
    throw new InputError(
      'Say where the mapping is: --mapping <file.json> (an export) or --app <app> (the connection of a Heroku app; default HEROKU_APP_NAME).',
    );
  }
  const { commandConnectClient } = await import('./connect-options.ts');
  const { describeConnection, findAppConnection } = await import('../connect/find-connection.ts');
  const client = await commandConnectClient(settings, { requestTimeoutSeconds: flags.requestTimeout, verbose: flags.verbose, stderr: command.context.stderr });
  const connection = await findAppConnection(client, app, {
    onLink: () => command.context.stderr.write(`hc-drizzle: no connection is visible for ${app}: linking your account to it.\n`),
  });
  command.context.stderr.write(`hc-drizzle: exporting the mapping of connection ${describeConnection(connection)}…\n`);
  const mapping = await client.exportMapping(connection.id);
  return {
    mapping,
    from: `the export of connection ${describeConnection(connection)} of ${app}`,
    schema: connection.schema_name ?? schemaOfMappingExport(mapping),
  };
}

/** How messages and headers name a database: never with its password. */
function databaseName(database: Pick<OpenDatabase, 'kind' | 'description'>): string {
  return database.kind === 'postgres' ? `PostgreSQL at ${database.description}` : database.description;
}

/** The Heroku Connect schema of the located database, and how to name that database. */
export async function readHerokuConnectSchema(
  command: HcCommand,
  location: DatabaseLocation,
  schema: string,
): Promise<{ readonly introspected: IntrospectedHerokuConnect; readonly databaseName: string }> {
  const { introspectHerokuConnect } = await import('../pull/introspect.ts');
  return withDatabase(command, location, async (database) => {
    const introspected = await introspectHerokuConnect(database.db, { schema });
    if (!introspected.exists) {
      throw new InputError(`${databaseName(database)} has no schema ${schema}: name the connection's schema with --hc-schema.`);
    }
    return { introspected, databaseName: databaseName(database) };
  });
}
