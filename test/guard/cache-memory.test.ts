import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { guardReadOnly, type AnyPgDatabase } from '../../src/index.ts';
import { user } from './targets.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heldBytes(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

type Db = AnyPgDatabase;

/** Through a guarded `db`: 120 distinct 256 KB statements (30 MB of text) leave under 16 MB held, and writes are still refused. */
async function boundedAfterLargeStatements(db: Db) {
  // Checked by the session as the statement is prepared; the database then runs a comment-padded select.
  // (Counted by number alone, the caches held 1,000 such texts: 250 MB.)
  const padding = '-'.repeat(256 * 1024);
  const statement = (n: number) => sql.raw(`select ${n} as n -- ${padding}\n, 1 as one`);
  await db.execute(statement(-1));
  const before = heldBytes();
  for (let n = 0; n < 120; n++) await db.execute(statement(n));
  const held = heldBytes() - before;
  assert.ok(held < 16 * 1024 * 1024, `${(held / 1024 / 1024).toFixed(1)} MB held`);
  assert.throws(() => db.execute(sql`delete from ${user} /* ${sql.raw(padding)} */`), /read-only/);
}

test('the guard keeps a bounded amount of statement text on PGlite: 120 distinct 256 KB statements leave under 16 MB held', async () => {
  const client = new PGlite();
  try {
    await boundedAfterLargeStatements(guardReadOnly(drizzlePglite({ client }) as unknown as Db));
  } finally {
    await client.close();
  }
});

test('the same on PostgreSQL (DATABASE_URL)', { skip: !process.env['DATABASE_URL'] }, async () => {
  const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 1 });
  try {
    await boundedAfterLargeStatements(guardReadOnly(drizzleNodePg({ client: pool }) as unknown as Db));
  } finally {
    await pool.end();
  }
});
