/**
 * The built CLI as whole processes, each beside its baseline from the same run:
 *
 * - `--version` ≤ 2× `node -e 0`, `--help` (every command) ≤ 3×;
 *   (each figure is a median of 7 runs, taken in turns with its baselines);
 * - `export` of the 1,000-object × 40-field schema ≤ 0.15 × django-heroku-connect's
 *   `makemappings` on the same schema (4.2 s, measured by the author; Django
 *   cannot be installed here), beside `node -e 0` and beside a process that only
 *   loads the same schema written with plain `pgTable`, in a default node and with the
 *   V8 setting the CLI uses for schemas (POLYMORPHIC_COLUMNS_V8_FLAG);
 * - `retry` of 100,000 failed logs on the local PostgreSQL ≥ 40× faster than one
 *   transaction per log (timed on 10,000 logs and scaled: it is linear, and 100,000
 *   would take minutes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { availableParallelism as availableCores, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { READ_WRITE, hcTable, sfText } from '../../src/index.ts';
import { POLYMORPHIC_COLUMNS_V8_FLAG } from '../../src/cli/base-command.ts';
import { createDevelopmentSchema } from '../../src/dev/index.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { triggerLog } from '../../src/trigger-log/index.ts';
import { generatedSchemaSource } from './generated-schema.ts';
import { BENCH_POSTGRES_URL } from './databases.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist', 'cli', 'bin.js');
const RUNS = 7;
const MAKEMAPPINGS_MS = 4200;

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) throw new Error('npm run build failed');

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Sample {
  readonly wall: number;
  readonly cpu: number | undefined;
}
interface Run {
  readonly args: string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** One run of `node args`: wall time (ms), and CPU time (user + system, ms) when /usr/bin/time can say. */
