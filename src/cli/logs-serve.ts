/**
 * `hc-drizzle logs --serve`: the trigger-log admin page on 127.0.0.1 until
 * interrupted. Bound to loopback, so no one else can reach it; requests
 * must name a loopback host too, so a web page cannot reach it through DNS
 * rebinding (a name of its own resolving to 127.0.0.1).
 */
import { createServer } from 'node:http';
import { sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { createRequestListener } from '@remix-run/node-fetch-server';
import { createTriggerLogAdmin } from '../admin/create-trigger-log-admin.ts';
import { isLocalHost } from '../dev/local-host.ts';
import { fetchWriteAlgorithm } from '../connect/write-algorithm.ts';
import { InputError } from '../errors.ts';
import { executeRows } from '../compat.ts';
import { triggerLogTables } from '../trigger-log/tables.ts';
import type { OpenDatabase } from '../node/database.ts';
import type { Settings } from '../settings/settings.ts';
import type { WriteAlgorithm } from '../trigger-log/constants.ts';
import type { HcCommand } from './base-command.ts';
import { commandConnectClient } from './connect-options.ts';

export interface ServeOptions {
  readonly database: OpenDatabase;
  readonly schema: string;
  readonly port: number;
  /** `--write-algorithm`; else the connection's when the settings allow asking. */
  readonly writeAlgorithm: WriteAlgorithm | undefined;
  readonly app: string | undefined;
  readonly settings: Settings;
  /** Query string of the first page to open (the filter flags). */
  readonly search: string;
}

/** Serve until SIGINT or SIGTERM; resolves to the exit code. */
export async function serveTriggerLogAdmin(command: HcCommand & { verbose: boolean }, options: ServeOptions): Promise<number> {
  const stderr = command.context.stderr;
  const appName = options.app ?? options.settings.appName;
  const canAsk = options.settings.authToken !== undefined && appName !== '';
  const writeAlgorithm =
    options.writeAlgorithm ??
    (canAsk
      ? async () => {
          stderr.write(`hc-drizzle: asking Heroku Connect for the write algorithm of ${appName}…\n`);
          const client = await commandConnectClient(options.settings, { requestTimeoutSeconds: undefined, verbose: command.verbose, stderr });
          return fetchWriteAlgorithm({ client, settings: options.settings, appName });
        }
      : undefined);
  if (writeAlgorithm === undefined) {
    stderr.write('hc-drizzle: retry and redo are off: pass --write-algorithm merged|ordered, or set HEROKU_AUTH_TOKEN and HEROKU_APP_NAME (or --app).\n');
  }
  // No trigger log is one error at startup, not one per page.
  const { triggerLog } = triggerLogTables(options.schema);
  await executeRows(options.database.db, sql`select 1 from ${triggerLog} limit 1`);
  const admin = createTriggerLogAdmin({
    db: options.database.db,
    schema: options.schema,
    ...(writeAlgorithm === undefined ? {} : { writeAlgorithm }),
    authorize: (request) => isLocalHost(new URL(request.url).hostname),
    log: (entry) => stderr.write(`hc-drizzle: ${entry.message}\n`),
  });
  const server = createServer(createRequestListener(admin));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new InputError(`Port ${options.port} is in use: pass another --port.`) : error),
    );
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  command.context.stdout.write(`Trigger-log admin: http://127.0.0.1:${port}/${options.search === '' ? '' : `?${options.search}`}\n`);
  stderr.write('hc-drizzle: serving the trigger log admin page; press Ctrl+C to stop.\n');
  await new Promise<void>((resolve) => {
    const stop = () => {
      stderr.write('hc-drizzle: stopping.\n');
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return 0;
}
