/**
 * `npm run typecheck` (and `npm test`): tsc over the repo with the config for
 * the installed drizzle-orm, told by feature (1.0's pg-core exports
 * `PgAsyncDatabase`): tsconfig.json for 0.45, tsconfig.drizzle-1.json for 1.0.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as pgCore from 'drizzle-orm/pg-core';

const root = join(import.meta.dirname, '..');
const config = 'PgAsyncDatabase' in pgCore ? 'tsconfig.drizzle-1.json' : 'tsconfig.json';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(root, config), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