function runOnce({ args, cwd, env }: Run): Sample {
  const [command, commandArgs] = TIME === undefined ? [process.execPath, args] : [TIME, ['-f', 'cpu %U %S', process.execPath, ...args]];
  const start = performance.now();
  const result = spawnSync(command, commandArgs, { cwd: cwd ?? ROOT, env: env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  return { wall, cpu: cpu === null ? undefined : (Number(cpu[1]) + Number(cpu[2])) * 1000 };
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Median wall and CPU times of each of `runs`, run `times` times each, taking turns (one of each, then
 * again), so a machine that speeds up or slows down during the bench moves every figure alike.
 */
function measureTogether(runs: readonly Run[], times: number): Sample[] {
  const samples = runs.map(() => [] as Sample[]);
  for (let i = 0; i < times; i++) runs.forEach((run, at) => samples[at]!.push(runOnce(run)));
  return samples.map((taken) => {
    const cpus = taken.flatMap(({ cpu }) => (cpu === undefined ? [] : [cpu]));
    return { wall: median(taken.map(({ wall }) => wall)), cpu: cpus.length === 0 ? undefined : median(cpus) };
  });
}

const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
const cpuOf = (value: number | undefined) => (value === undefined ? '' : `  (CPU ${value.toFixed(0)} ms)`);
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
let allMet = true;
const report = (line: string, ok: boolean) => {
  allMet &&= ok;
  process.stdout.write(`${line} ${verdict(ok)}\n`);
};

// Startup.
process.stdout.write(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} on ${availableCores()} cores: wall times are medians, CPU times (user + system) beside them\n`);
const [nodeAlone, version, help] = measureTogether([{ args: ['-e', '0'] }, { args: [BIN, '--version'] }, { args: [BIN, '--help'] }], RUNS) as [Sample, Sample, Sample];
process.stdout.write(`node -e 0                             ${ms(nodeAlone.wall)}${cpuOf(nodeAlone.cpu)}\n`);
report(`hc-drizzle --version                  ${ms(version.wall)}${cpuOf(version.cpu)}  ${(version.wall / nodeAlone.wall).toFixed(2)}× node (target ≤ 2×)`, version.wall <= 2 * nodeAlone.wall);
report(`hc-drizzle --help                     ${ms(help.wall)}${cpuOf(help.cpu)}  ${(help.wall / nodeAlone.wall).toFixed(2)}× node (target ≤ 3×)`, help.wall <= 3 * nodeAlone.wall);

// export of 1,000 × 40.
const dir = mkdtempSync(join(tmpdir(), 'hc-cli-bench-'));
try {
  // An app folder where `hc-drizzle` and `drizzle-orm` resolve as they do for users.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'hc-drizzle'));
  symlinkSync(join(ROOT, 'node_modules', 'drizzle-orm'), join(dir, 'node_modules', 'drizzle-orm'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const core = 'hc-drizzle';
  writeFileSync(join(dir, 'schema.ts'), generatedSchemaSource(core, 1000, 40));
  writeFileSync(join(dir, 'schema.mjs'), generatedSchemaSource(core, 1000, 40));
  // The same tables with plain pgTable: what Drizzle alone costs to build them.
  const plain = generatedSchemaSource(core, 1000, 40)
    .replace(/^import .*$/m, `import { pgSchema, serial, varchar, doublePrecision, timestamp, boolean, text } from 'drizzle-orm/pg-core';\nconst salesforce = pgSchema('salesforce');`)
    .replace(/hcTable\('(\w+)', \{ (.*) \}, \{ access: READ_WRITE \}\);/g, (_, name: string, columns: string) => {
      const plainColumns = columns
        .replace(/sfExternalId\('(\w+)'\)/g, "varchar('$1', { length: 32 }).unique()")
        .replace(/sfText\('(\w+)'\)|sfEmail\('(\w+)'[^)]*\)|sfLookup\('(\w+)'\)/g, (_m: string, a?: string, b?: string, c?: string) => `varchar('${a ?? b ?? c}', { length: 255 })`)
        .replace(/sfNumber\('(\w+)'\)/g, "doublePrecision('$1')")
        .replace(/sfDateTime\('(\w+)'\)/g, "timestamp('$1')")
        .replace(/sfCheckbox\('(\w+)'\)/g, "boolean('$1')")
        .replace(/sfPicklist\('(\w+)'[^)]*\)/g, "varchar('$1', { length: 255 })")
        .replace(/sfTextAreaLong\('(\w+)'\)/g, "text('$1')");
      // The same tables hcTable makes: Heroku Connect's system columns, then the fields.
      return `salesforce.table('${name.toLowerCase()}', { id: serial('id').primaryKey(), sfid: varchar('sfid', { length: 18 }).unique(), systemModstamp: timestamp('systemmodstamp'), isDeleted: boolean('isdeleted'), hcLastop: varchar('_hc_lastop', { length: 32 }), hcErr: text('_hc_err'), ${plainColumns} });`;
    });
  writeFileSync(join(dir, 'plain.mjs'), plain);
  const exportArgs = (file: string) => [BIN, 'export', '--schema', file, '--exported-at', '2024-01-01T00:00:00Z', '-o', join(dir, 'mapping.json')];
  const env = { ...process.env, JITI_FS_CACHE: join(dir, 'jiti-cache') };
  const [coldTs] = measureTogether([{ args: exportArgs('schema.ts'), cwd: dir, env }], 1) as [Sample];
  const [plainLoad, plainTuned, mjs, warmTs] = measureTogether(
    [
      { args: [join(dir, 'plain.mjs')], cwd: dir },
      { args: [POLYMORPHIC_COLUMNS_V8_FLAG, join(dir, 'plain.mjs')], cwd: dir },
      { args: exportArgs('schema.mjs'), cwd: dir },
      { args: exportArgs('schema.ts'), cwd: dir, env },
    ],
    RUNS,
  ) as [Sample, Sample, Sample, Sample];
  const target = 0.15 * MAKEMAPPINGS_MS;
  process.stdout.write(`\nexport, 1,000 objects × 40 fields, whole process (makemappings: ${MAKEMAPPINGS_MS} ms, recorded; target ≤ ${target.toFixed(0)} ms)\n`);
  process.stdout.write(`  node -e 0                            ${ms(nodeAlone.wall)}${cpuOf(nodeAlone.cpu)}\n`);
  process.stdout.write(`  node loading it written with pgTable ${ms(plainLoad.wall)}${cpuOf(plainLoad.cpu)}\n`);
  process.stdout.write(`  the same, with the CLI's V8 flag (*) ${ms(plainTuned.wall)}${cpuOf(plainTuned.cpu)}\n`);
  const overTuned = (sample: Sample) => `${(sample.wall / plainTuned.wall).toFixed(2)}× pgTable with the flag`;
  report(`  export --schema schema.mjs           ${ms(mjs.wall)}${cpuOf(mjs.cpu)}  ${(mjs.wall / MAKEMAPPINGS_MS).toFixed(2)}× makemappings, ${overTuned(mjs)}`, mjs.wall <= target);
  report(`  export --schema schema.ts (warm)     ${ms(warmTs.wall)}${cpuOf(warmTs.cpu)}  ${(warmTs.wall / MAKEMAPPINGS_MS).toFixed(2)}× makemappings, ${overTuned(warmTs)}`, warmTs.wall <= target);
  process.stdout.write(`  export --schema schema.ts (cold: jiti compiles 1.6 MB first) ${ms(coldTs.wall)}${cpuOf(coldTs.cpu)}\n`);
  process.stdout.write(`  (*) ${POLYMORPHIC_COLUMNS_V8_FLAG}, which the CLI sets before it loads a schema\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// retry of 100,000 failed logs.
const LOGS = 100_000;
const LOOP_SAMPLE = 10_000;
const url = BENCH_POSTGRES_URL;
let database;
try {
  database = await createTestDatabase({ url });
} catch (error) {
  process.stdout.write(`\nretry: skipped (${(error as Error).message})\n`);
}
if (database !== undefined) {
  try {
    const account = hcTable('Account', { name: sfText('Name') }, { access: READ_WRITE });
    await createDevelopmentSchema(database, { account });
    await database.exec(`
      insert into salesforce._trigger_log (txid, created_at, state, action, table_name, record_id, values)
      select 1, now(), 'FAILED', 'UPDATE', 'account', n, '"name"=>"x"' from generate_series(1, ${LOGS}) as n`);
    const target = new URL(url);
    target.pathname = `/${database.description.split('/').at(-1)}`;
    const cli = runOnce({ args: [BIN, 'retry', '--url', target.toString(), '--write-algorithm', 'merged'] });
    const cliMs = cli.wall;
    const [requeued] = await database.query<{ count: string }>(`select count(*) from salesforce._trigger_log where state = 'NEW'`);
    const count = requeued?.count;
    if (Number(count) !== LOGS) throw new Error(`retry requeued ${count} logs, expected ${LOGS}`);
    // The baseline on a sample: one transaction per log.
    await database.exec(`update salesforce._trigger_log set state = 'FAILED' where id <= ${LOOP_SAMPLE}`);
    const failed = await database.db.select({ id: triggerLog.id }).from(triggerLog).where(eq(triggerLog.state, 'FAILED'));
    const start = performance.now();
    for (const { id } of failed) {
      await database.db.transaction(async (tx) => {
        await tx.select({ id: triggerLog.id }).from(triggerLog).where(sql`${triggerLog.id} = ${id} and ${triggerLog.state} = 'FAILED'`).for('update');
        await tx.update(triggerLog).set({ state: 'NEW', updatedAt: sql`now()` }).where(eq(triggerLog.id, id));
      });
    }
    const loopMs = ((performance.now() - start) * LOGS) / failed.length;
    process.stdout.write(`\nretry, ${LOGS.toLocaleString('en')} failed logs, PostgreSQL\n`);
    process.stdout.write(`  one transaction per log (${failed.length.toLocaleString('en')} timed, scaled) ${ms(loopMs)}\n`);
    report(`  hc-drizzle retry, whole process      ${ms(cliMs)}${cpuOf(cli.cpu)}  ${(loopMs / cliMs).toFixed(0)}× faster (target ≥ 40×)`, loopMs / cliMs >= 40);
  } finally {
    await database.close();
  }
}
process.exitCode = allMet ? 0 : 1;
