/**
 * The emulator's write-out: 10,000 NEW trigger log entries (one insert of
 * 10,000 rows into a read-write hcTable) written to the emulated org by one
 * `sync()`, on PostgreSQL (DATABASE_URL, else the local server), merged and
 * ordered writes. Baseline, same run and rows: one UPDATE of those rows
 * (with Heroku Connect's triggers, rolled back). Goal: at least 5,000 logs/s merged.
 * Three rounds per algorithm, each on a fresh database with its own
 * baseline; the medians are reported (and the fastest round), so a load
 * spike on a shared machine moves one round, not the figure.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { READ_WRITE, hcTable, sfExternalId, sfText } from '../../src/index.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { BENCH_POSTGRES_URL } from './databases.ts';

const LOGS = 10_000;
const GOAL = 5_000;

const account = hcTable(
  'Account',
  { name: sfText('Name'), accountNumber: sfText('AccountNumber', { length: 40 }), externalId: sfExternalId('External_ID__c') },
  { access: READ_WRITE },
);

async function run(writeAlgorithm: 'merged' | 'ordered') {
  const database = await createTestDatabase({ url: BENCH_POSTGRES_URL });
  try {
    const emulator = await startEmulator({ db: database.db, schema: [account], writeAlgorithm });
    try {
      const rows = Array.from({ length: LOGS }, (_, n) => ({ name: `Account ${n}`, accountNumber: `A-${n}` }));
      for (let at = 0; at < rows.length; at += 2000) await database.db.insert(account).values(rows.slice(at, at + 2000));
      const update = performance.now();
      await database.db
        .transaction(async (tx) => {
          await tx.execute(sql`update ${account} set ${sql.raw('accountnumber')} = accountnumber || '-x'`);
          tx.rollback();
        })
        .catch(() => undefined);
      const updateMs = performance.now() - update;
      const cpu = process.cpuUsage();
      const start = performance.now();
      const result = await emulator.sync();
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      const written = result.writtenOut.success + result.writtenOut.merged;
      if (written !== LOGS || result.writtenOut.failed !== 0) throw new Error(`wrote ${written} logs (${result.writtenOut.failed} failed), expected ${LOGS}`);
      const perSecond = (LOGS / ms) * 1000;
      const [{ synced }] = (await database.query<{ synced: number }>(`select count(*)::int as synced from salesforce.account where sfid is not null`)) as [{ synced: number }];
      if (synced !== LOGS) throw new Error(`${synced} rows got an sfid, expected ${LOGS}`);
      return { ms, perSecond, updateMs, cpuMs };
    } finally {
      await emulator.close();
    }
  } finally {
    await database.close();
  }
}

const ROUNDS = 3;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

let ok = true;
try {
  for (const algorithm of ['merged', 'ordered'] as const) {
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(await run(algorithm));
    const ms = median(rounds.map((one) => one.ms));
    const updateMs = median(rounds.map((one) => one.updateMs));
    const perSecond = (LOGS / ms) * 1000;
    const best = Math.max(...rounds.map((one) => one.perSecond));
    const cpuMs = median(rounds.map((one) => one.cpuMs));
    const goal = algorithm === 'merged' ? ` (goal ≥ ${GOAL}/s) ${perSecond >= GOAL ? 'ok' : 'MISSED'}` : '';
    process.stdout.write(
      `PostgreSQL, ${algorithm} writes: ${LOGS} NEW logs written out in ${ms.toFixed(0)} ms = ${perSecond.toFixed(0)} logs/s${goal}` +
        ` (median of ${ROUNDS}; fastest round ${best.toFixed(0)} logs/s)\n` +
        `  baseline, one UPDATE of those ${LOGS} rows: ${updateMs.toFixed(0)} ms (median; write-out takes ${(ms / updateMs).toFixed(1)}x as long)\n` +
        `  the emulator's own CPU time for the write-out (Node, not PostgreSQL): ${cpuMs.toFixed(0)} ms (median)\n`,
    );
    if (algorithm === 'merged') ok &&= perSecond >= GOAL;
  }
} catch (error) {
  process.stdout.write(`PostgreSQL: skipped (${(error as Error).message})\n`);
}
process.exitCode = ok ? 0 : 1;
