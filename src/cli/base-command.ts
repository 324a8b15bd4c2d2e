/**
 * What every hc-drizzle command shares: --verbose, error reporting, settings,
 * the app name, the user's schema. Implementations are imported when a
 * command runs (see main.ts), so this file imports only light modules.
 */
import { relative } from 'node:path';
import { Command, Option } from 'clipanion';
import { HcDrizzleError, InputError, SettingsError } from '../errors.ts';
import type { LoadedSchema } from '../node/load-schema.ts';
import type { Settings } from '../settings/settings.ts';
import { neutraliseTerminalControls } from '../http/display.ts';
import { createRedactor } from '../http/redact.ts';
import { reportError } from './report-error.ts';

/** Loaded when a command runs: valibot stays out of `--help` and `--version`. */
let readSettings: typeof import('../settings/settings.ts').readSettings | undefined;

export abstract class HcCommand extends Command {
  verbose = Option.Boolean('--verbose', false, { description: 'Show stack traces, causes and request details (never secrets)' });

  /**
   * The secrets of the settings this command read: hidden from everything it
   * prints, a last line of defence behind the API clients' own redaction.
   */
  private readonly secrets = createRedactor();

  /** The command's work; return the exit code (default 0). */
  abstract run(): Promise<number | void>;

  override async execute(): Promise<number> {
    try {
      readSettings ??= (await import('../settings/settings.ts')).readSettings;
      return (await this.run()) ?? 0;
    } catch (error) {
      return reportError(error, this.context.stderr, this.verbose, this.secrets.redact);
    }
  }

  /** Settings from the environment, validated; their secrets are never printed. */
  protected settings(): Settings {
    const settings = readSettings!(process.env);
    this.secrets.add(settings.authToken);
    return settings;
  }

  /** Hide one more secret from what the command prints. */
  protected hideSecret(secret: string | undefined): void {
    this.secrets.add(secret);
  }

  /** Text as the command may show it: secrets redacted, terminal controls shown as escapes. */
  protected shown(text: string): string {
    return neutraliseTerminalControls(this.secrets.redact(text));
  }

  /** The `--app` flag, else HEROKU_APP_NAME; the one error when there is neither. */
  protected requireAppName(flag: string | undefined, settings: Settings = this.settings()): string {
    const app = flag ?? settings.appName;
    if (app === '') throw new SettingsError('HEROKU_APP_NAME', 'No app given: pass --app <app> or set HEROKU_APP_NAME.');
    return app;
  }

  protected print(text: string): void {
    this.context.stdout.write(this.shown(text.endsWith('\n') ? text : `${text}\n`));
  }

  protected printError(text: string): void {
    this.context.stderr.write(this.shown(text.endsWith('\n') ? text : `${text}\n`));
  }
}

/**
 * Drizzle builds every column as an instance of its type's class (PgVarchar, PgTimestamp, ...), and the
 * field initializers of their shared base class see one object shape per class. Past V8's default of
 * four shapes a site turns megamorphic, and these definitions then cost about 170 of the 550 ms a plain
 * `pgTable` schema of 1,000 objects × 40 fields takes to load (six column classes). Sixteen keeps them
 * polymorphic for the ten classes the sf* builders make, and an app's own: about 355 ms (scripts/bench/cli.bench.ts).
 */
export const POLYMORPHIC_COLUMNS_V8_FLAG = '--max-valid-polymorphic-map-count=16';

/** A command that reads the user's schema. */
export abstract class SchemaCommand extends HcCommand {
  config = Option.String('--config', { description: 'Path of hc-drizzle.config.ts (default: found from the working folder up)' });
  schema = Option.Array('--schema', { description: 'A schema file or glob with hcTables (repeatable)' });

  /** The command runs until interrupted (`emulate`), rather than doing its work and exiting. */
  static readonly runsUntilInterrupted: boolean = false;

  protected async loadSchema(): Promise<LoadedSchema> {
    const v8 = await import('node:v8');
    v8.setFlagsFromString(POLYMORPHIC_COLUMNS_V8_FLAG);
    if (!(this.constructor as typeof SchemaCommand).runsUntilInterrupted) {
      // A run that loads a schema and exits allocates most of its heap at once. V8 starts marking from an
      // idle-time task when the heap nears its first limit, which the loader's awaits offer at about
      // 14 MB; the limit it sets then is soon passed by the schema's tables, and a second full collection
      // follows (about 25 ms of an export of 1,000 objects: scripts/bench/cli.bench.ts). Without the
      // task, marking starts when allocation reaches the limit: once in such a run. A server keeps V8's default.
      v8.setFlagsFromString('--no-incremental-marking-task');
    }
    const { loadSchema } = await import('../node/load-schema.ts');
    return loadSchema({ schema: this.schema ?? [], config: this.config, cwd: process.cwd() });
  }

  /** The schema, which must define at least one hcTable. */
  protected async loadHcTables(): Promise<LoadedSchema> {
    const loaded = await this.loadSchema();
    if (loaded.hcTables.length === 0) {
      throw new InputError(`No hcTables found in ${loaded.files.map((file) => file.path).join(', ')}: export tables made with hcTable().`);
    }
    return loaded;
  }
}

/** Every export of the schema files by name (`file.ts#name` when two files use one name), so messages can name them. */
export function exportedTables(loaded: LoadedSchema, cwd: string): Record<string, unknown> {
  const byName: Record<string, unknown> = {};
  for (const file of loaded.files) {
    for (const [name, value] of Object.entries(file.exports)) {
      byName[name in byName ? `${relative(cwd, file.path)}#${name}` : name] = value;
    }
  }
  return byName;
}

/**
 * A command that sends the schema somewhere (`export`, `import-mappings`):
 * like Django's management commands, it runs the checks first and refuses
 * on any error unless told `--no-check`.
 */
export abstract class CheckedSchemaCommand extends SchemaCommand {
  check = Option.Boolean('--check', true, { description: 'Run the checks of `hc-drizzle check` first and stop on any error (--no-check skips them)' });

  /** The schema with at least one hcTable, refused (exit 1) when checkSchema reports an error. */
  protected async loadCheckedHcTables(): Promise<LoadedSchema> {
    const loaded = await this.loadHcTables();
    if (!this.check) return loaded;
    const { checkSchema, formatDiagnostics } = await import('../checks/index.ts');
    const errors = checkSchema(exportedTables(loaded, process.cwd())).filter((diagnostic) => diagnostic.level === 'error');
    if (errors.length > 0) {
      this.printError(formatDiagnostics(errors, loaded.tables.length));
      throw new HcDrizzleError(
        'HC_CHECK_FAILED',
        `The schema has ${errors.length} error${errors.length === 1 ? '' : 's'} (above), so nothing was ${this.path[0] === 'export' ? 'exported' : 'uploaded'}: fix ${errors.length === 1 ? 'it' : 'them'}, or pass --no-check.`,
        { exitCode: 1 },
      );
    }
    return loaded;
  }
}
