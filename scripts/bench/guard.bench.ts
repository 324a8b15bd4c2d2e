/**
 * The read-only guard's cost: the same query mix (point select, insert into a
 * read-write table, update, a transaction of five statements) on a guarded
 * and an unguarded db, on PGlite and on PostgreSQL (DATABASE_URL, else the
 * local server), and building the same queries with `.toSQL()` alone.
 *
 * A 2% difference is below the run-to-run noise of a 2-core machine, so the
 * variants are interleaved finely: every iteration runs the mix once on each
 * of six dbs over the same connection, three unguarded and three guarded in
 * turn, in an order that rotates and changes direction (see compare()).
 * Each block of iterations gives a paired ratio: the guarded dbs' mean time
 * over the unguarded dbs'. The figure is the median block ratio with a
 * bootstrap 95% interval; one unguarded db over another (the noise floor)
 * shows how far identical dbs drift apart in the same run.
 *
 * An earlier version ran three dbs (unguarded, guarded, unguarded) through
 * all six orders. On PGlite with drizzle-orm 1.0 its two unguarded dbs came
 * out up to 5% apart, fixed for a whole run, and the guarded ratio moved
 * against that noise floor from run to run (0.96 to 1.05): in those orders
 * the dbs did not follow one another alike. With each db following dbs of
 * the other kind, five processes agreed within 0.8%, their noise floors
 * within 0.6%. The executed mix still runs in several fresh processes (five
 * on PGlite, three on PostgreSQL), and the figure is the median of their
 * medians, each process's beside it.
 * Targets: guarded/unguarded at most 1.02 executed, 1.05 building.
 *
 * The last two lines run the mix on node-postgres over a client that answers
 * every query at once: no database work is left, so they show the guard's own
 * CPU time per mix, first with everything in the CPU caches, then with the
 * caches evicted before each statement as a database's work evicts them (the
 * executed figures above contain the latter).
 *
 * Two more measure the statement caches on that client: the heap still held
 * after 1,500 distinct 256 KB statements (the caches are bounded by bytes as
 * well as by count; by count alone they held 250 MB), beside the unguarded
 * db running the same statements; and the time of one raw statement whose
 * ids are inlined at a fixed width, so that every text has the same length
 * (compared one by one, 1,000 cached texts of one length cost 1.5-2.8 ms an
 * execute), beside the same statements unguarded and guarded statements of
 * differing lengths (what a text never seen costs: it is tokenized once).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql, type Logger } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { READ_WRITE, guardReadOnly, hcTable, sfExternalId, sfText, type AnyPgDatabase } from '../../src/index.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { drizzleApi } from '../../src/compat.ts';
import { BENCH_POSTGRES_URL } from './databases.ts';

const user = hcTable('User', { name: sfText('Name') });
const account = hcTable('Account', { name: sfText('Name'), externalId: sfExternalId('External_ID__c') }, { access: READ_WRITE });

const DDL = [
  'create schema salesforce',
  `create table salesforce."user" (id serial primary key, sfid varchar(18) unique, systemmodstamp timestamp,
     _hc_lastop varchar(32), _hc_err text, name varchar(255))`,
  `create table salesforce.account (id serial primary key, sfid varchar(18) unique, systemmodstamp timestamp,
     isdeleted boolean, _hc_lastop varchar(32), _hc_err text, name varchar(255), external_id__c varchar(32) unique)`,
  `insert into salesforce."user" (name) select 'user ' || n from generate_series(1, 100) n`,
];

type Db = AnyPgDatabase;

const BLOCKS = 250;
/** The executed mix: processes per database, blocks of 20 iterations per process, warm-up iterations. */
const PGLITE_PROCESSES = 5;
const POSTGRES_PROCESSES = 3;
const EXECUTED_BLOCKS = 150;
const EXECUTED_WARM_UP = 150;
const EXECUTED_FLAG = '--executed-mix-on';
const TARGET_EXECUTED = 1.02;
const TARGET_BUILDING = 1.05;

async function mix(db: Db, i: number): Promise<void> {
  await db.select().from(user).where(eq(user.id, (i % 100) + 1));
  const [row] = await db.insert(account).values({ name: `a${i}` }).returning({ id: account.id });
  await db.update(account).set({ name: `b${i}` }).where(eq(account.id, row!.id));
  await db.transaction(async (tx) => {
    await tx.select().from(user).where(eq(user.id, 1));
    const [inner] = await tx.insert(account).values({ name: `t${i}` }).returning({ id: account.id });
    await tx.update(account).set({ name: `u${i}` }).where(eq(account.id, inner!.id));
    await tx.select({ name: account.name }).from(account).where(eq(account.id, inner!.id));
    await tx.delete(account).where(eq(account.id, inner!.id));
  });
}

