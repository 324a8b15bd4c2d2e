import { Option } from 'clipanion';
import { InputError } from '../errors.ts';
import type { OpenDatabase } from '../node/database.ts';
import { SchemaCommand } from './base-command.ts';
import { databaseOptions, locateDatabase, withDatabase } from './database-options.ts';
import { secondsValidator } from './flag-validators.ts';
import { parseTime } from './trigger-log-options.ts';

/** `refreshTable` as a command: pull what changed in Salesforce into one hcTable now, past Heroku Connect's polling. */
export class RefreshCommand extends SchemaCommand {
  static override paths = [['refresh']];
  static override usage = SchemaCommand.Usage({
    description: "Pull what changed in Salesforce into an object's hcTable now, through the Salesforce REST API",
    details: `
      Queries the records changed since --since (default: the table's newest SystemModstamp, or everything when the table is empty), 2,000 per API request, and writes them as Heroku Connect would (not logged, SYNCED); then deletes the rows of records deleted since then (Salesforce keeps deletes 30 days). Progress goes to stderr. Settings: SALESFORCE_INSTANCE_URL, SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET (or SALESFORCE_USERNAME and SALESFORCE_PASSWORD, SALESFORCE_REFRESH_TOKEN, SALESFORCE_ACCESS_TOKEN), SALESFORCE_LOGIN_URL, SALESFORCE_API_VERSION, SALESFORCE_SOBJECTS.
    `,
    examples: [
      ['Catch up Account since its newest local change', '$0 refresh Account'],
      ['Everything changed since a time', '$0 refresh Contact --since 2024-06-01T00:00:00Z --url postgres://localhost/app'],
    ],
  });

  object = Option.String({ name: 'Object' });
  since = Option.String('--since', { description: 'Pull records changed at or after this ISO 8601 time (default: the newest local modstamp)' });
  url = databaseOptions().url;
  requestTimeout = Option.String('--request-timeout', { validator: secondsValidator, description: 'Seconds per API request (default 30)' });

  async run() {
    const since = parseTime('--since', this.since);
    const { readSalesforceSettings } = await import('../settings/salesforce-settings.ts');
    const settings = readSalesforceSettings(process.env);
    for (const secret of [settings.clientSecret, settings.password, settings.refreshToken, settings.accessToken]) this.hideSecret(secret);
    const { hcTables } = await this.loadHcTables();
    const wanted = this.object.toLowerCase();
    const [{ sfObjectOf }, { createNodeSalesforceClient }, { refreshTable }] = await Promise.all([
      import('../metadata.ts'),
      import('../salesforce/node-client.ts'),
      import('../salesforce/pull.ts'),
    ]);
    const table = hcTables.find((candidate) => sfObjectOf(candidate)?.objectName.toLowerCase() === wanted);
    if (table === undefined) {
      const known = hcTables.map((candidate) => sfObjectOf(candidate)?.objectName).join(', ');
      throw new InputError(`No hcTable maps the Salesforce object ${this.object} (the schema maps ${known}).`);
    }
    const objectName = sfObjectOf(table)!.objectName;
    const sf = createNodeSalesforceClient(settings, {
      timeoutMs: (this.requestTimeout ?? 30) * 1000,
      ...(this.verbose ? { log: (line: string) => this.printError(`hc-drizzle: ${line}`) } : {}),
    });
    const location = await locateDatabase(this.url, this.config);
    const work = async (database: OpenDatabase) => {
      this.printError(`Refreshing ${objectName} ${since === undefined ? 'since its newest local change' : `since ${since.toISOString()}`}…`);
      const result = await refreshTable(sf, database.db, table, {
        ...(since === undefined ? {} : { since }),
        onProgress: ({ written, total, deleted }) => this.printError(`${objectName}: ${written} of ${total} records written, ${deleted} deleted.`),
      });
      const from = result.since === undefined ? 'a full load' : `since ${result.since.toISOString()}`;
      const deletes = result.deletesSince === undefined ? '' : ` (deletes looked up since ${result.deletesSince.toISOString()})`;
      const usage = sf.apiUsage === undefined ? '' : `; the org has used ${sf.apiUsage.used} of ${sf.apiUsage.limit} daily API requests`;
      this.print(`${objectName}: ${result.written} records written and ${result.deleted} rows deleted, ${from}${deletes}, in ${result.apiRequests} API requests${usage}.`);
    };
    await withDatabase(this, location, work);
  }
}
