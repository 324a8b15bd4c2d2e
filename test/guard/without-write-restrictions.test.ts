import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite';
import { WriteNotSupportedError, guardReadOnly } from '../../src/index.ts';
import { withoutWriteRestrictions } from '../../src/testing/index.ts';
import { rowsOf, schema, user } from './targets.ts';

const client = new PGlite();
await client.exec(`create schema salesforce;
  create table salesforce."user" (id serial primary key, sfid varchar(18) unique, systemmodstamp timestamp,
    _hc_lastop varchar(32), _hc_err text, name varchar(255));`);
after(() => client.close());
const raw = drizzle({ client, schema });
const db = guardReadOnly(raw);
// The guarded db is a PgliteDatabase: seeding code writes through that type.
const seed: PgliteDatabase<typeof schema> = db;

test('seeds a read-only table inside withoutWriteRestrictions, and refuses again after', async () => {
  const inserted = await withoutWriteRestrictions(() =>
    seed.insert(user).values([{ name: 'Ada' }, { name: 'Grace' }]).returning({ name: user.name }),
  );
  assert.deepEqual(inserted, [{ name: 'Ada' }, { name: 'Grace' }]);
  await withoutWriteRestrictions(async () => {
    await seed.update(user).set({ name: 'Ada Lovelace' }).where(eq(user.name, 'Ada'));
    await db.execute(sql`delete from ${user} where name = 'Grace'`);
    await db.transaction(async (tx) => {
      await (tx as typeof seed).insert(user).values({ name: 'Katherine' });
    });
  });
  assert.deepEqual((await db.select({ name: user.name }).from(user).orderBy(user.id)).map((row) => row.name), ['Ada Lovelace', 'Katherine']);
  const before = await rowsOf(raw, 'salesforce."user"');
  assert.throws(() => seed.insert(user), WriteNotSupportedError);
  assert.deepEqual(await rowsOf(raw, 'salesforce."user"'), before);
});

test('does not lift the restrictions for concurrent work outside fn', async () => {
  const before = await rowsOf(raw, 'salesforce."user"');
  let outside: unknown;
  await Promise.all([
    withoutWriteRestrictions(async () => {
      await delay(20);
      await seed.insert(user).values({ name: 'Inside' });
    }),
    (async () => {
      await delay(5);
      try {
        await seed.insert(user).values({ name: 'Outside' });
      } catch (error) {
        outside = error;
      }
    })(),
  ]);
  assert.ok(outside instanceof WriteNotSupportedError);
  const names = (await rowsOf(raw, 'salesforce."user"')).map((row) => (row as { name: string }).name);
  assert.deepEqual(names, [...before.map((row) => (row as { name: string }).name), 'Inside']);
});
