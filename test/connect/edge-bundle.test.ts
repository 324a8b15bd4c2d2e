/** hc-drizzle/connect must load on edge runtimes: no Node built-ins, no undici in its import graph. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

describe('hc-drizzle/connect on edge runtimes', () => {
  it('bundles for a neutral platform with nothing from Node', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../../src/connect/index.ts', import.meta.url))],
      absWorkingDir: fileURLToPath(new URL('../..', import.meta.url)),
      bundle: true,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.includes('src/connect/health.ts'));
    assert.deepEqual(inputs.filter((input) => /^node:|undici|child_process|node-client|remote-schema/.test(input)), []);
  });
});
