import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { guardReadOnly } from '../../src/index.ts';
import { user } from './targets.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heldBytes(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('the guard keeps a bounded amount of statement text: 120 distinct 256 KB statements (30 MB of text) leave under 16 MB held', async () => {
  const client = new PGlite();
  const db = guardReadOnly(drizzle({ client }));
  // Checked by the session as the statement is prepared; PGlite then runs a comment-padded select.
  // (Counted by number alone, the caches held 1,000 such texts: 250 MB.)
  const padding = '-'.repeat(256 * 1024);
  const statement = (n: number) => sql.raw(`select ${n} as n -- ${padding}\n, 1 as one`);
  await db.execute(statement(-1));
  const before = heldBytes();
  for (let n = 0; n < 120; n++) await db.execute(statement(n));
  const held = heldBytes() - before;
  assert.ok(held < 16 * 1024 * 1024, `${(held / 1024 / 1024).toFixed(1)} MB held`);
  // Still checking: a write to a read-only table among them is refused.
  assert.throws(() => db.execute(sql`delete from ${user} /* ${sql.raw(padding)} */`), /read-only/);
  await client.close();
});
