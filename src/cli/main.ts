/** The `hc-drizzle` command line: one file per command, registered here. */
import { Builtins, Cli } from 'clipanion';
import { ExportCommand } from './export.ts';

const commands = [ExportCommand];

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
    // Unknown command or bad flags: usage error, exit 2 (clipanion would say 1).
    context.stderr.write(cli.error(error as Error, { colored: false }));
    return 2;
  }
  return cli.run(command, context);
}
