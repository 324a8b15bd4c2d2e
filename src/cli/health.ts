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

  async run() {
    const settings = this.settings();
    const appName = this.requireAppName(this.app, settings);
    const { checkHealth } = await import('../connect/health.ts');
    const client = await commandConnectClient(settings, { requestTimeoutSeconds: this.requestTimeout, verbose: this.verbose, stderr: this.context.stderr });
    const report = await checkHealth({ client, appName });
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
