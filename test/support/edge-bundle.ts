/** How the edge example is bundled for a worker, by the tests that bundle it. */
import type { BuildOptions } from 'esbuild';

export const EDGE_BUNDLE_OPTIONS = {
  entryPoints: ['examples/edge/handler.ts'],
  bundle: true,
  platform: 'browser',
  conditions: ['worker', 'browser'],
  format: 'esm',
  write: false,
  logLevel: 'silent',
} as const satisfies BuildOptions;
