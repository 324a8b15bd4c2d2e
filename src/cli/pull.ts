import { Option } from 'clipanion';
import { InputError } from '../errors.ts';
import { HcCommand } from './base-command.ts';
import { databaseOptions, locateDatabase } from './database-options.ts';
import { loadMapping, mappingOptions, readHerokuConnectSchema } from './existing-connection.ts';

/** `hc-drizzle pull`: the hcTables of a connection that already exists (design.md "pull and diff"). */
export class PullCommand extends HcCommand {
  static override paths = [['pull']];
  static override usage = HcCommand.Usage({
    description: 'Write a TypeScript module of hcTables from an existing connection: its mapping and its tables',
    details:
      'Field names, access, polling, notify, daily API calls, the upsert field and the indexes come from the mapping (--mapping file, or --app through the API); builders, lengths and types from the columns Heroku Connect created in the database. Review the module (a database cannot tell a picklist from a text field), commit it, and run `hc-drizzle diff` in CI. Prints the module unless -o is given.',
    examples: [
      ['From an export file', '$0 pull --mapping mapping.json --url $DATABASE_URL -o src/db/salesforce.ts'],
      ['From the live connection, two objects only', '$0 pull --app my-app --only Account,Contact'],
    ],
  });

  url = databaseOptions().url;
  config = databaseOptions().config;
  mapping = mappingOptions().mapping;
  app = mappingOptions().app;
  hcSchema = mappingOptions().hcSchema;
  requestTimeout = mappingOptions().requestTimeout;
  only = Option.String('--only', { description: 'Only these objects: Salesforce names, comma-separated' });
  output = Option.String('-o,--output', { description: 'Write the module to this file instead of stdout' });

  async run() {
    const settings = this.settings();
    const only = this.only?.split(',').map((name) => name.trim()).filter((name) => name !== '');
    if (only !== undefined && only.length === 0) throw new InputError('--only names no object: pass Salesforce object names, comma-separated.');
    const location = await locateDatabase(this.url, this.config);
    const loaded = await loadMapping(this, this, settings);
    const schema = this.hcSchema ?? loaded.schema ?? settings.schema;
    const { introspected, databaseName } = await readHerokuConnectSchema(this, location, schema);
    const { generateSchemaModule } = await import('../pull/generate-schema-module.ts');
    const generated = generateSchemaModule({
      mapping: loaded.mapping,
      database: introspected,
      ...(only === undefined ? {} : { only }),
      pulledFrom: { mapping: loaded.from, database: databaseName },
    });
    for (const warning of generated.warnings) this.printError(`hc-drizzle: warning: ${warning}`);
    if (this.output === undefined) {
      this.print(generated.source);
      return;
    }
    const { writeFileAtomic } = await import('../node/write-file-atomic.ts');
    await writeFileAtomic(this.output, generated.source);
    this.printError(`Wrote ${generated.objects.length} hcTable${generated.objects.length === 1 ? '' : 's'} to ${this.output}.`);
  }
}