function build(db: Db, i: number): number {
  return (
    db.select().from(user).where(eq(user.id, i)).toSQL().sql.length +
    db.insert(account).values({ name: `a${i}` }).returning({ id: account.id }).toSQL().sql.length +
    db.update(account).set({ name: `b${i}` }).where(eq(account.id, i)).toSQL().sql.length +
    db.delete(account).where(eq(account.id, i)).toSQL().sql.length
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The 95% bootstrap interval of the median of `values` (seeded, so a run is repeatable given its samples). */
function medianInterval(values: readonly number[]): [number, number] {
  let seed = 0x2545f491;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const medians = Array.from({ length: 2000 }, () => median(values.map(() => values[Math.floor(random() * values.length)]!)));
  medians.sort((a, b) => a - b);
  return [medians[50]!, medians[1949]!];
}

/** Guarded and unguarded dbs of a comparison: this many of each. */
const PAIRS = 3;

/** Per-block samples of one comparison. */
interface Samples {
  readonly guardedRatios: number[];
  readonly noiseRatios: number[];
  readonly unguardedTimes: number[];
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Runs `run` once on each of `dbs` (unguarded at even places, guarded at odd
 * ones) every iteration, `perBlock` iterations a block, after `warmUp`
 * iterations on each. The order rotates by one place every other iteration
 * and runs backwards every other one, so every db takes every place and
 * almost always follows a db of the other kind: what one db's run leaves
 * behind for the next (in the CPU caches, the JIT's feedback, the database)
 * is the same for guarded and unguarded dbs.
 */
async function compare(dbs: readonly Db[], perBlock: number, blocks: number, warmUp: number, run: (db: Db, i: number) => unknown): Promise<Samples> {
  // Warm-up: JIT, connections, prepared plans, the guard's parse cache.
  for (let i = 0; i < warmUp; i++) for (const db of dbs) await run(db, i);
  const samples: Samples = { guardedRatios: [], noiseRatios: [], unguardedTimes: [] };
  let iteration = 0;
  for (let block = 0; block < blocks; block++) {
    const totals = dbs.map(() => 0);
    for (let i = 0; i < perBlock; i++, iteration++) {
      const start = iteration >> 1;
      for (let step = 0; step < dbs.length; step++) {
        const at = (iteration % 2 === 0 ? start + step : start - step + dbs.length) % dbs.length;
        const began = performance.now();
        await run(dbs[at]!, iteration);
        totals[at]! += performance.now() - began;
      }
    }
    const unguarded = totals.filter((_, at) => at % 2 === 0);
    const guarded = totals.filter((_, at) => at % 2 === 1);
    samples.unguardedTimes.push((mean(unguarded) * 1000) / perBlock);
    samples.guardedRatios.push(mean(guarded) / mean(unguarded));
    samples.noiseRatios.push(unguarded[1]! / unguarded[0]!);
  }
  return samples;
}

function outcomeOf(ratio: number, high: number, target: number | undefined, unguarded: number): string {
  if (target === undefined) return `guard's own cost ${(unguarded * (ratio - 1)).toFixed(1)} µs a mix`;
  return `target ≤ ${target}: ${high <= target ? 'met' : ratio <= target ? 'met at the median, interval crosses it' : 'NOT met'}`;
}

/** Print one comparison's median block ratios with their intervals. */
function report(label: string, { guardedRatios, noiseRatios, unguardedTimes }: Samples, target: number | undefined): void {
  const [low, high] = medianInterval(guardedRatios);
  const [noiseLow, noiseHigh] = medianInterval(noiseRatios);
  const ratio = median(guardedRatios);
  const unguarded = median(unguardedTimes);
  console.log(
    `${label.padEnd(40)} unguarded ${unguarded.toFixed(1).padStart(7)} µs  ` +
      `guarded/unguarded ${ratio.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]  ` +
      `noise floor ${median(noiseRatios).toFixed(3)} [${noiseLow.toFixed(3)}, ${noiseHigh.toFixed(3)}]  ${outcomeOf(ratio, high, target, unguarded)}`,
  );
}

/** {@link PAIRS} dbs of each kind on one connection, unguarded and guarded in turn. */
function variantsOf(open: () => Db): readonly Db[] {
  return Array.from({ length: 2 * PAIRS }, (_, at) => (at % 2 === 0 ? open() : (guardReadOnly(open()) as unknown as Db)));
}

/** The executed mix on `kind`, in this process. */
async function executedMix(kind: string): Promise<Samples> {
  const run = (open: () => Db) => compare(variantsOf(open), 10, EXECUTED_BLOCKS, EXECUTED_WARM_UP, mix);
  if (kind === 'PGlite') {
    const client = new PGlite();
    try {
      for (const statement of DDL) await client.exec(statement);
      return await run(() => drizzlePglite({ client }) as unknown as Db);
    } finally {
      await client.close();
    }
  }
  const database = await createTestDatabase({ url: BENCH_POSTGRES_URL });
  try {
    for (const statement of DDL) await database.exec(statement);
    const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
    const target = new URL(BENCH_POSTGRES_URL);
    target.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: target.toString(), max: 1 });
    try {
      return await run(() => drizzleNodePg({ client: pool }) as unknown as Db);
    } finally {
      await pool.end();
    }
  } finally {
    await database.close();
  }
}

/**
 * The executed mix on `kind` in `processes` fresh processes, one after
 * another. A process's JIT favours some of its dbs' objects over others for
 * the whole run (up to 5% between two identical unguarded dbs on PGlite), so
 * one process is one draw of that bias: the figure is the median of the
 * processes' medians.
 */
function executedInProcesses(kind: string, processes: number): void {
  const medians: number[] = [];
  const noise: number[] = [];
  const unguarded: number[] = [];
  for (let n = 0; n < processes; n++) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), EXECUTED_FLAG, kind], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`the ${kind} run failed: ${child.stderr.trim().split('\n').at(-1)}`);
    const samples = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Samples;
    medians.push(median(samples.guardedRatios));
    noise.push(median(samples.noiseRatios));
    unguarded.push(median(samples.unguardedTimes));
  }
  const ratio = median(medians);
  const shown = (values: number[]) => values.map((value) => value.toFixed(3)).join(' ');
  console.log(
    `${`${kind}: executed mix (8 statements)`.padEnd(40)} unguarded ${median(unguarded).toFixed(1).padStart(7)} µs  ` +
      `guarded/unguarded ${ratio.toFixed(3)} (processes: ${shown(medians)})  noise floor ${median(noise).toFixed(3)} (${shown(noise)})  ` +
      `target ≤ ${TARGET_EXECUTED}: ${ratio <= TARGET_EXECUTED ? 'met' : 'NOT met'}`,
  );
}

