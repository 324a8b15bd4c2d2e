/** hc-drizzle/salesforce must load on edge runtimes: no Node built-ins, no undici, no driver in its import graph. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

describe('hc-drizzle/salesforce on edge runtimes', () => {
  it('bundles for a neutral platform with nothing from Node', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../../src/salesforce/index.ts', import.meta.url))],
      absWorkingDir: fileURLToPath(new URL('../..', import.meta.url)),
      bundle: true,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['drizzle-orm', 'drizzle-orm/*', 'valibot'],
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.includes('src/salesforce/push.ts') && inputs.includes('src/http/transport.ts'));
    assert.deepEqual(inputs.filter((input) => /^node:|undici|node-client|\/node\/|pg\b|pglite/.test(input)), []);
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((entry) => entry.path));
    assert.deepEqual(imports.filter((path) => path.startsWith('node:') || path === 'pg' || path === 'undici'), []);
  });
});
