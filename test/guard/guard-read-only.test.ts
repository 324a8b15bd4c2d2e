import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { count, eq, sql } from 'drizzle-orm';
import { QueryBuilder, alias, pgSchema, serial, varchar } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PGlite } from '@electric-sql/pglite';
import { WriteNotSupportedError, guardReadOnly } from '../../src/index.ts';
import { writeMigrations } from '../support/migrations.ts';
import { account, appUser, lead, note, openGuardTargets, rowsOf, user, type GuardTarget, type TargetDb } from './targets.ts';

const opened = await openGuardTargets();
after(() => opened.close());

type Table = Parameters<typeof rowsOf>[1];
/** Drizzle's session, an internal member of every db. */
type InternalSession = {
  execute(query: unknown): Promise<unknown>;
  transaction<R>(callback: (tx: GuardTarget['db']) => Promise<R>): Promise<R>;
  /** Neon's sessions (0.45): raw text. */
  query?(text: string, params: unknown[]): Promise<unknown>;
  queryObjects?(text: string, params: unknown[]): Promise<unknown>;
  /** neon-http: built queries. */
  batch?(queries: unknown[]): Promise<unknown>;
};

async function rowsOfResult(result: PromiseLike<unknown>) {
  return ((await result) as { rows: unknown[] }).rows;
}

function isRefusal(table: string, objectName: string, operation?: string) {
  return (error: unknown) => {
    assert.ok(error instanceof WriteNotSupportedError, `expected WriteNotSupportedError, got ${String(error)}`);
    assert.equal(error.table, table);
    assert.equal(error.objectName, objectName);
    if (operation !== undefined) assert.equal(error.operation, operation);
    assert.match(error.message, /read-only Heroku Connect mapping/);
    return true;
  };
}

/** `attempt` throws at once, naming salesforce.user (or `expected`), and the table keeps its rows. */
async function refusedSynchronously(
  target: GuardTarget,
  attempt: () => unknown,
  expected: { table: Table; name: string; objectName: string; operation?: string } = {
    table: 'salesforce."user"',
    name: 'salesforce.user',
    objectName: 'User',
  },
) {
  const before = await rowsOf(target.db, expected.table);
  assert.throws(attempt, isRefusal(expected.name, expected.objectName, expected.operation));
  assert.deepEqual(await rowsOf(target.db, expected.table), before);
}

