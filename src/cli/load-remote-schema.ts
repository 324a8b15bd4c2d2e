import { Option } from 'clipanion';
import { SettingsError } from '../errors.ts';
import { loadRemoteSchema } from '../connect/remote-schema.ts';
import { HcCommand } from './base-command.ts';

/** django-heroku-connect's `load_remote_schema` (heroku-connect.md §6). */
export class LoadRemoteSchemaCommand extends HcCommand {
  static override paths = [['load-remote-schema']];
  static override usage = HcCommand.Usage({
    description: 'Print the DDL of the app\'s Heroku Connect schema',
    details:
      'Gets the database URL with `heroku pg:credentials:url --app <app>` and runs `pg_dump --schema-only --no-owner --schema=<schema>` on it; the password goes to pg_dump through PGPASSWORD only. Needs the heroku CLI (logged in) and pg_dump on PATH.',
    examples: [['Dump the salesforce schema', '$0 load-remote-schema --app my-app > remote-schema.sql']],
  });

  app = Option.String('--app', { description: 'Heroku app name (default HEROKU_APP_NAME)' });
  schema = Option.String('--schema', { description: 'The Heroku Connect schema (default HEROKU_CONNECT_SCHEMA, else salesforce)' });

  async run() {
    const settings = this.settings();
    const app = this.app ?? settings.appName;
    if (app === '') throw new SettingsError('HEROKU_APP_NAME', 'No app given: pass --app <name> or set HEROKU_APP_NAME.');
    this.print(await loadRemoteSchema({ app, schema: this.schema ?? settings.schema }));
  }
}
