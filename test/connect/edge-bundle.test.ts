/** hc-drizzle/connect must load on edge runtimes: no Node built-ins, no undici in its import graph. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { neutralBundleInputs } from '../support/edge-bundle.ts';

describe('hc-drizzle/connect on edge runtimes', () => {
  it('bundles for a neutral platform with nothing from Node', async () => {
    const inputs = await neutralBundleInputs('src/connect/index.ts');
    assert.ok(inputs.includes('src/connect/health.ts') && inputs.includes('src/http/transport.ts'));
    assert.deepEqual(inputs.filter((input) => /^node:|undici|child_process|node-client|remote-schema/.test(input)), []);
  });
});
