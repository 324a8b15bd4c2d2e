/** The `hc-drizzle` command line: one file per command, registered here. */
import { Builtins, Cli } from 'clipanion';
import { CheckCommand } from './check.ts';
import { ExportCommand } from './export.ts';
import { DevSchemaCommand } from './dev-schema.ts';
import { LogsCommand } from './logs.ts';
import { RetryCommand } from './retry.ts';
import { IgnoreCommand } from './ignore.ts';
import { HealthCommand } from './health.ts';
import { ImportMappingsCommand } from './import-mappings.ts';
import { LoadRemoteSchemaCommand } from './load-remote-schema.ts';

const commands = [ExportCommand, CheckCommand, ImportMappingsCommand, HealthCommand, LoadRemoteSchemaCommand, DevSchemaCommand, LogsCommand, RetryCommand, IgnoreCommand];

/** Run the CLI with `args`; resolves to the exit code. */
export async function main(args: string[], context = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const cli = new Cli({ binaryLabel: 'hc-drizzle', binaryName: 'hc-drizzle', binaryVersion: '0.1.0', enableColors: false });
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  for (const command of commands) cli.register(command);
  let command;
  try {
    command = cli.process(args, context);
  } catch (error) {
    // Unknown command or bad flags: one line, exit 2 (clipanion would print a page and say 1).
    const first = (error as Error).message.split('\n')[0] ?? '';
    const reason = first.startsWith('Command not found')
      ? `Unknown command "${args.filter((arg) => !arg.startsWith('-')).join(' ')}"`
      : first.replace(/[.:;]\s*$/, '');
    context.stderr.write(`hc-drizzle: ${reason}. Run 'hc-drizzle --help' for usage.\n`);
    return 2;
  }
  return cli.run(command, context);
}