for (const target of opened.targets) {
  describe(`guardReadOnly on ${target.name}`, () => {
    const db = guardReadOnly(target.db);

    test('refuses insert, update and delete of a read-only table when the builder is made', async () => {
      await refusedSynchronously(target, () => db.insert(user as never), { table: 'salesforce."user"', name: 'salesforce.user', objectName: 'User', operation: 'insert' });
      await refusedSynchronously(target, () => db.update(user as never), { table: 'salesforce."user"', name: 'salesforce.user', objectName: 'User', operation: 'update' });
      await refusedSynchronously(target, () => db.delete(user as never), { table: 'salesforce."user"', name: 'salesforce.user', objectName: 'User', operation: 'delete' });
      await refusedSynchronously(target, () => db.delete(lead as never), { table: 'sfdc.lead', name: 'sfdc.lead', objectName: 'Lead', operation: 'delete' });
    });

    test('refuses insert into a read-only table from a select', async () => {
      await refusedSynchronously(target, () =>
        (db.insert(user as never) as unknown as { select: (q: unknown) => unknown }).select(db.select().from(user)),
      );
    });

    test('refuses writes through with() and $with() CTEs', async () => {
      const users = db.$with('users').as(db.select().from(user));
      await refusedSynchronously(target, () => db.with(users).insert(user as never));
      await refusedSynchronously(target, () => db.with(users).update(user as never));
      await refusedSynchronously(target, () => db.with(users).delete(user as never));
      await refusedSynchronously(target, () => db.$with('gone', { id: user.id }).as(sql`delete from ${user} returning id`));
      await refusedSynchronously(target, () => db.$with('renamed', { id: user.id }).as(sql`update salesforce."user" set name = 'x' returning id`));
      // A data-modifying CTE made without the guarded db is refused when used with it.
      const unguardedCte = new QueryBuilder().$with('gone', { id: sql<number>`id` }).as(sql`delete from salesforce."user" returning id`);
      await refusedSynchronously(target, () => db.with(unguardedCte).select().from(unguardedCte));
    });

    test('refuses raw SQL that writes to a read-only table, whatever its spelling', async () => {
      const attempts = [
        sql`delete from ${user}`,
        sql`update "salesforce"."user" set name = ${'x'}`,
        sql`insert into salesforce."user" as u (name) values ('x')`,
        sql.raw('DELETE FROM salesforce.user'),
        sql.raw('delete from only salesforce."user" where id = 1'),
        sql.raw('truncate table salesforce.account, salesforce."user"'),
        sql.raw('truncate only Salesforce."user" *'),
        sql.raw(`merge into salesforce."user" u using (select 1 as id) s on u.id = s.id when matched then delete`),
        sql.raw('copy salesforce."user" (name) from stdin'),
        sql.raw('with gone as (delete from salesforce."user" returning id) select count(*) from gone'),
        sql.raw(`/* 'quoted' */ -- note\rupdate salesforce . "user" set name = 'it''s -- not a comment'`),
        sql.raw(`do $$ begin if true then update salesforce."user" set name = 'x'; end if; end $$`),
        sql.raw(`create rule r as on insert to note do also update salesforce."user" set name = 'x'`),
        sql.raw('delete from U&"\\0073alesforce"."user"'),
        sql.raw(`do $$ begin delete from salesforce."user"; end $$`),
      ];
      for (const attempt of attempts) {
        await refusedSynchronously(target, () => db.execute(attempt));
      }
      await refusedSynchronously(target, () => db.execute('delete from salesforce."user"'));
      await refusedSynchronously(target, () => db.execute('delete from sfdc.lead'), { table: 'sfdc.lead', name: 'sfdc.lead', objectName: 'Lead', operation: 'delete' });
    });

    test('refuses writes through an alias, a same-named plain table and Drizzle internals', async () => {
      const aliased = alias(user, 'u');
      await refusedSynchronously(target, () => db.delete(aliased as never));
      await refusedSynchronously(target, () => db.update(aliased as never));
      // A table declared by hand (no hcTable metadata) is refused by its name, when the statement is prepared.
      const handMade = pgSchema('salesforce').table('user', { id: serial('id').primaryKey(), name: varchar('name') });
      const before = await rowsOf(target.db, 'salesforce."user"');
      await assert.rejects(async () => db.update(handMade).set({ name: 'x' }), isRefusal('salesforce.user', 'User', 'update'));
      await assert.rejects(async () => db.insert(handMade).values({ name: 'x' }), isRefusal('salesforce.user', 'User', 'insert'));
      const internals = db as unknown as { session: InternalSession; _: { session: InternalSession } };
      await assert.rejects(async () => internals.session.execute(sql`delete from ${user}`), isRefusal('salesforce.user', 'User', 'delete'));
      await assert.rejects(async () => internals._.session.execute(sql`delete from ${user}`), isRefusal('salesforce.user', 'User', 'delete'));
      assert.deepEqual(await rowsOf(target.db, 'salesforce."user"'), before);
    });

    test('refuses writes through every door of the session: its transactions, raw text, batches', async () => {
      const internals = db as unknown as { session: InternalSession; _: { session: InternalSession } };
      const before = await rowsOf(target.db, 'salesforce."user"');
      if (target.transactions) {
        for (const session of [internals.session, internals._.session]) {
          await session.transaction(async (tx) => {
            assert.throws(() => tx.delete(user as never), isRefusal('salesforce.user', 'User', 'delete'));
            assert.throws(() => tx.execute(sql`update ${user} set name = 'x'`), isRefusal('salesforce.user', 'User', 'update'));
            await assert.rejects(async () => tx.select().from(user).where(sql`false; delete from salesforce."user"`), isRefusal('salesforce.user', 'User', 'delete'));
            await tx.transaction(async (nested) => {
              assert.throws(() => nested.insert(user as never), isRefusal('salesforce.user', 'User', 'insert'));
            });
            // A transaction's own session starts no unguarded one either (PGlite's cannot start one at all).
            if (target.name !== 'pglite') {
              await (tx as unknown as { session: InternalSession }).session.transaction(async (inner) => {
                assert.throws(() => inner.update(user as never), isRefusal('salesforce.user', 'User', 'update'));
              });
            }
          });
        }
      }
      for (const method of ['query', 'queryObjects'] as const) {
        const run = internals.session[method];
        if (run === undefined) continue;
        assert.throws(() => run.call(internals.session, 'delete from salesforce."user"', []), isRefusal('salesforce.user', 'User', 'delete'));
      }
      if (internals.session.batch !== undefined) {
        assert.throws(() => internals.session.batch!([target.db.delete(user)]), isRefusal('salesforce.user', 'User', 'delete'));
      }
      assert.deepEqual(await rowsOf(target.db, 'salesforce."user"'), before);
    });

    test("refuses a migration that writes to a read-only table, run by drizzle's own migrate()", async () => {
      const before = await rowsOf(target.db, 'salesforce."user"');
      const refused = await writeMigrations([`update salesforce."user" set name = 'migrated'`]);
      await assert.rejects(async () => target.migrate(db, { migrationsFolder: refused }), isRefusal('salesforce.user', 'User', 'update'));
      assert.deepEqual(await rowsOf(target.db, 'salesforce."user"'), before);
      const allowed = await writeMigrations([`insert into note (body) values ('migrated')`]);
      await target.migrate(db, { migrationsFolder: allowed });
      assert.deepEqual((await target.db.select({ body: note.body }).from(note)).map((row) => row.body), ['migrated']);
      await target.db.delete(note);
      await target.db.execute(sql`drop schema drizzle cascade`);
    });

    test('refuses code that would write later: dynamic SQL in DO blocks, function and procedure bodies', async () => {
      const attempts = [
        sql.raw(`do $$ begin execute 'delete from salesforce."user"'; end $$`),
        sql.raw(`create function wipe_users() returns void language sql as $$ delete from salesforce."user" $$`),
        sql.raw(`create or replace procedure rename_users() language plpgsql as $body$ begin update "user" set name = 'x'; end $body$`),
        sql.raw(`create function wipe_users() returns void language plpgsql as 'begin execute ''truncate salesforce."user"''; end'`),
      ];
      for (const attempt of attempts) await refusedSynchronously(target, () => db.execute(attempt));
      // The same code touching only writable tables runs.
      await db.execute(sql.raw(`create function touch_notes() returns void language sql as $$ delete from note where false $$`));
      await db.execute(sql.raw('select touch_notes()'));
      await db.execute(sql.raw('drop function touch_notes()'));
    });

    test('refuses a select that smuggles a write in a raw fragment, before sending it', async () => {
      const before = await rowsOf(target.db, 'salesforce."user"');
      await assert.rejects(
        async () => db.select().from(account).where(sql`false; delete from salesforce."user"`),
        isRefusal('salesforce.user', 'User', 'delete'),
      );
      assert.deepEqual(await rowsOf(target.db, 'salesforce."user"'), before);
    });

    if (target.transactions) {
      test('refuses writes inside transactions, nested ones too', async () => {
        const before = await rowsOf(target.db, 'salesforce."user"');
        await db.transaction(async (tx) => {
          assert.throws(() => tx.insert(user as never), isRefusal('salesforce.user', 'User', 'insert'));
          assert.throws(() => tx.execute(sql`delete from ${user}`), isRefusal('salesforce.user', 'User', 'delete'));
          await tx.transaction(async (nested) => {
            assert.throws(() => nested.delete(user as never), isRefusal('salesforce.user', 'User', 'delete'));
            await nested.transaction(async (deeper) => {
              assert.throws(() => deeper.update(user as never), isRefusal('salesforce.user', 'User', 'update'));
              assert.throws(() => deeper.with().delete(user as never), isRefusal('salesforce.user', 'User', 'delete'));
            });
          });
        });
        assert.deepEqual(await rowsOf(target.db, 'salesforce."user"'), before);
      });
    }

    test('reads give what the unguarded database gives', async () => {
      assert.deepEqual(await db.select().from(user).orderBy(user.id), await target.db.select().from(user).orderBy(user.id));
      assert.deepEqual(
        await db.select({ name: user.name }).from(user).where(eq(user.sfid, '005000000000002')),
        [{ name: 'Grace' }],
      );
      assert.deepEqual(await db.query.user.findMany({ orderBy: (t, { asc }) => [asc(t.id)] }), await target.db.query.user.findMany({ orderBy: (t, { asc }) => [asc(t.id)] }));
      assert.equal(await db.$count(user), 2);
      const users = db.$with('users').as(db.select().from(user));
      assert.deepEqual(await db.with(users).select({ n: count() }).from(users), [{ n: 2 }]);
      assert.deepEqual(
        await rowsOfResult(db.execute(sql`select name from ${user} order by id`)),
        await rowsOfResult(target.db.execute(sql`select name from ${user} order by id`)),
      );
      assert.deepEqual(await rowsOfResult(db.execute('select name from salesforce."user" order by id for update')), [{ name: 'Ada' }, { name: 'Grace' }]);
      assert.deepEqual(await db.select().from(user).where(eq(user.id, sql.placeholder('id'))).prepare('user_by_id').execute({ id: 1 }), [
        (await target.db.select().from(user).where(eq(user.id, 1)))[0],
      ]);
    });

    test('writes to read-write hcTables and app tables work as unguarded', async () => {
      const [created] = await db.insert(account).values({ name: 'Acme' }).returning();
      assert.ok(created !== undefined);
      assert.equal(created.name, 'Acme');
      assert.match(created.externalId ?? '', /^[0-9a-f]{32}$/);
      const [updated] = await db.update(account).set({ name: 'Acme Corp' }).where(eq(account.id, created.id)).returning({ name: account.name });
      assert.deepEqual(updated, { name: 'Acme Corp' });
      // Reading a read-only table to write a writable one is fine.
      await db.insert(note).select(db.select({ id: sql<number>`${user.id} + 1000`.as('id'), body: user.name }).from(user).where(eq(user.id, 1)) as never);
      await db.update(account).set({ name: sql`${user.name}` }).from(user).where(eq(user.id, 1));
      await db.execute(sql`insert into salesforce.account (name) values ('Raw') on conflict (external_id__c) do update set name = excluded.name`);
      await db.$with('made').as(db.insert(note).values({ body: 'cte' }).returning());
      const rows = await db.delete(account).where(eq(account.name, 'Raw')).returning({ name: account.name });
      assert.deepEqual(rows, [{ name: 'Raw' }]);
      assert.deepEqual(
        (await target.db.select({ body: note.body }).from(note).orderBy(note.id)).map((row) => row.body),
        (await db.select({ body: note.body }).from(note).orderBy(note.id)).map((row) => row.body),
      );
      assert.deepEqual((await db.select({ name: account.name }).from(account)).map((row) => row.name), ['Ada']);
      await db.delete(account);
      await db.delete(note);
    });

    if (target.transactions) {
      test('transactions commit writable writes and roll back as unguarded', async () => {
        await db.transaction(async (tx) => {
          await tx.insert(account).values({ name: 'Committed' });
          await tx.transaction(async (nested) => {
            await nested.insert(note).values({ body: 'nested' });
          });
        });
        await assert.rejects(
          db.transaction(async (tx) => {
            await tx.insert(account).values({ name: 'Rolled back' });
            tx.rollback();
          }),
          /Rollback/,
        );
        assert.deepEqual((await target.db.select({ name: account.name }).from(account)).map((row) => row.name), ['Committed']);
        assert.deepEqual((await target.db.select({ body: note.body }).from(note)).map((row) => row.body), ['nested']);
        await db.delete(account);
        await db.delete(note);
      });
    }

    test("writes an app table in public that shares a read-only table's name: unqualified names resolve by the search_path", async () => {
      const readOnlyRows = await rowsOf(target.db, 'salesforce."user"');
      // Drizzle renders a public table unqualified: "user" is public."user" on the default search_path.
      await db.insert(appUser).values({ name: 'app' });
      await db.update(appUser).set({ name: 'app 2' });
      await db.execute(sql`update "user" set name = 'app 3' where name = 'app 2'`);
      await db.execute('insert into "user" (name) values (\'raw\')');
      assert.deepEqual((await target.db.select({ name: appUser.name }).from(appUser).orderBy(appUser.id)).map((row) => row.name), ['app 3', 'raw']);
      await db.delete(appUser);
      assert.deepEqual(await rowsOf(target.db, 'public."user"'), []);
      assert.deepEqual(await rowsOf(target.db, 'salesforce."user"'), readOnlyRows);
      // Qualified, the read-only table is refused as always.
      await refusedSynchronously(target, () => db.execute('delete from salesforce."user"'));
      // A function body runs later with its caller's search_path (or one ALTER FUNCTION sets): unqualified, any schema may be meant.
      await refusedSynchronously(target, () => db.execute('create function touch_users() returns void language sql as $$ delete from "user" $$'));
      await refusedSynchronously(target, () => db.execute('create function touch_users() returns void language sql set search_path = public as $$ delete from "user" $$'));
      await db.execute('create function touch_users() returns void language sql as $$ delete from public."user" where false $$');
      await db.execute('drop function touch_users()');
    });

    // Last: what a statement sets on the search_path stays in the guard's reading of every connection of the pool.
    test('refuses unqualified writes once a statement puts the Heroku Connect schema on the search_path', async () => {
      const internals = db as unknown as { session: InternalSession };
      await refusedSynchronously(target, () => db.execute(`set search_path to salesforce, public; delete from "user"`));
      // set_config with is_local = true: the server's path is back to default after the statement, the guard's reading is not.
      await db.execute(`select set_config('search_path', 'salesforce, public', true)`);
      await refusedSynchronously(target, () => db.execute(sql`delete from "user"`));
      await assert.rejects(async () => db.update(appUser).set({ name: 'x' }), isRefusal('salesforce.user', 'User', 'update'));
      await assert.rejects(async () => internals.session.execute(sql`delete from "user"`), isRefusal('salesforce.user', 'User', 'delete'));
      if (target.transactions) {
        await db.transaction(async (tx) => {
          assert.throws(() => tx.execute(sql`truncate "user"`), isRefusal('salesforce.user', 'User', 'truncate'));
        });
      }
    });
  });
}

