/**
 * `startEmulator()`: Heroku Connect and a Salesforce org, locally, over one
 * database (design.md "Wave 2 / The emulator").
 */
import { readFile } from 'node:fs/promises';
import type { AnyPgDatabase } from '../compat.ts';
import { createDevelopmentSchema } from '../dev/create-development-schema.ts';
import { InputError } from '../errors.ts';
import { collectHcTables } from '../mapping/collect-tables.ts';
import type { WriteAlgorithm } from '../trigger-log/constants.ts';
import { controlApi } from './api/control.ts';
import { json, startApiServer } from './api/http.ts';
import { DEFAULT_CREDENTIALS, SalesforceRest, type EmulatorCredentials } from './api/salesforce-rest.ts';
import { ConnectApi } from './connect-api/connect-api.ts';
import type { ConnectConnection } from './connect-api/connection.ts';
import { emulatedConnectionHooks, emulatedConnectionSpec, mappingOf } from './connect-api/emulated-connection.ts';
import { parseOrgFixtures, type OrgFixtures } from './org/fixtures.ts';
import { openOrg, type Org } from './org/org.ts';
import { SyncEngine, type SyncResult } from './sync/engine.ts';
import { mappedTablesOf } from './sync/mapped-tables.ts';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** The database the Heroku Connect schema is in (node-postgres or PGlite Drizzle db). */
  readonly db: AnyPgDatabase;
  /** The hcTables, as an array or a module namespace (`import * as schema`), as getMapping takes them. */
  readonly schema: unknown;
  /** Org fixtures (describe details, seed records): the parsed document, or the path of its JSON file. */
  readonly org?: OrgFixtures | string;
  /** The connection's write algorithm (default `'ordered'`, what Heroku Connect's connections have: `poll_db_no_merge`). */
  readonly writeAlgorithm?: WriteAlgorithm;
  /** Port on 127.0.0.1 (default 0: a free one). */
  readonly port?: number;
  /**
   * Run on its own (default false: nothing happens until `sync()`): write
   * out when the trigger log's NOTIFY fires, and every `intervalSeconds`;
   * poll each object every `pollingSeconds`, or at once on a change when it
   * is `notifyEnabled`.
   */
  readonly realtime?: boolean;
  /** Realtime mode: seconds between cycles besides NOTIFY (default 10). */
  readonly intervalSeconds?: number;
  /** Trigger log entries per write transaction (default 5000). */
  readonly batchSize?: number;
  /** What the OAuth endpoint accepts (defaults in {@link DEFAULT_CREDENTIALS}). */
  readonly credentials?: Partial<EmulatorCredentials>;
  /** The bearer token the Heroku Connect API accepts (default `fake-heroku-token`). */
  readonly herokuToken?: string;
  /** The Heroku app the connection belongs to (default `hc-drizzle-emulator`). */
  readonly appName?: string;
  /** The schema the org store lives in (default `hc_emulator`). */
  readonly orgSchema?: string;
  /** Create the development schema when it is missing (default true). */
  readonly createSchema?: boolean;
  /** Told of each realtime cycle that did something, and of errors in realtime cycles (default: nothing). */
  readonly onEvent?: (event: EmulatorEvent) => void;
}

/** What realtime mode reports. */
export type EmulatorEvent = { readonly kind: 'cycle'; readonly result: SyncResult } | { readonly kind: 'error'; readonly error: unknown };

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`: the Salesforce REST API and OAuth token endpoint. */
  readonly salesforceUrl: string;
  /** `http://127.0.0.1:<port>/api/v3`: the Heroku Connect API (use as HEROKU_CONNECT_API_ENDPOINT). */
  readonly connectApiUrl: string;
  /** The org: create, update and delete records as a Salesforce user would. */
  readonly org: Org;
  /** What the org's OAuth endpoint accepts, and an always-valid access token. */
  readonly credentials: EmulatorCredentials;
  /** The bearer token of the Heroku Connect API (use as HEROKU_AUTH_TOKEN). */
  readonly herokuToken: string;
  /** The emulated connection: its state, features and mappings, as the Heroku Connect API shows them. */
  readonly connection: ConnectConnection;
  /** One Heroku Connect cycle: write out every NEW log, then poll every object; resolves to what it did. */
  sync(): Promise<SyncResult>;
  /** Stop serving and syncing; the org's records stay in the database. */
  close(): Promise<void>;
}

