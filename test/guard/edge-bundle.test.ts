import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { test } from 'node:test';
import { build } from 'esbuild';
import { EDGE_BUNDLE_OPTIONS } from '../support/edge-bundle.ts';

test('the edge example bundles for a worker with no Node built-ins, and our code stays small', async (t) => {
  const result = await build({ ...EDGE_BUNDLE_OPTIONS, minify: true, metafile: true });
  assert.deepEqual(result.errors, []);
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  const imported = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((entry) => entry.path));
  assert.deepEqual(imported.filter((path) => builtins.has(path) || path.startsWith('node:')), []);

  const [output] = Object.values(result.metafile.outputs);
  assert.ok(output !== undefined);
  const ours = Object.entries(output.inputs).filter(([path]) => path.startsWith('src/'));
  assert.ok(ours.some(([path]) => path.startsWith('src/guard/')));
  assert.deepEqual(ours.filter(([path]) => path.startsWith('src/node/') || path.startsWith('src/testing/')), []);
  const ourBytes = ours.reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const guardBytes = ours.filter(([path]) => path.startsWith('src/guard/')).reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  t.diagnostic(`bundle ${output.bytes} B minified; hc-drizzle code ${ourBytes} B (guard ${guardBytes} B) from ${ours.length} files`);
});
