/** hc-drizzle/salesforce must load on edge runtimes: no Node built-ins, no undici, no driver in its import graph. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { neutralBundleInputs } from '../support/edge-bundle.ts';

describe('hc-drizzle/salesforce on edge runtimes', () => {
  it('bundles for a neutral platform with nothing from Node', async () => {
    const inputs = await neutralBundleInputs('src/salesforce/index.ts');
    assert.ok(inputs.includes('src/salesforce/push.ts') && inputs.includes('src/http/transport.ts'));
    assert.deepEqual(inputs.filter((input) => /^node:|undici|node-client|\/node\/|node_modules\/pg\/|pglite/.test(input)), []);
  });
});
