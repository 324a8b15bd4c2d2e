import { Option } from 'clipanion';
import { HcCommand } from './base-command.ts';
import { commandConnectClient } from './connect-options.ts';
import { appNameValidator, secondsValidator } from './flag-validators.ts';

/** django-heroku-connect's health check (docs/heroku-connect.md, "Connection states") as a command. */
export class HealthCommand extends HcCommand {
  static override paths = [['health']];
  static override usage = HcCommand.Usage({
    description: 'Check that every Heroku Connect connection of the app is in a healthy state',
    details: 'Healthy states: IDLE, POLLING_DB_CHANGES, IMPORT_CONFIGURATION, BUSY. Exits 0 when healthy, 1 when a connection is in another state or none is visible.',
    examples: [
      ['Check the app of HEROKU_APP_NAME', '$0 health'],
      ['Machine-readable', '$0 health --app my-app --json'],
    ],
  });

  app = Option.String('--app', { validator: appNameValidator, description: 'Heroku app name (default HEROKU_APP_NAME)' });
  json = Option.Boolean('--json', false, { description: 'Print the report as JSON' });
  requestTimeout = Option.String('--request-timeout', { validator: secondsValidator, description: 'Seconds per API request (default 30)' });
  timeout = Option.String('--timeout', {
    validator: secondsValidator,
    description: 'Give up after this many seconds, every retry and backoff included (default: the request timeout bounds each attempt)',
  });

  async run() {
    const settings = this.settings();
    const appName = this.requireAppName(this.app, settings);
    const [{ checkHealth }, { ConnectApiError }] = await Promise.all([import('../connect/health.ts'), import('../connect/errors.ts')]);
    const client = await commandConnectClient(settings, { requestTimeoutSeconds: this.requestTimeout, verbose: this.verbose, stderr: this.context.stderr });
    const deadline = this.timeout === undefined ? undefined : AbortSignal.timeout(this.timeout * 1000);
    let report;
    try {
      report = await checkHealth({ client, appName, ...(deadline === undefined ? {} : { signal: deadline }) });
    } catch (error) {
      if (!(error instanceof ConnectApiError && error.failure === 'deadline' && deadline?.aborted)) throw error;
      throw new ConnectApiError(error.endpoint, 'deadline', `Gave up after ${this.timeout} s (--timeout): ${error.endpoint} had not answered.`, { cause: error });
    }
    if (this.json) {
      this.print(JSON.stringify(report, null, 2));
    } else {
      for (const connection of report.connections) {
        this.print(`${connection.healthy ? 'ok ' : 'BAD'} ${connection.state} ${connection.name ?? ''} (${connection.id})`);
      }
      this.print(report.healthy ? `The Heroku Connect connections of ${report.app} are healthy.` : report.problems.join('\n'));
    }
    return report.healthy ? 0 : 1;
  }
}
