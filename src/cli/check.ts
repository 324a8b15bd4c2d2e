import { relative } from 'node:path';
import { Option } from 'clipanion';
import type { DrizzleKitSchemaFile } from '../checks/index.ts';
import { InputError } from '../errors.ts';
import type { LoadedSchema } from '../node/load-schema.ts';
import { SchemaCommand, exportedTables } from './base-command.ts';

export class CheckCommand extends SchemaCommand {
  static override paths = [['check']];
  static override usage = SchemaCommand.Usage({
    description: 'Check the schema for what Heroku Connect would break on',
    details:
      "Runs checkSchema: django-heroku-connect's checks E001–E008 and hc-drizzle's E1xx/W1xx (README section on hc-drizzle check). " +
      'Exit 0 when there is no error (warnings alone keep 0), 1 on any error, 2 when the schema cannot be loaded.',
    examples: [
      ['Check the schema of hc-drizzle.config.ts', '$0 check'],
      ['Check two files, as JSON', '$0 check --schema src/db/salesforce.ts --schema src/db/app.ts --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print the diagnostics as a JSON array' });

  async run() {
    const cwd = process.cwd();
    const loaded = await this.loadSchema();
    if (loaded.tables.length === 0) {
      throw new InputError(`No tables found in ${loaded.files.map((file) => relative(cwd, file.path)).join(', ')}: export the tables made with hcTable() or pgTable().`);
    }
    const { checkSchema, formatDiagnostics } = await import('../checks/index.ts');
    const diagnostics = checkSchema(exportedTables(loaded, cwd), { drizzleKitFiles: await drizzleKitFiles(loaded, cwd) });
    this.print(this.json ? JSON.stringify(diagnostics, null, 2) : formatDiagnostics(diagnostics, loaded.tables.length));
    return diagnostics.some((diagnostic) => diagnostic.level === 'error') ? 1 : 0;
  }
}

/** The files drizzle-kit's `schema` matches, with their exports (already loaded ones are reused). */
async function drizzleKitFiles(loaded: LoadedSchema, cwd: string): Promise<DrizzleKitSchemaFile[]> {
  const { importSchemaFile } = await import('../node/load-schema.ts');
  const loadedByPath = new Map(loaded.files.map((file) => [file.path, file.exports]));
  const files: DrizzleKitSchemaFile[] = [];
  for (const path of loaded.drizzleKitSchemaFiles) {
    const exports = loadedByPath.get(path) ?? (await importSchemaFile(path, cwd));
    files.push({ path: relative(cwd, path) || path, exports });
  }
  return files;
}