const neonHttp = opened.neonHttp;
if (neonHttp !== undefined) {
  describe('guardReadOnly on neon-http, batch and $withAuth', () => {
    const db = guardReadOnly(neonHttp);
    const target = opened.targets.find((candidate) => candidate.name === 'neon-http')!;

    test('refuses a batch holding a write to a read-only table, built guarded or not', async () => {
      await refusedSynchronously(target, () => db.batch([db.insert(account).values({ name: 'x' }), db.delete(user as never)]));
      await refusedSynchronously(target, () => db.batch([db.select().from(user), neonHttp.delete(user)]));
      await refusedSynchronously(target, () => db.batch([neonHttp.execute(sql`truncate ${user}`)]));
      assert.deepEqual(await rowsOf(target.db, 'salesforce.account'), []);
    });

    test('runs a batch of reads and writable writes as unguarded', async () => {
      const [inserted, users] = await db.batch([
        db.insert(account).values({ name: 'Batched' }).returning({ name: account.name }),
        db.select({ name: user.name }).from(user).orderBy(user.id),
      ]);
      assert.deepEqual(inserted, [{ name: 'Batched' }]);
      assert.deepEqual(users, [{ name: 'Ada' }, { name: 'Grace' }]);
      await db.delete(account);
    });

    test('keeps refusing after $withAuth', async () => {
      const authed = db.$withAuth('token');
      await refusedSynchronously(target, () => authed.delete(user as never));
      await refusedSynchronously(target, () => authed.execute(sql`delete from ${user}`));
      await refusedSynchronously(target, () => authed.with().update(user as never));
      assert.deepEqual(await authed.select({ name: user.name }).from(user).orderBy(user.id), [{ name: 'Ada' }, { name: 'Grace' }]);
    });
  });
}

