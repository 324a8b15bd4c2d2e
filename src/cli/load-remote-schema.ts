import { Option } from 'clipanion';
import { HcCommand } from './base-command.ts';
import { appNameValidator } from './flag-validators.ts';

/** django-heroku-connect's `load_remote_schema`. */
export class LoadRemoteSchemaCommand extends HcCommand {
  static override paths = [['load-remote-schema']];
  static override usage = HcCommand.Usage({
    description: 'Print the DDL of the app\'s Heroku Connect schema',
    details:
      'Gets the database URL with `heroku pg:credentials:url --app <app>` and runs `pg_dump --schema-only --no-owner --schema=<schema>` on it; the password goes to pg_dump through PGPASSWORD only. Needs the heroku CLI (logged in) and pg_dump on PATH.',
    examples: [['Dump the salesforce schema', '$0 load-remote-schema --app my-app > remote-schema.sql']],
  });

  app = Option.String('--app', { validator: appNameValidator, description: 'Heroku app name (default HEROKU_APP_NAME)' });
  schema = Option.String('--schema', { description: 'The Heroku Connect schema (default HEROKU_CONNECT_SCHEMA, else salesforce)' });

  async run() {
    const settings = this.settings();
    const app = this.requireAppName(this.app, settings);
    const { loadRemoteSchema } = await import('../connect/remote-schema.ts');
    this.print(await loadRemoteSchema({ app, schema: this.schema ?? settings.schema }));
  }
}
