/** hc-drizzle/admin must load on edge runtimes: nothing from Node, no driver, in its import graph. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

describe('hc-drizzle/admin on edge runtimes', () => {
  it('bundles for a neutral platform with nothing from Node and no database driver', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../../src/admin/index.ts', import.meta.url))],
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
    assert.ok(inputs.includes('src/admin/create-trigger-log-admin.ts'));
    assert.deepEqual(inputs.filter((input) => /^node:|undici|node_modules\/(pg|@electric-sql|@neondatabase|@remix-run)\/|src\/node\/|src\/cli\//.test(input)), []);
  });
});
