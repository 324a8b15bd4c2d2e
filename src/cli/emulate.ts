import { Option } from 'clipanion';
import * as t from 'typanion';
import type { OpenDatabase } from '../node/database.ts';
import { WRITE_ALGORITHMS } from '../trigger-log/constants.ts';
import { SchemaCommand } from './base-command.ts';
import { portValidator, secondsValidator } from './flag-validators.ts';
import { databaseOptions, locateDatabase, withDatabase } from './database-options.ts';

export class EmulateCommand extends SchemaCommand {
  static override paths = [['emulate']];
  static override readonly runsUntilInterrupted = true;
  static override usage = SchemaCommand.Usage({
    description: 'Run Heroku Connect and a Salesforce org locally, until interrupted',
    details:
      "Serves the Salesforce REST API (and its OAuth token endpoint) and the Heroku Connect API on 127.0.0.1, and syncs the database as Heroku Connect does: the app's writes go to the emulated org when the trigger log notifies, and the org's changes come back every pollingSeconds (at once for notifyEnabled tables). The org's records live in the database's hc_emulator schema. Creates the development schema when it is missing. See docs/emulator.md.",
    examples: [
      ['Emulate against embedded PGlite', '$0 emulate'],
      ['On the local PostgreSQL, with org fixtures, on a fixed port', '$0 emulate --url postgres://postgres@127.0.0.1/app --org org.json --port 4010'],
    ],
  });

  url = databaseOptions().url;
  port = Option.String('--port', { validator: portValidator, description: 'Port on 127.0.0.1 (default 0: a free one)' });
  org = Option.String('--org', { description: 'Org fixtures JSON: describe details and seed records (docs/emulator.md)' });
  interval = Option.String('--interval', { validator: secondsValidator, description: 'Seconds between sync cycles besides the trigger log NOTIFY (default 10)' });
  writeAlgorithm = Option.String('--write-algorithm', { validator: t.isEnum(WRITE_ALGORITHMS), description: 'merged or ordered (default ordered, as new Heroku Connect connections)' });

  async run() {
    const location = await locateDatabase(this.url, this.config);
    const { hcTables } = await this.loadHcTables();
    const { startEmulator } = await import('../emulator/start-emulator.ts');
    const work = async (database: OpenDatabase) => {
      const emulator = await startEmulator({
        db: database.db,
        schema: hcTables,
        realtime: true,
        ...(this.org === undefined ? {} : { org: this.org }),
        ...(this.port === undefined ? {} : { port: this.port }),
        ...(this.interval === undefined ? {} : { intervalSeconds: this.interval }),
        ...(this.writeAlgorithm === undefined ? {} : { writeAlgorithm: this.writeAlgorithm }),
        onEvent: (event) => {
          if (event.kind === 'error') {
            this.printError(`hc-drizzle: a sync cycle failed: ${(event.error as Error).message}`);
            return;
          }
          const { writtenOut: w, polledIn: p } = event.result;
          this.printError(
            `hc-drizzle: synced: wrote ${w.success} (${w.failed} failed, ${w.merged} merged) to Salesforce; ` +
              `from Salesforce ${p.inserted} new, ${p.updated} updated, ${p.deleted} deleted`,
          );
        },
      });
      const { credentials } = emulator;
      this.print(
        [
          `Salesforce (REST API and OAuth): ${emulator.salesforceUrl}`,
          `  client_id ${credentials.clientId}, client_secret ${credentials.clientSecret}, username ${credentials.username}, password ${credentials.password}`,
          `  access token ${credentials.accessToken}`,
          `Heroku Connect API: ${emulator.connectApiUrl}   (HEROKU_CONNECT_API_ENDPOINT; HEROKU_AUTH_TOKEN=${emulator.herokuToken})`,
          `Faults and a cycle now: POST ${emulator.salesforceUrl}/emulator/faults, POST ${emulator.salesforceUrl}/emulator/sync (with the access token)`,
          `Syncing ${hcTables.length} table${hcTables.length === 1 ? '' : 's'} of ${database.description} (${emulator.connection.features['poll_db_no_merge'] ? 'ordered' : 'merged'} writes). Ctrl-C stops.`,
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      this.printError('hc-drizzle: stopping the emulator…');
      await emulator.close();
    };
    await withDatabase(this, location, work, { create: true });
  }
}
