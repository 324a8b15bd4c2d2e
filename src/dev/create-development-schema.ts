/**
 * `createDevelopmentSchema()`: the Heroku Connect schema for local work and
 * tests, as close to Heroku Connect's own as a database without it gets
 * (heroku-connect.md §2.3–§3.4; django-heroku-connect's
 * `create_heroku_connect_schema`, §6).
 */
import { sql } from 'drizzle-orm';
import { executeRows, getTableName, tableSchemaOf, type AnyPgDatabase } from '../compat.ts';
import { HcDrizzleError, InputError } from '../errors.ts';
import { collectHcTables } from '../mapping/collect-tables.ts';
import type { OpenDatabase } from '../node/database.ts';
import { schemaSetting } from '../settings/settings.ts';
import { DependentObjectsError, dependentsOutside, foreignObjectsInside, unnamedDependents } from './dependents.ts';
import { describeEndpoint, isLocalEndpoint, postgresEndpoint } from './local-host.ts';
import { remoteServerAddress } from './server-address.ts';
import { publicDdl, schemaMachineryDdl } from './machinery-ddl.ts';
import { ident } from './sql-text.ts';
import { tableDdl } from './table-ddl.ts';
import { tableTriggersDdl } from './triggers-ddl.ts';

/** A database to create the schema in: one from `openDatabase()`, or a Drizzle db (node-postgres, PGlite). */
export type DevelopmentDatabase = OpenDatabase | AnyPgDatabase;

/** Options of {@link createDevelopmentSchema}. */
export interface DevelopmentSchemaOptions {
  /** Drop the schema first if it exists (only on this machine unless {@link yesToDropRemote}). */
  readonly force?: boolean;
  /** Allow `force` on a database that is not on this machine. */
  readonly yesToDropRemote?: boolean;
  /**
   * Objects outside the schema that `force` may drop with it (the drop
   * cascades to them): each as the refusal names it, `view public.summary`,
   * or by its identity alone, `public.summary`. Without it, `force` refuses
   * when the drop would reach anything outside the schema.
   */
  readonly alsoDrop?: readonly string[];
  /** Leave an existing schema alone and resolve `created: false` instead of throwing. */
  readonly ifNotExists?: boolean;
  /** The schema when `schema` holds no hcTable (default the `HEROKU_CONNECT_SCHEMA` setting). */
  readonly schemaName?: string;
}

/** What {@link createDevelopmentSchema} did. */
export interface DevelopmentSchemaResult {
  /** Whether the schema was created (false: it existed and `ifNotExists` kept it). */
  readonly created: boolean;
  /** Whether an existing schema was dropped first (`force`). */
  readonly dropped: boolean;
  /** The Heroku Connect schemas, usually just `salesforce`. */
  readonly schemas: readonly string[];
  /** The mapped tables created, schema-qualified. */
  readonly tables: readonly string[];
}

/** The Heroku Connect schema already exists and `force` was not given. Exit 1. */
export class SchemaExistsError extends HcDrizzleError {
  readonly schema: string;
  constructor(schema: string) {
    super('HC_SCHEMA_EXISTS', `The schema ${schema} already exists: pass --force (force: true) to drop and recreate it.`, {
      exitCode: 1,
    });
    this.schema = schema;
  }
}

/**
 * Every statement of the development schema for `tables`, in order, without
 * dropping anything: hstore and `get_xmlbinary()`, then per schema the
 * trigger log machinery, the tables with their indexes, and their triggers.
 */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function developmentSchemaDdl(tables: ReturnType<typeof collectHcTables>, schemas: readonly string[]): string[] {
  return [
    ...publicDdl(),
    ...schemas.flatMap((schema) => [
      ...(schema === 'public' ? [] : [`create schema ${ident(schema)}`]),
      ...schemaMachineryDdl(schema),
    ]),
    ...tables.flatMap((table) => [...tableDdl(table), ...tableTriggersDdl(table)]),
  ];
}

/**
 * Create the Heroku Connect schema with every hcTable in `schema` (tables, or
 * a module namespace), their system columns, indexes and uniques, and what
 * Heroku Connect installs around them: hstore, `get_xmlbinary()`, the trigger
 * log and its archive, the logger, status and notify triggers, and the
 * capture procedures. All in one transaction: on error nothing is left.
 *
 * Writes made in a session with `set xmlbinary = 'hex'` act as Heroku
 * Connect's own: not logged, and the row marked SYNCED.
 *
 * @throws {SchemaExistsError} when the schema exists and neither `force` nor `ifNotExists` is given.
 * @throws {InputError} when `force` would drop a schema on a database that is not on this machine.
 * @example
 * import * as salesforce from './salesforce.ts';
 * const database = await openDatabase();                // embedded PGlite in .hc-drizzle/pglite
 * await createDevelopmentSchema(database, salesforce, { force: true });
 */
