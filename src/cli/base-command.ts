/** What every hc-drizzle command shares: --verbose, error reporting, schema and database options. */
import { Command, Option } from 'clipanion';
import { readSettings, type Settings } from '../settings/settings.ts';
import { loadSchema, type LoadedSchema } from '../node/load-schema.ts';
import { reportError } from './report-error.ts';

export abstract class HcCommand extends Command {
  verbose = Option.Boolean('--verbose', false, { description: 'Show stack traces and request details (never secrets)' });

  /** The command's work; return the exit code (default 0). */
  abstract run(): Promise<number | void>;

  override async execute(): Promise<number> {
    try {
      return (await this.run()) ?? 0;
    } catch (error) {
      return reportError(error, this.context.stderr, this.verbose);
    }
  }

  /** Settings from the environment, validated. */
  protected settings(): Settings {
    return readSettings(process.env);
  }

  protected print(text: string): void {
    this.context.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  protected printError(text: string): void {
    this.context.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** A command that reads the user's schema. */
export abstract class SchemaCommand extends HcCommand {
  config = Option.String('--config', { description: 'Path of hc-drizzle.config.ts' });
  schema = Option.Array('--schema', { description: 'A schema file or glob with hcTables (repeatable)' });

  protected loadSchema(): Promise<LoadedSchema> {
    return loadSchema({ schema: this.schema ?? [], config: this.config, cwd: process.cwd() });
  }
}