describe('guardReadOnly on several dbs of one class', () => {
  const target = opened.targets.find((candidate) => candidate.name === 'pglite')!;
  type Methods = Record<string, (...args: unknown[]) => unknown>;
  /** Another db of the target's class, on its client, as an app makes a second one. */
  const anotherDb = () => drizzlePglite({ client: (target.db as unknown as { $client: PGlite }).$client }) as unknown as TargetDb;

  test("keeps a method an app set on one db (a tracer), after a db of its class without one was guarded", async () => {
    guardReadOnly(anotherDb());
    const traced = anotherDb();
    const traces: unknown[] = [];
    const execute = traced.execute;
    (traced as unknown as Methods)['execute'] = function (this: unknown, ...args: unknown[]) {
      traces.push(args[0]);
      return Reflect.apply(execute, this, args);
    };
    const db = guardReadOnly(traced);
    assert.deepEqual(await rowsOfResult(db.execute(sql`select count(*)::int as n from ${user}`)), [{ n: 2 }]);
    assert.equal(traces.length, 1);
    await refusedSynchronously(target, () => db.execute(sql`delete from ${user}`));
    assert.equal(traces.length, 1, 'the guard refuses before the tracer runs');
  });

  test('guards a write-capable method one db has of its own, after a db of its class without it was guarded', async () => {
    guardReadOnly(anotherDb());
    const unguarded = anotherDb();
    // An app's own batch helper: runs the queries it is given, in turn.
    (unguarded as unknown as Methods)['batch'] = async (queries: unknown) => {
      const results = [];
      for (const query of queries as PromiseLike<unknown>[]) results.push(await query);
      return results;
    };
    const db = guardReadOnly(unguarded) as unknown as { batch(queries: unknown[]): Promise<unknown> };
    await refusedSynchronously(target, () => db.batch([target.db.delete(user)]));
  });
});
