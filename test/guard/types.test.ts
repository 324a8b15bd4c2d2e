/**
 * What the guarded db's types promise, checked by `tsc --noEmit` (every
 * `@ts-expect-error` must meet an error), plus the SQL the guarded db builds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { drizzle as drizzleNeonHttp, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { drizzle as drizzleNodePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NeonDatabase } from 'drizzle-orm/neon-serverless';
import { guardReadOnly, type HcDrizzleTypeError, type WritableTarget } from '../../src/index.ts';
import { queryOption, type QueryParam } from '../support/drizzle-version.ts';
import { account, note, schema, user } from './targets.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

const raw = drizzleNodePg.mock(queryOption(schema));
const db = guardReadOnly(raw);

// The refusal's text names the table and the rule.
expectType<
  Equal<
    WritableTarget<typeof user>,
    HcDrizzleTypeError<'"user" is a read-only Heroku Connect table: insert, update and delete are refused (map it read_write to write)'>
  >
>();
expectType<Equal<WritableTarget<typeof account>, unknown>>();
expectType<Equal<WritableTarget<typeof note>, unknown>>();

// Compiled, never run: it would need a database.
export async function typeLevelPromises() {
  // @ts-expect-error read-only hcTable
  db.insert(user);
  // @ts-expect-error read-only hcTable
  db.update(user);
  // @ts-expect-error read-only hcTable
  db.delete(user);
  // @ts-expect-error read-only hcTable, after with()
  db.with().insert(user).values({ name: 'x' });
  // @ts-expect-error read-only hcTable, after with()
  db.with().delete(user).where(eq(user.id, 1));
  await db.transaction(async (tx) => {
    // @ts-expect-error read-only hcTable in a transaction
    tx.insert(user);
    const inTransaction = await tx.query.user.findFirst();
    expectType<Equal<typeof inTransaction, typeof user.$inferSelect | undefined>>();
    expectType<Equal<Awaited<ReturnType<typeof tx.select>>, Awaited<ReturnType<typeof raw.select>>>>();
    await tx.transaction(async (nested) => {
      // @ts-expect-error read-only hcTable in a nested transaction
      nested.update(user);
      nested.insert(account).values({ name: 'ok' });
    });
  });

  // Writable tables and reads keep Drizzle's exact types.
  const inserted = await db.insert(account).values({ name: 'Acme' }).returning();
  expectType<Equal<typeof inserted, (typeof account.$inferSelect)[]>>();
  const notes = await db.update(note).set({ body: 'b' }).returning({ body: note.body });
  expectType<Equal<typeof notes, { body: string }[]>>();
  const users = await db.select().from(user);
  expectType<Equal<typeof users, (typeof user.$inferSelect)[]>>();
  const found = await db.query.user.findFirst();
  expectType<Equal<typeof found, typeof user.$inferSelect | undefined>>();
  const withUsers = await db.with(db.$with('u').as(db.select().from(user))).select().from(user);
  expectType<Equal<typeof withUsers, (typeof user.$inferSelect)[]>>();
  expectType<Equal<Awaited<ReturnType<typeof raw.select>>, Awaited<ReturnType<typeof db.select>>>>();

  // Code written for the driver's db type accepts a guarded db.
  const asNodePg: NodePgDatabase<QueryParam<typeof schema>> = db;
  const asDriverResult: typeof raw = db;
  void asNodePg;
  void asDriverResult;
  const fromPglite = (pglite: PgliteDatabase<QueryParam<typeof schema>>) => guardReadOnly(pglite);
  const backToPglite: (pglite: PgliteDatabase<QueryParam<typeof schema>>) => PgliteDatabase<QueryParam<typeof schema>> = fromPglite;
  const fromNeon = (neon: NeonDatabase<QueryParam<typeof schema>>): NeonDatabase<QueryParam<typeof schema>> => guardReadOnly(neon);
  void backToPglite;
  void fromNeon;

  // neon-http: batch keeps its types; $withAuth keeps refusing.
  const http = guardReadOnly(drizzleNeonHttp.mock(queryOption(schema)));
  const asHttp: NeonHttpDatabase<QueryParam<typeof schema>> = http;
  void asHttp;
  const [accounts, names] = await http.batch([http.select().from(account), http.select({ name: user.name }).from(user)]);
  expectType<Equal<typeof accounts, (typeof account.$inferSelect)[]>>();
  expectType<Equal<typeof names, { name: string | null }[]>>();
  // @ts-expect-error read-only hcTable after $withAuth
  http.$withAuth('token').delete(user);
  http.$withAuth('token').delete(account);
}

test('a guarded db builds the same SQL as the unguarded one', () => {
  const queries = (target: typeof raw) => [
    target.select().from(user).where(eq(user.id, 1)).toSQL(),
    target.insert(account).values({ name: 'Acme', externalId: 'e' }).toSQL(),
    target.update(note).set({ body: 'b' }).where(eq(note.id, 1)).toSQL(),
    target.delete(account).where(eq(account.id, 1)).toSQL(),
  ];
  assert.deepEqual(queries(db), queries(raw));
});