async function fixturesOf(org: OrgFixtures | string | undefined): Promise<OrgFixtures> {
  if (org === undefined) return {};
  if (typeof org !== 'string') return parseOrgFixtures(org);
  let text: string;
  try {
    text = await readFile(org, 'utf8');
  } catch (error) {
    throw new InputError(`Could not read the org fixtures ${org}: ${(error as Error).message}.`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`The org fixtures ${org} are not JSON: ${(error as Error).message}.`, { cause: error });
  }
  return parseOrgFixtures(value, `The org fixtures ${org}`);
}

/**
 * Start the emulator: the org (in its own schema of `db`), the Salesforce
 * REST API and the Heroku Connect API on one port of 127.0.0.1, and the
 * connection's sync (on demand with `sync()`, or on its own with `realtime`).
 *
 * @throws {InputError} when the schema holds no hcTable or the fixtures are bad.
 * @example
 * const emulator = await startEmulator({ db, schema: salesforce });
 * await db.insert(account).values({ name: 'Acme' });
 * await emulator.sync();                     // written to the org, sfid written back
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const tables = collectHcTables(options.schema);
  if (tables.length === 0) throw new InputError('The emulator needs the hcTables: pass them as schema (an array or a module namespace).');
  const fixtures = await fixturesOf(options.org);
  const { db } = options;
  if (options.createSchema ?? true) await createDevelopmentSchema(db, tables, { ifNotExists: true });
  const org = await openOrg(db, { tables, fixtures, ...(options.orgSchema === undefined ? {} : { schema: options.orgSchema }) });
  const credentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const allMappings = mappedTablesOf(org);

  let engine: SyncEngine | undefined;
  const hooks = emulatedConnectionHooks(db, org, allMappings, (mapping, done) => {
    void engine?.reload(mapping).then(done, (error: unknown) => options.onEvent?.({ kind: 'error', error }));
  });
  const connectApi = new ConnectApi({ ...(options.herokuToken === undefined ? {} : { token: options.herokuToken }), hooks });
  const connection = connectApi.addConnection(emulatedConnectionSpec(org, allMappings, options.appName ?? 'hc-drizzle-emulator', options.writeAlgorithm ?? 'ordered'));
  allMappings.forEach((mapping, i) => connection.mappings.push(mappingOf(mapping, i)));

  engine = new SyncEngine(db, org, {
    writeAlgorithm: () => (connection.features['poll_db_no_merge'] === true ? 'ordered' : 'merged'),
    // The connection's mappings, with the polling settings an import may have changed.
    mappings: () =>
      connection.mappings.flatMap((mapping) => {
        const table = allMappings.find((candidate) => candidate.object.name === mapping.objectName);
        if (table === undefined) return [];
        const { sf_polling_seconds: pollingSeconds, sf_notify_enabled: notifyEnabled } = mapping.config as { sf_polling_seconds?: number; sf_notify_enabled?: boolean };
        return [{ ...table, pollingSeconds: pollingSeconds ?? table.pollingSeconds, notifyEnabled: notifyEnabled ?? table.notifyEnabled }];
      }),
    batchSize: options.batchSize ?? 5000,
    isPaused: () => connection.paused,
    report: (event) => options.onEvent?.(event),
  });

  const rest = new SalesforceRest(org, credentials);
  const control = controlApi(org, credentials.accessToken, () => engine!.sync());
  const server = await startApiServer([control, rest.handle, connectApi.handle], options.port ?? 0, (error) =>
    json(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: `The emulator failed: ${(error as Error).message}`, fields: [] }]),
  );
  rest.instanceUrl = server.baseUrl;
  connectApi.baseUrl = server.baseUrl;
  const running = engine;
  if (options.realtime) await running.startRealtime(options.intervalSeconds ?? 10);
  return {
    salesforceUrl: server.baseUrl,
    connectApiUrl: `${server.baseUrl}/api/v3`,
    org,
    credentials,
    herokuToken: connectApi.token,
    connection,
    sync: () => running.sync(),
    close: async () => {
      await running.stopRealtime();
      await server.close();
    },
  };
}
