/**
 * What the feed's types promise, checked by `tsc --noEmit` (every
 * `@ts-expect-error` must meet an error): a handler's `row` is the table's
 * select type, `old` exists on updates only, `isChangeOf` narrows a change
 * of several tables, and a module namespace types like an array.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isChangeOf, subscribeChanges, type Change, type ResyncEvent, type SubscribeChangesOptions } from 'hc-drizzle/feed';
import { expectType, type Equal } from '../support/type-assertions.ts';
import { account, contact } from './fixtures.ts';


// Never called: only compiled.
export function handlers() {
  const options: SubscribeChangesOptions<readonly [typeof account, typeof contact]> = {
    url: 'postgres://localhost/app',
    tables: [account, contact],
    group: 'app',
    handler: (change) => {
      expectType<Equal<typeof change, Change<typeof account> | Change<typeof contact>>>();
      // @ts-expect-error -- a contact has no creditLimit: narrow first
      void change.row.creditLimit;
      if (isChangeOf(change, account)) {
        expectType<Equal<typeof change.row, typeof account.$inferSelect>>();
        expectType<Equal<typeof change.row.closedAt, Date | null>>();
        // @ts-expect-error -- `old` is only there on updates
        void change.old.creditLimit;
        if (change.op === 'update') expectType<Equal<typeof change.old.creditLimit, number | null>>();
      }
    },
    onResync: (event) => {
      expectType<Equal<typeof event, ResyncEvent<typeof account | typeof contact>>>();
      expectType<Equal<typeof event.since, Date | null>>();
    },
  };
  return options;
}

export async function namespaces() {
  const schema = { account, contact, notATable: 42 };
  await subscribeChanges({
    pool: {},
    tables: schema,
    group: 'app',
    handler: (change) => expectType<Equal<typeof change, Change<typeof account> | Change<typeof contact>>>(),
  });
  // @ts-expect-error -- a handler is required
  await subscribeChanges({ pool: {}, tables: [account], group: 'app' });
}

test('the type checks above compile (tsc --noEmit runs them)', () => {
  assert.equal(typeof handlers, 'function');
});
