import { Option } from 'clipanion';
import { SchemaCommand } from './base-command.ts';
import { databaseOptions, locateDatabase } from './database-options.ts';
import { loadMapping, mappingOptions, readHerokuConnectSchema } from './existing-connection.ts';

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
    const { introspected, databaseName } = await readHerokuConnectSchema(this, location, schema);
    const { diffHerokuConnect } = await import('../diff/diff-heroku-connect.ts');
    const diff = diffHerokuConnect({ tables: hcTables, mapping: loaded.mapping, database: introspected });
    if (this.json) {
      this.print(JSON.stringify(diff, null, 2));
    } else {
      const { formatHerokuConnectDiff } = await import('../diff/format-diff.ts');
      this.printError(`hc-drizzle: compared the code with ${loaded.from} and schema ${schema} of ${databaseName}.`);
      this.print(formatHerokuConnectDiff(diff));
    }
    return diff.inSync ? 0 : 1;
  }
}
