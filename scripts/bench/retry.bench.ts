/**
 * Retrying 10,000 FAILED trigger logs: hc-drizzle's set-based retryFailed
 * (one statement, rows locked with `for update skip locked`) against the
 * baseline django-heroku-connect's admin action amounts to, one transaction
 * per log (lock it, set it back to NEW, commit). Same database, same run.
 * Runs on PostgreSQL (DATABASE_URL, else the local server) and on PGlite.
 * Target: set-based at least 20x faster.
 */
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { READ_WRITE, hcTable, sfText } from '../../src/index.ts';
import { createDevelopmentSchema } from '../../src/dev/index.ts';
import type { OpenDatabase } from '../../src/node/database.ts';
import { retryFailed, triggerLog } from '../../src/trigger-log/index.ts';
import { onBenchDatabases } from './databases.ts';

const LOGS = 10_000;
const TARGET_RATIO = 20;

const account = hcTable('Account', { name: sfText('Name') }, { access: READ_WRITE });

async function seed(database: OpenDatabase) {
  await createDevelopmentSchema(database, { account });
  const rows = Array.from({ length: LOGS }, (_, n) => ({ name: `Account ${n}` }));
  for (let at = 0; at < rows.length; at += 1000) await database.db.insert(account).values(rows.slice(at, at + 1000));
}

const failAll = (database: OpenDatabase) => database.exec(`update salesforce._trigger_log set state = 'FAILED'`);

/** The baseline: one transaction per log, as a loop over a queryset of failed logs does it. */
async function retryOneByOne(database: OpenDatabase): Promise<number> {
  const failed = await database.db.select({ id: triggerLog.id }).from(triggerLog).where(eq(triggerLog.state, 'FAILED'));
  let requeued = 0;
  for (const { id } of failed) {
    await database.db.transaction(async (tx) => {
      const [locked] = await tx
        .select({ id: triggerLog.id })
        .from(triggerLog)
        .where(sql`${triggerLog.id} = ${id} and ${triggerLog.state} = 'FAILED'`)
        .for('update');
      if (locked === undefined) return;
      await tx.update(triggerLog).set({ state: 'NEW', updatedAt: sql`now()` }).where(eq(triggerLog.id, id));
      requeued++;
    });
  }
  return requeued;
}

async function time(work: () => Promise<number>): Promise<{ ms: number; count: number }> {
  const start = performance.now();
  const count = await work();
  return { ms: performance.now() - start, count };
}

async function bench(name: string, database: OpenDatabase): Promise<boolean> {
  await seed(database);
  await failAll(database);
  const setBased = await time(async () => {
    const { live, archived } = await retryFailed(database.db, {}, { writeAlgorithm: 'merged' });
    return live + archived;
  });
  await failAll(database);
  const ordered = await time(async () => {
    const { live, archived } = await retryFailed(database.db, {}, { writeAlgorithm: 'ordered' });
    return live + archived;
  });
  await database.exec(`delete from salesforce._trigger_log where id > ${LOGS}`);
  await failAll(database);
  const loop = await time(() => retryOneByOne(database));
  if (setBased.count !== LOGS || ordered.count !== LOGS || loop.count !== LOGS) {
    throw new Error(`requeued ${setBased.count} / ${ordered.count} / ${loop.count} logs, expected ${LOGS} each`);
  }
  const ratio = loop.ms / setBased.ms;
  process.stdout.write(
    `${name}: ${LOGS} failed logs\n` +
      `  set-based retryFailed (merged):   ${setBased.ms.toFixed(0).padStart(7)} ms\n` +
      `  set-based retryFailed (ordered):  ${ordered.ms.toFixed(0).padStart(7)} ms (re-captures every row)\n` +
      `  one transaction per log (merged): ${loop.ms.toFixed(0).padStart(7)} ms\n` +
      `  ratio: ${ratio.toFixed(1)}x (target ≥ ${TARGET_RATIO}x) ${ratio >= TARGET_RATIO ? 'ok' : 'MISSED'}\n`,
  );
  return ratio >= TARGET_RATIO;
}

process.exitCode = (await onBenchDatabases(bench)) ? 0 : 1;
