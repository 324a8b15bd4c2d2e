import { Option } from 'clipanion';
import { CheckedSchemaCommand } from './base-command.ts';
import { commandConnectClient } from './connect-options.ts';
import { appNameValidator, connectionIdValidator, secondsValidator } from './flag-validators.ts';

/** django-heroku-connect's `import_mappings`, with a deadline on --wait. */
export class ImportMappingsCommand extends CheckedSchemaCommand {
  static override paths = [['import-mappings']];
  static override usage = CheckedSchemaCommand.Usage({
    description: 'Upload the mapping of the schema to the app\'s Heroku Connect connection',
    details: `
      Uploads what \`hc-drizzle export\` prints (with the app name set to the target app). Without --connection, the app must have exactly one connection; when none is visible, your account is linked to the app first. With --wait, polls the connection until it leaves IMPORT_CONFIGURATION and exits 1 when it ends in an unhealthy state or --timeout passes.
    `,
    examples: [
      ['Upload and wait for the import', '$0 import-mappings --app my-app --wait'],
      ['Upload to a chosen connection', '$0 import-mappings --connection 4a9a4c1e-... --schema src/salesforce.ts'],
    ],
  });

  app = Option.String('--app', { validator: appNameValidator, description: 'Heroku app name (default HEROKU_APP_NAME)' });
  connection = Option.String('--connection', { validator: connectionIdValidator, description: 'Connection id: skip looking it up from the app' });
  wait = Option.Boolean('--wait', false, { description: 'Wait until the import is done' });
  waitInterval = Option.String('--wait-interval', { validator: secondsValidator, description: 'Seconds between polls (default 10)' });
  timeout = Option.String('--timeout', {
    validator: secondsValidator,
    description: 'Give up after this many seconds, from the first request on: finding the connection, the upload and the wait, every retry and backoff included (default 600)',
  });
  requestTimeout = Option.String('--request-timeout', { validator: secondsValidator, description: 'Seconds per API request (default 30)' });

  async run() {
    const settings = this.settings();
    const app = this.connection === undefined ? this.requireAppName(this.app, settings) : (this.app ?? settings.appName);
    // Build the mapping before any request, so a broken schema changes nothing remotely.
    const { hcTables } = await this.loadCheckedHcTables();
    const [{ getMapping }, { describeConnection, findAppConnection }, { isHealthyState }, { ConnectApiError, ImportWaitError }, { waitForImport }] = await Promise.all([
      import('../mapping/get-mapping.ts'),
      import('../connect/find-connection.ts'),
      import('../connect/health.ts'),
      import('../connect/errors.ts'),
      import('../connect/wait-for-import.ts'),
    ]);
    const client = await commandConnectClient(settings, { requestTimeoutSeconds: this.requestTimeout, verbose: this.verbose, stderr: this.context.stderr });
    const mapping = getMapping(hcTables, { appName: app, organizationId: settings.organizationId });

    // One deadline for the whole command, from its first request (a hanging API must not outlast --timeout).
    const timeoutMs = (this.timeout ?? 600) * 1000;
    const started = Date.now();
    const deadline = AbortSignal.timeout(timeoutMs);
    const bounded = async <T>(work: () => Promise<T>, doing: string): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof ConnectApiError && error.failure === 'deadline' && deadline.aborted)) throw error;
        throw new ImportWaitError('HC_IMPORT_TIMEOUT', this.connection ?? '', 'unknown', `Gave up after ${Math.round((Date.now() - started) / 1000)} s (--timeout) ${doing}.`);
      }
    };
    const target =
      this.connection === undefined
        ? await bounded(
            () => findAppConnection(client, app, { signal: deadline, onLink: () => this.printError(`No connection is visible for ${app}: linking your account to it.`) }),
            `looking for the connection of ${app}`,
          )
        : { id: this.connection, name: undefined };
    await bounded(() => client.importMapping(target.id, mapping, { signal: deadline }), `uploading the mapping to connection ${describeConnection(target)}`);
    this.printError(`Uploaded the mapping of ${mapping.mappings.length} objects to connection ${describeConnection(target)}.`);
    if (!this.wait) {
      this.print(`Connection ${describeConnection(target)}: import started (use --wait to follow it).`);
      return;
    }

    const waited = Date.now() - started;
    const outcome = await waitForImport(client, target.id, {
      intervalMs: (this.waitInterval ?? 10) * 1000,
      timeoutMs: Math.max(0, timeoutMs - waited),
      signal: deadline,
      onPoll: (connection, elapsedMs) => this.printError(`Waiting for the import: ${connection.state} after ${Math.round((waited + elapsedMs) / 1000)} s.`),
    });
    const { state } = outcome;
    const named = describeConnection(outcome.connection ?? target);
    this.print(`Connection ${named}: ${state}`);
    if (!outcome.finished) {
      const still = outcome.connection === undefined ? `has not answered a poll (last known state ${state})` : `is still ${state}`;
      throw new ImportWaitError('HC_IMPORT_TIMEOUT', target.id, state, `Gave up after ${Math.round((waited + outcome.elapsedMs) / 1000)} s: connection ${named} ${still}.`);
    }
    if (!isHealthyState(state)) {
      throw new ImportWaitError(
        'HC_IMPORT_FAILED',
        target.id,
        state,
        `The import ended with connection ${named} in the unhealthy state ${state}: see the Heroku Connect dashboard.`,
      );
    }
  }
}
