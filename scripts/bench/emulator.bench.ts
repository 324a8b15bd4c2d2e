/**
 * The emulator's write-out: 10,000 NEW trigger log entries (one insert of
 * 10,000 rows into a read-write hcTable) written to the emulated org by one
 * `sync()`, on PostgreSQL (DATABASE_URL, else the local server), merged and
 * ordered writes. Baseline, same run and rows: one UPDATE of those rows
 * (with Heroku Connect's triggers, rolled back). Goal: at least 5,000 logs/s merged.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { READ_WRITE, hcTable, sfExternalId, sfText } from '../../src/index.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createTestDatabase } from '../../src/testing/index.ts';

const LOGS = 10_000;
const GOAL = 5_000;
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

const account = hcTable(
  'Account',
  { name: sfText('Name'), accountNumber: sfText('AccountNumber', { length: 40 }), externalId: sfExternalId('External_ID__c') },
  { access: READ_WRITE },
);

async function run(writeAlgorithm: 'merged' | 'ordered') {
  const database = await createTestDatabase({ url: process.env['DATABASE_URL'] || LOCAL_POSTGRES });
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
      const start = performance.now();
      const result = await emulator.sync();
      const ms = performance.now() - start;
      const written = result.writtenOut.success + result.writtenOut.merged;
      if (written !== LOGS || result.writtenOut.failed !== 0) throw new Error(`wrote ${written} logs (${result.writtenOut.failed} failed), expected ${LOGS}`);
      const perSecond = (LOGS / ms) * 1000;
      const [{ synced }] = (await database.query<{ synced: number }>(`select count(*)::int as synced from salesforce.account where sfid is not null`)) as [{ synced: number }];
      if (synced !== LOGS) throw new Error(`${synced} rows got an sfid, expected ${LOGS}`);
      return { ms, perSecond, updateMs };
    } finally {
      await emulator.close();
    }
  } finally {
    await database.close();
  }
}

let ok = true;
try {
  for (const algorithm of ['merged', 'ordered'] as const) {
    const { ms, perSecond, updateMs } = await run(algorithm);
    const goal = algorithm === 'merged' ? ` (goal ≥ ${GOAL}/s) ${perSecond >= GOAL ? 'ok' : 'MISSED'}` : '';
    process.stdout.write(
      `PostgreSQL, ${algorithm} writes: ${LOGS} NEW logs written out in ${ms.toFixed(0)} ms = ${perSecond.toFixed(0)} logs/s${goal}\n` +
        `  baseline, one UPDATE of those ${LOGS} rows: ${updateMs.toFixed(0)} ms (write-out takes ${(ms / updateMs).toFixed(1)}x as long)\n`,
    );
    if (algorithm === 'merged') ok &&= perSecond >= GOAL;
  }
} catch (error) {
  process.stdout.write(`PostgreSQL: skipped (${(error as Error).message})\n`);
}
process.exitCode = ok ? 0 : 1;