const flag = process.argv.indexOf(EXECUTED_FLAG);
if (flag > 0) {
  // One process of executedInProcesses: the samples, as JSON, on the last line.
  console.log(JSON.stringify(await executedMix(process.argv[flag + 1]!)));
  process.exit(0);
}

const { version: drizzleVersion } = JSON.parse(readFileSync(join(import.meta.dirname, '../../node_modules/drizzle-orm/package.json'), 'utf8')) as { version: string };
console.log(`drizzle-orm ${drizzleVersion} (${drizzleApi === '1' ? 'PgAsyncDatabase' : 'PgDatabase'})`);
console.log(
  `executed: in each process, ${EXECUTED_BLOCKS} paired blocks after ${EXECUTED_WARM_UP} iterations of warm-up, their median; noise floor = one unguarded db over another`,
);
executedInProcesses('PGlite', PGLITE_PROCESSES);
executedInProcesses('PostgreSQL', POSTGRES_PROCESSES);

console.log(`the rest in this process: median of ${BLOCKS} paired blocks [95% interval]`);
const pglite = new PGlite();
const building = await compare(variantsOf(() => drizzlePglite({ client: pglite }) as unknown as Db), 100, BLOCKS, 200, build);
report('building: .toSQL() of 4 queries', building, TARGET_BUILDING);
await pglite.close();

// node-postgres's drizzle over a client that answers at once (the rows the mix reads back).
const answeringAtOnce = {
  query: async () => ({ command: 'SELECT', rowCount: 1, rows: [{ id: 1 }], fields: [] }),
};
const openInstant = (logger?: Logger) =>
  drizzleNodePg({ client: answeringAtOnce as unknown as pg.Pool, ...(logger && { logger }) }) as unknown as Db;
