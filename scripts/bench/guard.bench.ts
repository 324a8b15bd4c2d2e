/**
 * The read-only guard's cost: the same query mix (point select, insert into a
 * read-write table, update, a transaction of five statements) on a guarded
 * and an unguarded db, on PGlite and on PostgreSQL (DATABASE_URL, else the
 * local server), and building the same queries with `.toSQL()` alone.
 * Rounds alternate guarded and unguarded (and which goes first) so drift and
 * noise fall on both; medians of the rounds are compared.
 * Targets: guarded/unguarded at most 1.02 executed, 1.05 building.
 */
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { READ_WRITE, guardReadOnly, hcTable, sfExternalId, sfText } from '../../src/index.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';

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

type Db = PgDatabase<PgQueryResultHKT>;

const ROUNDS = 21;

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

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Per-operation medians (µs) of `run` over interleaved rounds, unguarded and guarded. */
async function compare(label: string, unguarded: Db, guarded: Db, perRound: number, run: (db: Db, i: number) => unknown) {
  const times = { unguarded: [] as number[], guarded: [] as number[] };
  // Warm-up: JIT, connections, prepared plans, the guard's parse cache.
  for (let i = 0; i < perRound; i++) (await run(unguarded, i), await run(guarded, i));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['unguarded', 'guarded'] as const) : (['guarded', 'unguarded'] as const);
    for (const variant of order) {
      const db = variant === 'guarded' ? guarded : unguarded;
      const start = performance.now();
      for (let i = 0; i < perRound; i++) await run(db, i);
      times[variant].push(((performance.now() - start) * 1000) / perRound);
    }
  }
  const plain = median(times.unguarded);
  const wrapped = median(times.guarded);
  console.log(
    `${label.padEnd(34)} unguarded ${plain.toFixed(1).padStart(8)} µs  guarded ${wrapped.toFixed(1).padStart(8)} µs  ratio ${(wrapped / plain).toFixed(3)}`,
  );
}

async function benchDatabase(name: string, db: Db, cleanup: () => Promise<void>) {
  const guarded = guardReadOnly(db) as unknown as Db;
  await compare(`${name}: executed mix (8 statements)`, db, guarded, 40, async (target, i) => {
    await mix(target, i);
  });
  await cleanup();
}

const pglite = new PGlite();
for (const statement of DDL) await pglite.exec(statement);
const pgliteDb = drizzlePglite({ client: pglite }) as unknown as Db;
await benchDatabase('PGlite', pgliteDb, async () => void (await pglite.exec('truncate salesforce.account')));
await compare('building: .toSQL() of 4 queries', pgliteDb, guardReadOnly(pgliteDb) as unknown as Db, 2000, build);
await pglite.close();

const url = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const database = await createTestDatabase({ url });
try {
  for (const statement of DDL) await database.exec(statement);
  const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: target.toString(), max: 1 });
  await benchDatabase('PostgreSQL', drizzleNodePg({ client: pool }) as unknown as Db, async () => {
    await pool.query('truncate salesforce.account');
    await pool.end();
  });
} finally {
  await database.close();
}
