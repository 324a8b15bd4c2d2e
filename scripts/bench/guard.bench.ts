/**
 * The read-only guard's cost: the same query mix (point select, insert into a
 * read-write table, update, a transaction of five statements) on a guarded
 * and an unguarded db, on PGlite and on PostgreSQL (DATABASE_URL, else the
 * local server), and building the same queries with `.toSQL()` alone.
 *
 * A 2% difference is below the run-to-run noise of a 2-core machine, so the
 * variants are interleaved finely: every iteration runs the mix once on each
 * of three dbs over the same connection (two unguarded, one guarded), in an
 * order that rotates through all six permutations. Each block of iterations
 * gives a paired ratio: guarded time over the mean of the two unguarded
 * times. The figure is the median block ratio with a bootstrap 95% interval;
 * the second unguarded db over the first (the noise floor) shows how far two
 * identical dbs drift apart in the same run.
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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const PERMUTATIONS = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
  [0, 2, 1],
  [2, 1, 0],
  [1, 0, 2],
] as const;

/**
 * Runs `run` on [unguarded, guarded, unguarded] in rotating order, `perBlock`
 * iterations a block, and prints the median block ratios.
 */
async function compare(
  label: string,
  dbs: readonly [Db, Db, Db],
  perBlock: number,
  target: number | undefined,
  run: (db: Db, i: number) => unknown,
) {
  // Warm-up: JIT, connections, prepared plans, the guard's parse cache.
  for (let i = 0; i < perBlock * 2; i++) for (const db of dbs) await run(db, i);
  const guardedRatios: number[] = [];
  const noiseRatios: number[] = [];
  const unguardedTimes: number[] = [];
  let iteration = 0;
  for (let block = 0; block < BLOCKS; block++) {
    const totals = [0, 0, 0];
    for (let i = 0; i < perBlock; i++, iteration++) {
      for (const variant of PERMUTATIONS[iteration % PERMUTATIONS.length]!) {
        const start = performance.now();
        await run(dbs[variant]!, iteration);
        totals[variant]! += performance.now() - start;
      }
    }
    const unguardedTotal = (totals[0]! + totals[2]!) / 2;
    unguardedTimes.push((unguardedTotal * 1000) / perBlock);
    guardedRatios.push(totals[1]! / unguardedTotal);
    noiseRatios.push(totals[2]! / totals[0]!);
  }
  const [low, high] = medianInterval(guardedRatios);
  const [noiseLow, noiseHigh] = medianInterval(noiseRatios);
  const ratio = median(guardedRatios);
  const unguarded = median(unguardedTimes);
  const outcome =
    target === undefined
      ? `guard's own cost ${(unguarded * (ratio - 1)).toFixed(1)} µs a mix`
      : `target ≤ ${target}: ${high <= target ? 'met' : ratio <= target ? 'met at the median, interval crosses it' : 'NOT met'}`;
  console.log(
    `${label.padEnd(40)} unguarded ${unguarded.toFixed(1).padStart(7)} µs  ` +
      `guarded/unguarded ${ratio.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]  ` +
      `noise floor ${median(noiseRatios).toFixed(3)} [${noiseLow.toFixed(3)}, ${noiseHigh.toFixed(3)}]  ${outcome}`,
  );
}

/** Three dbs on one connection: unguarded, guarded, unguarded again. */
function variantsOf(open: () => Db): readonly [Db, Db, Db] {
  return [open(), guardReadOnly(open()) as unknown as Db, open()];
}

async function benchDatabase(name: string, open: () => Db, cleanup: () => Promise<void>) {
  await compare(`${name}: executed mix (8 statements)`, variantsOf(open), 20, TARGET_EXECUTED, mix);
  await cleanup();
}

const { version: drizzleVersion } = JSON.parse(readFileSync(join(import.meta.dirname, '../../node_modules/drizzle-orm/package.json'), 'utf8')) as { version: string };
console.log(`drizzle-orm ${drizzleVersion} (${drizzleApi === '1' ? 'PgAsyncDatabase' : 'PgDatabase'})`);
console.log(`median of ${BLOCKS} paired blocks [95% interval]; noise floor = one unguarded db over another`);
const pglite = new PGlite();
for (const statement of DDL) await pglite.exec(statement);
const openPglite = () => drizzlePglite({ client: pglite }) as unknown as Db;
await benchDatabase('PGlite', openPglite, async () => void (await pglite.exec('truncate salesforce.account')));
await compare('building: .toSQL() of 4 queries', variantsOf(openPglite), 200, TARGET_BUILDING, build);
await pglite.close();

const url = BENCH_POSTGRES_URL;
const database = await createTestDatabase({ url });
try {
  for (const statement of DDL) await database.exec(statement);
  const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: target.toString(), max: 1 });
  await benchDatabase('PostgreSQL', () => drizzleNodePg({ client: pool }) as unknown as Db, async () => {
    await pool.query('truncate salesforce.account');
    await pool.end();
  });
} finally {
  await database.close();
}

// node-postgres's drizzle over a client that answers at once (the rows the mix reads back).
const answeringAtOnce = {
  query: async () => ({ command: 'SELECT', rowCount: 1, rows: [{ id: 1 }], fields: [] }),
};
const openInstant = (logger?: Logger) =>
  drizzleNodePg({ client: answeringAtOnce as unknown as pg.Pool, ...(logger && { logger }) }) as unknown as Db;
await compare('client side only: mix on an instant client', variantsOf(openInstant), 200, undefined, mix);

// A database's own work evicts the client's code and data from the CPU caches
// between statements; so does touching 8 MB before each statement (a Drizzle
// logger runs it, on all three dbs alike).
const evictor = new Uint8Array(8 * 1024 * 1024);
const evictingCaches: Logger = {
  logQuery() {
    for (let at = 0; at < evictor.length; at += 64) evictor[at]!++;
  },
};
await compare(
  'client side, caches evicted per statement',
  variantsOf(() => openInstant(evictingCaches)),
  4,
  undefined,
  mix,
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
const [plainForMemory, guardedForMemory] = variantsOf(openInstant);
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

const [plainIds, guardedIds] = variantsOf(openInstant);
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
