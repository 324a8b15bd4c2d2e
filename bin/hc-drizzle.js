#!/usr/bin/env node
// The package ships TypeScript sources; tsx runs them (and loads users' .ts schema files).
import { register } from 'tsx/esm/api';

// `hc-drizzle export | head` closes stdout early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

register();
try {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // A module that reads settings at load time (the trigger log tables) can fail before main runs.
  const { reportError } = await import('../src/cli/report-error.ts');
  process.exitCode = reportError(error, process.stderr, process.argv.includes('--verbose'));
}