report('client side only: mix on an instant client', await compare(variantsOf(openInstant), 100, BLOCKS, 200, mix), undefined);

// A database's own work evicts the client's code and data from the CPU caches
// between statements; so does touching 8 MB before each statement (a Drizzle
// logger runs it, on all three dbs alike).
const evictor = new Uint8Array(8 * 1024 * 1024);
const evictingCaches: Logger = {
  logQuery() {
    for (let at = 0; at < evictor.length; at += 64) evictor[at]!++;
  },
};
report(
  'client side, caches evicted per statement',
  await compare(variantsOf(() => openInstant(evictingCaches)), 2, BLOCKS, 4, mix),
  undefined,
);

// --- The statement caches: bytes held, and texts of one length.

const gc = (globalThis as { gc?: () => void }).gc;
function heapHeld(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Heap still held after running `texts` on `db` (MB). */
async function heapAfter(db: Db, texts: (n: number) => string, count: number): Promise<number> {
  const before = heapHeld();
  for (let n = 0; n < count; n++) await db.execute(sql.raw(texts(n)));
  return (heapHeld() - before) / 1024 / 1024;
}

const padding = '-'.repeat(256 * 1024 - 40);
const bigText = (offset: number) => (n: number) => `select ${offset + n} as n -- ${padding}\n`;
const plainForMemory = openInstant();
const guardedForMemory = guardReadOnly(openInstant()) as unknown as Db;
const unguardedHeld = await heapAfter(plainForMemory, bigText(0), 1500);
const guardedHeld = await heapAfter(guardedForMemory, bigText(1e6), 1500);
console.log(
  `${'caches: heap held after 1,500 × 256 KB texts'.padEnd(40)} unguarded ${unguardedHeld.toFixed(1).padStart(7)} MB  ` +
    `guarded ${guardedHeld.toFixed(1)} MB  target ≤ 16 MB: ${guardedHeld <= 16 ? 'met' : 'NOT met'}${gc === undefined ? ' (run with --expose-gc)' : ''}`,
);

/**
 * `count` statements of 100 inlined sfids each, the last one varying, then
 * trailing spaces: 500 each (every text of one length), or 0-999 (lengths
 * differ; as many spaces on average).
 */
function inlinedIds(count: number, sameLength: boolean, offset: number): string[] {
  const fixed = Array.from({ length: 99 }, (_, i) => `'005${String(i).padStart(12, '0')}'`).join(', ');
  return Array.from({ length: count }, (_, i) => {
    const id = `'005${String(offset + i).padStart(12, '0')}'`;
    return `select "id", "name" from "salesforce"."user" where "sfid" in (${fixed}, ${id})${' '.repeat(sameLength ? 500 : i % 1000)}`;
  });
}

/** µs per execute of `texts` on `db`, after warming the caches with `warm`. */
async function perExecute(db: Db, warm: readonly string[], texts: readonly string[]): Promise<number> {
  for (const text of warm) await db.execute(sql.raw(text));
  const start = performance.now();
  for (const text of texts) await db.execute(sql.raw(text));
  return ((performance.now() - start) * 1000) / texts.length;
}

const plainIds = openInstant();
const guardedIds = guardReadOnly(openInstant()) as unknown as Db;
const timings = { unguarded: [] as number[], sameLength: [] as number[], differingLengths: [] as number[] };
for (let round = 0; round < 15; round++) {
  const base = 1e8 + round * 1e6;
  timings.unguarded.push(await perExecute(plainIds, [], inlinedIds(2000, true, base)));
  // 1,000 texts of the length cached first, then 2,000 new ones of that length (each compared with what is cached).
  timings.sameLength.push(await perExecute(guardedIds, inlinedIds(1000, true, base + 5e5), inlinedIds(2000, true, base)));
  timings.differingLengths.push(await perExecute(guardedIds, [], inlinedIds(2000, false, base + 3e5)));
}
console.log(
  `${'caches: raw SQL with inlined fixed-width ids'.padEnd(40)} unguarded ${median(timings.unguarded).toFixed(1).padStart(7)} µs  ` +
    `guarded, one length ${median(timings.sameLength).toFixed(1)} µs an execute  ` +
    `guarded, lengths differ ${median(timings.differingLengths).toFixed(1)} µs (a new text's own cost)`,
);
