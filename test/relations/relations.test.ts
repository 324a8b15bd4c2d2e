/**
 * A lookup's relation to its parent (joined on sfid or an External ID, no
 * constraint), through each drizzle-orm version's relation API, with typed
 * `db.query` on the example app: `relations()` + `sfOne` on 0.45
 * (./relations.drizzle-045.ts), `defineRelations()` + `sfParent` on 1.0
 * (./relations.drizzle-1.ts). Each half needs its version's exports, so the
 * other half is skipped, saying why.
 */
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { drizzleApi, onlyOnDrizzle } from '../support/drizzle-version.ts';

// Not a literal: tsc must not follow it into the other version's file (scripts/typecheck.ts checks each on its version).
const load = async (file: string) => {
  const half = (await import(file)) as { defineTests?: unknown };
  assert.equal(typeof half.defineTests, 'function', `${file} defines its tests`);
  (half.defineTests as () => void)();
};

describe('relations() with sfOne, db.query on drizzle-orm 0.45', onlyOnDrizzle('0.45', 'relations() from drizzle-orm and drizzle({ schema }) are gone in 1.0'), async () => {
  if (drizzleApi === '0.45') await load('./relations.drizzle-045.ts');
});

describe('defineRelations() with sfParent, db.query on drizzle-orm 1.0', onlyOnDrizzle('1', 'defineRelations() does not exist in 0.45'), async () => {
  if (drizzleApi === '1') await load('./relations.drizzle-1.ts');
});
