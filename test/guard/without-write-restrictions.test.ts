import assert from 'node:assert/strict';
import { AsyncResource } from 'node:async_hooks';
import { EventEmitter, EventEmitterAsyncResource } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { WriteNotSupportedError, guardReadOnly } from '../../src/index.ts';
import { withoutWriteRestrictions } from '../../src/testing/index.ts';
import { openGuardTargets, rowsOf, user, type TargetDb } from './targets.ts';

const opened = await openGuardTargets();
after(() => opened.close());

/** A promise and the function that resolves it. */
function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** What `attempt` gave: the refusal, or the result of the write. */
async function outcomeOf(attempt: () => unknown): Promise<unknown> {
  try {
    return await attempt();
  } catch (error) {
    return error;
  }
}

const names = async (db: TargetDb) => (await rowsOf(db, 'salesforce."user"')).map((row) => (row as { name: string }).name);

for (const target of opened.targets) {
  describe(`withoutWriteRestrictions on ${target.name}`, () => {
    // The guarded db, seen through the driver's type (the types refuse on the guarded one).
    const seed: TargetDb = guardReadOnly(target.db);
    const insertNamed = (name: string) => seed.insert(user).values({ name });

    test('seeds a read-only table inside withoutWriteRestrictions, and refuses again after', async () => {
      const inserted = await withoutWriteRestrictions(() =>
        seed.insert(user).values([{ name: 'Ada 2' }, { name: 'Grace 2' }]).returning({ name: user.name }),
      );
      assert.deepEqual(inserted, [{ name: 'Ada 2' }, { name: 'Grace 2' }]);
      await withoutWriteRestrictions(async () => {
        await seed.update(user).set({ name: 'Ada Lovelace' }).where(eq(user.name, 'Ada 2'));
        await seed.execute(sql`delete from ${user} where name = 'Grace 2'`);
        if (target.transactions) {
          await seed.transaction(async (tx) => {
            await tx.insert(user).values({ name: 'Katherine' });
          });
        }
      });
      const seeded = await names(target.db);
      assert.ok(seeded.includes('Ada Lovelace') && !seeded.includes('Grace 2'));
      assert.equal(seeded.includes('Katherine'), target.transactions);
      assert.throws(() => seed.insert(user), WriteNotSupportedError);
      assert.deepEqual(await names(target.db), seeded);
      await withoutWriteRestrictions(() => seed.delete(user).where(sql`${user.name} in ('Ada Lovelace', 'Katherine')`));
    });

    test('does not lift the restrictions for concurrent work outside fn', async () => {
      const before = await names(target.db);
      const started = gate();
      let outside: unknown;
      await Promise.all([
        withoutWriteRestrictions(async () => {
          started.open();
          await delay(20);
          await insertNamed('Inside');
        }),
        (async () => {
          await started.promise;
          outside = await outcomeOf(() => insertNamed('Outside'));
        })(),
      ]);
      assert.ok(outside instanceof WriteNotSupportedError);
      assert.deepEqual(await names(target.db), [...before, 'Inside']);
      await withoutWriteRestrictions(() => seed.delete(user).where(eq(user.name, 'Inside')));
    });

    test('a statement prepared inside is refused when executed outside, and runs inside a later call', async () => {
      const before = await names(target.db);
      const insert = await withoutWriteRestrictions(() =>
        seed.insert(user).values({ name: sql.placeholder('name') }).prepare(`hc_scope_insert_${target.name.replace('-', '_')}`),
      );
      const remove = await withoutWriteRestrictions(() => seed.delete(user).where(eq(user.name, sql.placeholder('name'))).prepare(`hc_scope_delete_${target.name.replace('-', '_')}`));
      assert.throws(() => insert.execute({ name: 'Prepared' }), WriteNotSupportedError);
      assert.throws(() => remove.execute({ name: before[0] }), WriteNotSupportedError);
      assert.deepEqual(await names(target.db), before);
      await withoutWriteRestrictions(() => insert.execute({ name: 'Prepared' }));
      assert.deepEqual(await names(target.db), [...before, 'Prepared']);
      await withoutWriteRestrictions(() => remove.execute({ name: 'Prepared' }));
      assert.deepEqual(await names(target.db), before);
    });

    test('a query built inside and run outside is refused', async () => {
      const before = await names(target.db);
      const built = await withoutWriteRestrictions(() => ({ query: insertNamed('Built inside') }));
      await assert.rejects(async () => built.query, WriteNotSupportedError);
      assert.deepEqual(await names(target.db), before);
    });

    test('timers, microtasks, promise chains, bound callbacks and emitters created inside are refused once the call settled', async () => {
      const before = await names(target.db);
      const later = gate();
      const results = {
        setTimeout: gate<unknown>(),
        setImmediate: gate<unknown>(),
        nextTick: gate<unknown>(),
        queueMicrotask: gate<unknown>(),
        queueMicrotaskAtTheEnd: gate<unknown>(),
        promiseChain: gate<unknown>(),
        boundCallback: gate<unknown>(),
        emitter: gate<unknown>(),
      };
      let bound: () => void = () => {};
      let emitter: EventEmitterAsyncResource | undefined;
      await withoutWriteRestrictions(async () => {
        void later.promise.then(() => {
          setImmediate(() => void outcomeOf(() => insertNamed('setImmediate')).then(results.setImmediate.open));
          process.nextTick(() => void outcomeOf(() => insertNamed('nextTick')).then(results.nextTick.open));
          queueMicrotask(() => void outcomeOf(() => insertNamed('queueMicrotask')).then(results.queueMicrotask.open));
          return outcomeOf(() => insertNamed('promise chain')).then(results.promiseChain.open);
        });
        bound = AsyncResource.bind(() => void outcomeOf(() => insertNamed('bound')).then(results.boundCallback.open));
        emitter = new EventEmitterAsyncResource({ name: 'made-inside' });
        emitter.on('go', () => void outcomeOf(() => insertNamed('emitter')).then(results.emitter.open));
        await insertNamed('the call itself');
        // Made as the call ends, so it fires after the call settled whatever the database's speed.
        setTimeout(() => void outcomeOf(() => insertNamed('setTimeout')).then(results.setTimeout.open), 5);
        // Queued as the call ends: runs after its promise settled.
        queueMicrotask(() => void outcomeOf(() => insertNamed('end')).then(results.queueMicrotaskAtTheEnd.open));
      });
      later.open();
      bound();
      emitter!.emit('go');
      for (const [name, result] of Object.entries(results)) {
        assert.ok((await result.promise) instanceof WriteNotSupportedError, `${name}: ${String(await result.promise)}`);
      }
      assert.deepEqual(await names(target.db), [...before, 'the call itself']);
      await withoutWriteRestrictions(() => seed.delete(user).where(eq(user.name, 'the call itself')));
    });

    test('an interval created inside writes while the call runs and is refused after', async () => {
      const before = await names(target.db);
      const ticks: unknown[] = [];
      const firstTick = gate();
      const laterTick = gate();
      let interval: NodeJS.Timeout | undefined;
      let callSettled = false;
      let laterTried = false;
      await withoutWriteRestrictions(async () => {
        let first = true;
        interval = setInterval(() => {
          if (first) {
            first = false;
            void outcomeOf(() => insertNamed('tick 1')).then((outcome) => (ticks.push(outcome), firstTick.open()));
          } else if (callSettled && !laterTried) {
            laterTried = true;
            void outcomeOf(() => insertNamed('later tick')).then((outcome) => (ticks.push(outcome), laterTick.open()));
          }
        }, 5);
        await firstTick.promise;
      });
      callSettled = true;
      await laterTick.promise;
      clearInterval(interval);
      assert.ok(!(ticks[0] instanceof Error), String(ticks[0]));
      assert.ok(ticks[1] instanceof WriteNotSupportedError);
      assert.deepEqual(await names(target.db), [...before, 'tick 1']);
      await withoutWriteRestrictions(() => seed.delete(user).where(eq(user.name, 'tick 1')));
    });

    test('a synchronous fn: what it schedules runs after the call and is refused', async () => {
      const before = await names(target.db);
      const result = gate<unknown>();
      await withoutWriteRestrictions(() => {
        queueMicrotask(() => void outcomeOf(() => insertNamed('sync')).then(result.open));
      });
      assert.ok((await result.promise) instanceof WriteNotSupportedError);
      assert.deepEqual(await names(target.db), before);
    });

    test('work created by a nested call keeps the permission while the outer call runs', async () => {
      const before = await names(target.db);
      const fired = gate<unknown>();
      const afterBoth = gate<unknown>();
      await withoutWriteRestrictions(async () => {
        const emitter = new EventEmitter();
        await withoutWriteRestrictions(() => {
          setTimeout(() => void outcomeOf(() => insertNamed('nested')).then(fired.open), 5);
          emitter.on('late', AsyncResource.bind(() => void outcomeOf(() => insertNamed('late')).then(afterBoth.open)));
        });
        assert.ok(!((await fired.promise) instanceof Error));
        setTimeout(() => emitter.emit('late'), 20);
      });
      assert.ok((await afterBoth.promise) instanceof WriteNotSupportedError);
      assert.deepEqual(await names(target.db), [...before, 'nested']);
      await withoutWriteRestrictions(() => seed.delete(user).where(eq(user.name, 'nested')));
    });

    if (target.transactions) {
      test('an SQL PREPARE made inside is refused at EXECUTE outside, runs inside a later call, and is forgotten at DEALLOCATE', async () => {
        const before = await names(target.db);
        const name = `hc_scope_wipe_${target.name.replace('-', '_')}`;
        // One transaction, so every statement runs on the connection holding the prepared statement.
        await seed.transaction(async (tx) => {
          await withoutWriteRestrictions(() => tx.execute(sql.raw(`prepare ${name} (text) as delete from salesforce."user" where name = $1`)));
          assert.throws(() => tx.execute(sql.raw(`execute ${name}('${before[0]}')`)), WriteNotSupportedError);
          assert.throws(() => tx.execute(sql.raw(`explain (analyze) execute ${name}('${before[0]}')`)), WriteNotSupportedError);
          await withoutWriteRestrictions(() => tx.execute(sql.raw(`execute ${name}('nobody')`)));
          await tx.execute(sql.raw(`deallocate ${name}`));
          // Prepared again outside a call: refused at PREPARE, as any write.
          assert.throws(() => tx.execute(sql.raw(`prepare ${name} as delete from salesforce."user"`)), WriteNotSupportedError);
        });
        assert.deepEqual(await names(target.db), before);
      });

      test('a transaction started inside and continued after the call is refused there, and rolls back', async () => {
        const before = await names(target.db);
        const firstWritten = gate();
        const resume = gate();
        let transaction: Promise<unknown> | undefined;
        await withoutWriteRestrictions(async () => {
          transaction = seed.transaction(async (tx) => {
            await tx.insert(user).values({ name: 'in the transaction' });
            firstWritten.open();
            await resume.promise;
            await tx.insert(user).values({ name: 'after the call' });
          });
          // Rejections are awaited below.
          transaction.catch(() => {});
          await firstWritten.promise;
        });
        resume.open();
        await assert.rejects(transaction!, WriteNotSupportedError);
        assert.deepEqual(await names(target.db), before);
      });

      test('a transaction handed out of the call is refused when used outside', async () => {
        const before = await names(target.db);
        const handed = gate<TargetDb>();
        const done = gate();
        let transaction: Promise<unknown> | undefined;
        await withoutWriteRestrictions(() => {
          transaction = seed.transaction(async (tx) => {
            handed.open(tx as unknown as TargetDb);
            await done.promise;
          });
        });
        const tx = await handed.promise;
        assert.throws(() => tx.insert(user), WriteNotSupportedError);
        await assert.rejects(async () => tx.execute(sql`delete from salesforce."user"`), WriteNotSupportedError);
        done.open();
        await transaction;
        assert.deepEqual(await names(target.db), before);
      });
    }
  });
}
