import { Option } from 'clipanion';
import { describeEndpoint } from '../dev/local-host.ts';
import { InputError } from '../errors.ts';
import type { OpenDatabase } from '../node/database.ts';
import { SchemaCommand } from './base-command.ts';
import { databaseOptions, locateDatabase, withDatabase } from './database-options.ts';

export class DevSchemaCommand extends SchemaCommand {
  static override paths = [['dev-schema']];
  static override usage = SchemaCommand.Usage({
    description: 'Create the Heroku Connect schema for local development',
    details:
      'Creates the schema with every hcTable, the trigger log and the triggers and procedures Heroku Connect installs, in one transaction. Without a database URL it uses embedded PGlite in .hc-drizzle/pglite. --force drops the schema first, only on a database on this machine (judged by where the connection goes: the host node-postgres uses, PGHOST included, and the address the server sees) unless --yes-drop-remote is given, and only when the drop reaches nothing outside the schema (foreign keys, views, materialized views of app tables...) that --also-drop does not name.',
    examples: [
      ['Create it in embedded PGlite', '$0 dev-schema'],
      ['Recreate it on the local PostgreSQL', '$0 dev-schema --force --url postgres://postgres@127.0.0.1/app'],
    ],
  });

  url = databaseOptions().url;
  force = Option.Boolean('--force', false, { description: 'Drop the schema first if it exists' });
  yesDropRemote = Option.Boolean('--yes-drop-remote', false, { description: 'Allow --force on a database that is not on this machine' });
  alsoDrop = Option.Array('--also-drop', {
    description: 'An object outside the schema that --force may drop with it, as the refusal names it (repeatable)',
  });

  async run() {
    if (!this.force && (this.alsoDrop !== undefined || this.yesDropRemote)) {
      throw new InputError(`${this.alsoDrop !== undefined ? '--also-drop' : '--yes-drop-remote'} only applies with --force (nothing is dropped without it).`);
    }
    // Decide about --force before loading anything or connecting anywhere.
    const location = await locateDatabase(this.url, this.config);
    if (this.force && !location.local && !this.yesDropRemote) {
      const where = location.endpoint === undefined ? '' : ` at ${describeEndpoint(location.endpoint)}`;
      throw new InputError(
        `Refusing --force on a database that is not on this machine${where} (from ${location.resolved?.source}): add --yes-drop-remote if you really mean to drop its schema.`,
      );
    }
    const { hcTables } = await this.loadHcTables();
    const { createDevelopmentSchema } = await import('../dev/create-development-schema.ts');
    const work = async (database: OpenDatabase) => {
      const result = await createDevelopmentSchema(database, hcTables, {
        force: this.force,
        yesToDropRemote: this.yesDropRemote,
        alsoDrop: this.alsoDrop ?? [],
      });
      const verb = result.dropped ? 'Dropped and recreated' : 'Created';
      const tables = `${result.tables.length} table${result.tables.length === 1 ? '' : 's'} (${result.tables.join(', ')})`;
      this.print(`${verb} the schema ${result.schemas.join(', ')} with ${tables} and the trigger log in ${database.description}.`);
    };
    await withDatabase(this, location, work, { create: true });
  }
}
