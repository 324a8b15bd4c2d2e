/** hc-drizzle/admin must load on edge runtimes: nothing from Node, no driver, in its import graph. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { neutralBundleInputs } from '../support/edge-bundle.ts';

describe('hc-drizzle/admin on edge runtimes', () => {
  it('bundles for a neutral platform with nothing from Node and no database driver', async () => {
    const inputs = await neutralBundleInputs('src/admin/index.ts');
    assert.ok(inputs.includes('src/admin/create-trigger-log-admin.ts'));
    assert.deepEqual(inputs.filter((input) => /^node:|undici|node_modules\/(pg|@electric-sql|@neondatabase|@remix-run)\/|src\/node\/|src\/cli\//.test(input)), []);
  });
});
