#!/usr/bin/env node
/** The `hc-drizzle` executable (package.json `bin`): runs the CLI on argv. */
import { main } from './main.ts';

// `hc-drizzle export | head` closes stdout early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
