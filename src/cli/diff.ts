import { Option } from 'clipanion';
import { InputError } from '../errors.ts';
import type { OpenDatabase } from '../node/database.ts';
import { SchemaCommand } from './base-command.ts';
import { databaseOptions, locateDatabase, withDatabase } from './database-options.ts';
import { databaseName, loadMapping, mappingOptions } from './mapping-options.ts';

/** `hc-drizzle diff`: drift between the code, the connection's mapping and the database (design.md "pull and diff"). */
export class DiffCommand extends SchemaCommand {
  static override paths = [['diff']];
  static override usage = SchemaCommand.Usage({
    description: "Compare the code's hcTables with the connection's mapping and the database's columns",
    details:
      'Reports, object by object, what differs: objects, fields, access, polling, notify, daily API calls, the upsert field, indexes, column types and lengths, and columns without a mapped field or the reverse. `+` the code has it and the connection lacks it, `-` the reverse, `~` old → new (the connection\'s → the code\'s). Exit 0 when all three agree, 1 on any drift: a CI step.',
    examples: [
      ['Against the live connection', '$0 diff --app my-app'],
      ['Against an export, as JSON', '$0 diff --mapping mapping.json --json'],
    ],
  });

  url = databaseOptions().url;
  mapping = mappingOptions().mapping;
  app = mappingOptions().app;
  hcSchema = mappingOptions().hcSchema;
  requestTimeout = mappingOptions().requestTimeout;
  json = Option.Boolean('--json', false, { description: 'Print the report as JSON' });

  async run() {
    const settings = this.settings();
    const location = await locateDatabase(this.url, this.config);
    const { hcTables } = await this.loadHcTables();
    const loaded = await loadMapping(this, this, settings);
    const { tableSchemaOf } = await import('../compat.ts');
    const codeSchemas = [...new Set(hcTables.map(tableSchemaOf))];
    const schema = this.hcSchema ?? (codeSchemas.length === 1 ? codeSchemas[0] : undefined) ?? loaded.schema ?? settings.schema;
    const { introspectHerokuConnect } = await import('../pull/introspect.ts');
    const { diffHerokuConnect } = await import('../diff/diff-heroku-connect.ts');
    const work = async (database: OpenDatabase) => {
      const introspected = await introspectHerokuConnect(database.db, { schema });
      if (!introspected.exists) {
        throw new InputError(`${databaseName(database)} has no schema ${schema}: name the connection's schema with --hc-schema.`);
      }
      return { diff: diffHerokuConnect({ tables: hcTables, mapping: loaded.mapping, database: introspected }), name: databaseName(database) };
    };
    const { diff, name } = await withDatabase(this, location, work);
    if (this.json) {
      this.print(JSON.stringify(diff, null, 2));
    } else {
      const { formatHerokuConnectDiff } = await import('../diff/format-diff.ts');
      this.printError(`hc-drizzle: compared the code with ${loaded.from} and schema ${schema} of ${name}.`);
      this.print(formatHerokuConnectDiff(diff));
    }
    return diff.inSync ? 0 : 1;
  }
}
