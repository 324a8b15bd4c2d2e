import { Option } from 'clipanion';
import { CheckedSchemaCommand } from './base-command.ts';
import { appNameValidator } from './flag-validators.ts';

export class ExportCommand extends CheckedSchemaCommand {
  static override paths = [['export']];
  static override usage = CheckedSchemaCommand.Usage({
    description: 'Print or write the Heroku Connect mapping JSON for the schema',
    details: 'The output is ready for `heroku connect:import` or `hc-drizzle import-mappings`. With -o the file is written atomically.',
    examples: [
      ['Print the mapping', '$0 export'],
      ['Write it for heroku connect:import', '$0 export -o mapping.json --app-name my-app'],
    ],
  });

  output = Option.String('-o,--output', { description: 'Write the mapping to this file instead of stdout' });
  appName = Option.String('--app-name', { validator: appNameValidator, description: 'Heroku app name (default HEROKU_APP_NAME)' });
  organizationId = Option.String('--organization-id', { description: 'Salesforce org id (default HEROKU_CONNECT_ORGANIZATION_ID)' });
  exportedAt = Option.String('--exported-at', { description: 'ISO 8601 export time (default now)' });

  async run() {
    const settings = this.settings();
    const { hcTables } = await this.loadCheckedHcTables();
    const { getMapping } = await import('../mapping/get-mapping.ts');
    const mapping = getMapping(hcTables, {
      appName: this.appName ?? settings.appName,
      organizationId: this.organizationId ?? settings.organizationId,
      ...(this.exportedAt === undefined ? {} : { exportedAt: this.exportedAt }),
    });
    const json = `${JSON.stringify(mapping, null, 2)}\n`;
    if (this.output === undefined) {
      this.print(json);
    } else {
      const { writeFileAtomic } = await import('../node/write-file-atomic.ts');
      await writeFileAtomic(this.output, json);
      this.printError(`Wrote the mapping of ${hcTables.length} objects to ${this.output}.`);
    }
  }
}
