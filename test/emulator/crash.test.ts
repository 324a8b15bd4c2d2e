/**
 * A SIGKILL in the middle of a sync cycle loses no log and creates no
 * duplicate record: the emulator runs in a process of its own and is killed
 * while a write transaction is open (its org lock held, records sent but not
 * committed); on restart every NEW log ends SUCCESS or FAILED exactly once,
 * and the org holds each accepted record once. PostgreSQL only: two
 * processes share the database (PGlite can't be opened by two processes).
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
import { crashAccount, crashOrg, crashSchema } from './crash-schema.ts';

const url = process.env['DATABASE_URL'] || undefined;
const ROWS = 40;
/** Every fifth row has an account number the org refuses (longer than 8). */
const refused = (n: number) => n % 5 === 3;

describe('a crash in the middle of a cycle', { skip: url === undefined ? 'needs DATABASE_URL (PostgreSQL)' : false }, () => {
  for (const writeAlgorithm of ['merged', 'ordered'] as const) {
    it(`loses no log and duplicates no record (${writeAlgorithm} writes)`, async () => {
      const database = await createTestDatabase({ url });
      try {
        const target = await urlOf(database, url!);
        // The schema and the org exist before the crash, as they would on a running system.
        await (await startEmulator({ db: database.db, schema: crashSchema, org: crashOrg })).close();
        await database.db.insert(crashAccount).values(Array.from({ length: ROWS }, (_, n) => ({ name: `Crash ${n}`, accountNumber: refused(n) ? `TOO-LONG-${n}` : `C-${n}` })));

        const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./crash-child.ts', import.meta.url)), target, writeAlgorithm], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const exited = once(child, 'exit');
        const [line] = (await once(child.stdout!, 'data')) as [Buffer];
        assert.match(line.toString(), /syncing/);
        // Kill it once a first batch has committed and the next one is open: its transaction holds the
        // org's lock (taken once its logs are locked, released only by its commit).
        let inFlight = false;
        for (let tries = 0; tries < 2000 && !inFlight; tries++) {
          const [{ archived, locked }] = (await database.query<{ archived: number; locked: number }>(
            `select (select count(*)::int from salesforce._trigger_log_archive) as archived,
                    (select count(*)::int from pg_locks where locktype = 'advisory' and granted and pid <> pg_backend_pid()
                       and database = (select oid from pg_database where datname = current_database())) as locked`,
          )) as [{ archived: number; locked: number }];
          inFlight = archived > 0 && locked > 0;
          if (!inFlight) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        assert.ok(inFlight, 'a write transaction was open when the kill came');
        child.kill('SIGKILL');
        const [code, signal] = (await exited) as [number | null, string | null];
        assert.deepEqual([code, signal], [null, 'SIGKILL']);
        const before = await listLogs(database.db);
        const settled = before.filter((log) => log.state !== 'NEW');
        assert.ok(settled.length > 0 && settled.length < ROWS, `the kill came mid-cycle (${settled.length} of ${ROWS} settled)`);
        assert.ok(settled.every((log) => log.archived));
        const succeeded = before.filter((log) => log.state === 'SUCCESS').length;

        const emulator = await startEmulator({ db: database.db, schema: crashSchema, org: crashOrg, writeAlgorithm });
        try {
          // The open batch's records were rolled back with it: the org has only what committed.
          assert.equal((await emulator.org.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Crash %'")).totalSize, succeeded);
          await emulator.sync();
          const after = await listLogs(database.db);
          assert.equal(after.length, ROWS, 'one log per change, none lost, none doubled in the archive');
          assert.equal(new Set(after.map((log) => log.id)).size, ROWS);
          assert.ok(after.every((log) => log.archived));
          const rows = new Map((await database.db.select().from(crashAccount)).map((row) => [row.id, row]));
          for (const log of after) {
            const n = Number(rows.get(log.recordId!)!.name!.split(' ')[1]);
            assert.equal(log.state, refused(n) ? 'FAILED' : 'SUCCESS', `row ${n}`);
            if (refused(n)) assert.match(log.sfMessage ?? '', /^STRING_TOO_LONG:/);
          }
          const accepted = ROWS - Array.from({ length: ROWS }, (_, n) => n).filter(refused).length;
          assert.equal((await emulator.org.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Crash %'")).totalSize, accepted);
          const synced = await database.db.select({ sfid: crashAccount.sfid }).from(crashAccount).where(isNotNull(crashAccount.sfid));
          assert.equal(new Set(synced.map((row) => row.sfid)).size, accepted);
        } finally {
          await emulator.close();
        }
      } finally {
        await database.close();
      }
    });
  }
});
