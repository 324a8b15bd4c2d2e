/** How the tests bundle code for edge runtimes: the edge example for a worker, and entries for a neutral platform. */
import { fileURLToPath } from 'node:url';
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

/** The files an entry pulls in when bundled for a neutral platform: an edge runtime, with nothing from Node. */
export async function neutralBundleInputs(entry: string): Promise<string[]> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../../${entry}`, import.meta.url))],
    absWorkingDir: fileURLToPath(new URL('../..', import.meta.url)),
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}
