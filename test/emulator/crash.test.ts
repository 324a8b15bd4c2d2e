/**
 * A SIGKILL in the middle of a sync cycle loses no log and creates no
 * duplicate record: on restart every NEW log ends SUCCESS exactly once.
 * PostgreSQL only: two processes share the database (PGlite can't be opened
 * by two processes).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { isNotNull } from 'drizzle-orm';
import { startEmulator } from 'hc-drizzle/emulator';
import { listLogs } from 'hc-drizzle/trigger-log';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { urlOf } from '../support/databases.ts';
import { crashAccount, crashSchema } from './crash-schema.ts';

const url = process.env['DATABASE_URL'] || undefined;
const ROWS = 40;

describe('a crash in the middle of a cycle', { skip: url === undefined ? 'needs DATABASE_URL (PostgreSQL)' : false }, () => {
  for (const writeAlgorithm of ['merged', 'ordered'] as const) {
    it(`loses no log and duplicates no record (${writeAlgorithm} writes)`, async () => {
      const database = await createTestDatabase({ url });
      try {
        const target = await urlOf(database, url!);
        // The schema and the org exist before the crash, as they would on a running system.
        await (await startEmulator({ db: database.db, schema: crashSchema })).close();
        await database.db.insert(crashAccount).values(Array.from({ length: ROWS }, (_, n) => ({ name: `Crash ${n}` })));

        const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./crash-child.ts', import.meta.url)), target, writeAlgorithm], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const exited = once(child, 'exit');
        const [line] = (await once(child.stdout!, 'data')) as [Buffer];
        assert.match(line.toString(), /syncing/);
        // Kill it once a first batch has committed, while the next one is in flight.
        for (let tries = 0; tries < 1000; tries++) {
          const [{ archived }] = (await database.query<{ archived: number }>('select count(*)::int as archived from salesforce._trigger_log_archive')) as [{ archived: number }];
          if (archived > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        child.kill('SIGKILL');
        const [code, signal] = (await exited) as [number | null, string | null];
        assert.deepEqual([code, signal], [null, 'SIGKILL']);
        const before = await listLogs(database.db);
        const done = before.filter((log) => log.state === 'SUCCESS').length;
        assert.ok(done > 0 && done < ROWS, `the kill came mid-cycle (${done} of ${ROWS} written)`);
        assert.equal(before.filter((log) => log.state === 'NEW').length, ROWS - done);

        const emulator = await startEmulator({ db: database.db, schema: crashSchema, writeAlgorithm });
        try {
          assert.equal((await emulator.org.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Crash %'")).totalSize, done);
          await emulator.sync();
          const after = await listLogs(database.db);
          assert.equal(after.length, ROWS);
          assert.ok(after.every((log) => log.state === 'SUCCESS' && log.archived));
          assert.equal(new Set(after.map((log) => log.id)).size, ROWS);
          assert.equal((await emulator.org.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Crash %'")).totalSize, ROWS);
          const synced = await database.db.select({ sfid: crashAccount.sfid }).from(crashAccount).where(isNotNull(crashAccount.sfid));
          assert.equal(new Set(synced.map((row) => row.sfid)).size, ROWS);
        } finally {
          await emulator.close();
        }
      } finally {
        await database.close();
      }
    });
  }
});
