/**
 * The guard bench (guard.bench.ts) again on drizzle-orm 1.0: the repo is
 * copied to a temporary directory (node_modules included, .git and dist not),
 * drizzle-orm 1.0 and its drizzle-kit are installed there without saving, and
 * guard.bench.ts runs in the copy. The checkout's package.json and lockfile
 * are not touched. Same targets: guarded/unguarded at most 1.02 executed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DRIZZLE_ORM_1 = '1.0.0-rc.5';
const DRIZZLE_KIT_1 = '1.0.0-rc.5';
const root = join(import.meta.dirname, '..', '..');
const copy = mkdtempSync(join(tmpdir(), 'hc-drizzle-bench-1-'));

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    rmSync(copy, { recursive: true, force: true });
    process.stderr.write(`${command} ${args.join(' ')} failed\n`);
    process.exit(1);
  }
}

try {
  process.stderr.write(`copying the repo and installing drizzle-orm@${DRIZZLE_ORM_1} into ${copy} ...\n`);
  run('sh', ['-c', `tar --exclude=./.git --exclude=./dist -cf - . | tar -xf - -C '${copy}'`], root);
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `drizzle-orm@${DRIZZLE_ORM_1}`, `drizzle-kit@${DRIZZLE_KIT_1}`], copy);
  run(process.execPath, ['--import', 'tsx', '--expose-gc', join(copy, 'scripts', 'bench', 'guard.bench.ts')], copy);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
