#!/usr/bin/env node
/** The `hc-drizzle` executable (package.json `bin`): runs the CLI on argv. */
import { main } from './main.ts';

// `hc-drizzle export | head` closes stdout early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await main(process.argv.slice(2));
// Every command has finished and closed what it opened when main() resolves. Exit at once, once what
// was written has been flushed (pipes are asynchronous on macOS), rather than let Node free the heap
// first: after a large schema that is about 13 ms of an `export` (scripts/bench/cli.bench.ts).
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((flushed) => stream.write('', flushed))));
process.exit(code);
