/**
 * The `hc-drizzle` command line. Every command file is registered here and
 * stays light at load time: its usage, paths and options load without its
 * implementation, which each `run()` imports when the command runs, so
 * `--version` and `--help` never load a driver or the user's schema.
 */
import { readFileSync } from 'node:fs';
import { Builtins, Cli, Command, Option, type BaseContext, type CommandClass } from 'clipanion';
import { CheckCommand } from './check.ts';
import { ExportCommand } from './export.ts';
import { DevSchemaCommand } from './dev-schema.ts';
import { LogsCommand } from './logs.ts';
import { RetryCommand } from './retry.ts';
import { IgnoreCommand } from './ignore.ts';
import { HealthCommand } from './health.ts';
import { ImportMappingsCommand } from './import-mappings.ts';
import { LoadRemoteSchemaCommand } from './load-remote-schema.ts';
import { PullCommand } from './pull.ts';
import { DiffCommand } from './diff.ts';
import { EmulateCommand } from './emulate.ts';
import { RefreshCommand } from './refresh.ts';
import { FeedCommand, FeedDismissCommand, FeedInstallCommand, FeedParkedCommand, FeedRetryCommand, FeedStatusCommand } from './feed.ts';
import { placeholderOf } from './placeholders.ts';
import { neutraliseTerminalControls } from '../http/display.ts';

const commands: CommandClass[] = [
  ExportCommand,
  CheckCommand,
  ImportMappingsCommand,
  HealthCommand,
  LoadRemoteSchemaCommand,
  RefreshCommand,
  DevSchemaCommand,
  LogsCommand,
  RetryCommand,
  IgnoreCommand,
  PullCommand,
  DiffCommand,
  EmulateCommand,
  FeedCommand,
  FeedInstallCommand,
  FeedStatusCommand,
  FeedParkedCommand,
  FeedRetryCommand,
  FeedDismissCommand,
];

/**
 * The commands whose path `args` start with, else all of them (for `--help`,
 * `help` and the unknown-command error). clipanion compiles one state machine
 * over the options of every command it is given, about 10 ms for all of them,
 * and a run that names its command needs only that one (`feed install`
 * matches `feed` too: clipanion picks the longest path).
 */
function commandsNamedBy(args: readonly string[]): readonly CommandClass[] {
  const named = commands.filter((command) => command.paths?.some((path) => path.every((part, index) => args[index] === part)));
  return named.length === 0 ? commands : named;
}

/** `hc-drizzle help [command]`: the same text as `--help`. */
class HelpCommand extends Command {
  static override paths = [['help']];
  static override usage = Command.Usage({ description: 'Show the commands, or the usage of one command' });
  command = Option.Rest();

  override async execute(): Promise<number> {
    return this.command.length === 0
      ? (this.context.stdout.write(this.cli.usage(null)), 0)
      : this.cli.run([...this.command, '--help']);
  }
}

/** The package's own version (src/cli and dist/cli both sit two folders below package.json). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Colour on a terminal, unless NO_COLOR is set (https://no-color.org). */
function wantsColour(stdout: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  return (stdout as { isTTY?: boolean }).isTTY === true && (env['NO_COLOR'] ?? '') === '';
}

/** clipanion writes `--url #0`; say what goes there instead. */
class HcCli extends Cli<BaseContext> {
  override getUsageByIndex(index: number, options?: { detailed?: boolean; inlineOptions?: boolean }) {
    const usage = super.getUsageByIndex(index, options);
    const name = (definition: string) => definition.replace(/(-[\w-]*(?:,-[\w-]*)*) #0/g, (_, flags: string) => `${flags} ${placeholderOf(flags)}`);
    return { usage: name(usage.usage), options: usage.options.map((option) => ({ ...option, definition: name(option.definition) })) };
  }
}

/** Run the CLI with `args`; resolves to the exit code. */
export async function main(args: string[], given: Partial<BaseContext> = {}): Promise<number> {
  const context: BaseContext = { ...Cli.defaultContext, ...given };
  const colour = wantsColour(context.stdout, context.env);
  const cli = new HcCli({ binaryLabel: 'hc-drizzle', binaryName: 'hc-drizzle', binaryVersion: packageVersion(), enableColors: colour });
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  cli.register(HelpCommand);
  for (const command of commandsNamedBy(args)) cli.register(command);
  let command;
  try {
    command = cli.process(args, context);
  } catch (error) {
    // Unknown command, bad flags or a flag value typanion refused: one line, exit 2 (clipanion would print a page and say 1).
    const first = (error as Error).message.split('\n')[0] ?? '';
    const reason = first.startsWith('Command not found')
      ? `Unknown command "${args.filter((arg) => !arg.startsWith('-')).join(' ')}"`
      : first.replace(/[.:;]\s*$/, '');
    context.stderr.write(neutraliseTerminalControls(`hc-drizzle: ${reason}. Run 'hc-drizzle --help' for usage.\n`));
    return 2;
  }
  return cli.run(command, context);
}