export async function createDevelopmentSchema(
  database: DevelopmentDatabase,
  schema: unknown,
  options: DevelopmentSchemaOptions = {},
): Promise<DevelopmentSchemaResult> {
  const tables = collectHcTables(schema);
  const schemas = [...new Set(tables.length === 0 ? [options.schemaName ?? schemaSetting()] : tables.map(tableSchemaOf))];
  if (options.force && schemas.includes('public')) {
    throw new InputError('Refusing --force: the hcTables are in the public schema, which is never dropped.');
  }
  const db = isOpenDatabase(database) ? database.db : database;
  if (options.force && !options.yesToDropRemote) await refuseRemote(database, db, schemas);
  const existing = (
    await executeRows<{ nspname: string }>(
      db,
      sql`select nspname from pg_catalog.pg_namespace where nspname in (${sql.join(schemas.map((name) => sql`${name}`), sql`, `)})`,
    )
  ).map((row) => row.nspname);
  const name = existing[0];
  if (name !== undefined && !options.force) {
    if (options.ifNotExists) return { created: false, dropped: false, schemas, tables: [] };
    throw new SchemaExistsError(name);
  }
  if (existing.length > 0) {
    const reached = [...(await foreignObjectsInside(db, existing)), ...(await dependentsOutside(db, existing))];
    const unnamed = unnamedDependents(reached, options.alsoDrop ?? []);
    if (unnamed.length > 0) throw new DependentObjectsError(existing, unnamed);
  }
  const statements = [
    ...existing.map((schemaName) => `drop schema ${ident(schemaName)} cascade`),
    ...developmentSchemaDdl(tables, schemas),
  ];
  await runInOneTransaction(database, statements);
  return {
    created: true,
    dropped: existing.length > 0,
    schemas,
    tables: tables.map((table) => `${tableSchemaOf(table)}.${getTableName(table)}`),
  };
}

function isOpenDatabase(database: DevelopmentDatabase): database is OpenDatabase {
  return 'exec' in database && 'db' in database;
}

async function runInOneTransaction(database: DevelopmentDatabase, statements: readonly string[]): Promise<void> {
  if (isOpenDatabase(database)) {
    // One simple-protocol message with several statements runs as one implicit transaction.
    await database.exec(statements.map((statement) => `${statement};`).join('\n'));
    return;
  }
  await database.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(sql.raw(statement));
  });
}

/**
 * Refuse `force` unless the database is on this machine: first by the host
 * the driver connects to (nothing is sent to a remote host), then by where
 * the server says the connection arrived (heroku-connect has no say here:
 * this is hc-drizzle's own guard, see local-host.ts).
 */
async function refuseRemote(database: DevelopmentDatabase, db: AnyPgDatabase, schemas: readonly string[]): Promise<void> {
  const refuse = (where: string) =>
    new InputError(
      `Refusing to drop ${schemas.join(', ')} on ${where}: it is not on this machine (pass --yes-drop-remote / yesToDropRemote to allow it).`,
    );
  const config = driverConfig(database);
  if (config === 'pglite') return;
  if (config === undefined) throw refuse('a database whose host is unknown');
  const endpoint = await postgresEndpoint(config);
  if (!isLocalEndpoint(endpoint)) throw refuse(describeEndpoint(endpoint));
  const server = await remoteServerAddress(db);
  if (server !== undefined) {
    throw refuse(`${describeEndpoint(endpoint)}, which the server sees arrive at ${server} (a proxy, a tunnel or a container between)`);
  }
}

/** The node-postgres config behind `database`, 'pglite', or undefined when it can't be told (then treated as remote). */
function driverConfig(database: DevelopmentDatabase): Readonly<Record<string, unknown>> | 'pglite' | undefined {
  if (isOpenDatabase(database)) {
    if (database.kind === 'pglite') return 'pglite';
    return database.connectionConfig;
  }
  const client = (database as { $client?: unknown }).$client as
    | { waitReady?: unknown; options?: Record<string, unknown>; connectionParameters?: { host?: string; port?: number; database?: string } }
    | undefined;
  if (client === undefined) return undefined;
  if (client.waitReady !== undefined) return 'pglite'; // embedded PGlite
  if (client.connectionParameters !== undefined) {
    // pg.Client: its parameters are already resolved.
    const { host, port, database: name } = client.connectionParameters;
    return { host, port, database: name };
  }
  if (client.options !== undefined && typeof (client as { connect?: unknown }).connect === 'function') return client.options; // pg.Pool
  return undefined;
}
