/**
 * `npm run build`: `dist/` from `src/`, one output file per source file, so
 * every entry shares the same module instances (an `HcDrizzleError` thrown by
 * one entry is an `HcDrizzleError` in another).
 *
 * The entries come from package.json alone: every `exports` key (`./feed` is
 * `src/feed/index.ts`) and the `bin`. Adding an entry is adding its line to
 * `exports`; this script says what the line must be when it is wrong.
 *
 * - JavaScript: esbuild, ESM (`.js`) and CommonJS (`.cjs`) for the entries.
 *   Relative imports stay imports, renamed to the output's extension;
 *   packages stay external. The bin is src/cli/ bundled into one ES module
 *   (and a chunk per command implementation), importing the library's own
 *   `.js` files (see bundleCommandLine).
 * - Types: the repo's TypeScript (`tsc`, `stripInternal`) writes `.d.ts`;
 *   each becomes a `.d.ts` next to the `.js` and a `.d.cts` next to the
 *   `.cjs`, whose imports resolve to the `.d.cts` files, so CommonJS users
 *   see drizzle-orm's CommonJS types.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const typesOut = join(root, 'node_modules', '.cache', 'hc-drizzle-types');

interface PackageJson {
  readonly exports: Record<string, unknown>;
  readonly bin: Record<string, string>;
}

/** The four files an entry publishes, by its exports key (`.` or `./name`). */
function entryTargets(key: string) {
  const base = key === '.' ? './dist/index' : `./dist/${key.slice(2)}/index`;
  return {
    import: { types: `${base}.d.ts`, default: `${base}.js` },
    require: { types: `${base}.d.cts`, default: `${base}.cjs` },
  };
}

const sourceOf = (distPath: string) => join(root, distPath.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));

function readEntries(): { library: string[]; bin: string[] } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const library: string[] = [];
  for (const [key, value] of Object.entries(pkg.exports)) {
    if (key === './package.json') continue;
    const wanted = entryTargets(key);
    if (JSON.stringify(value) !== JSON.stringify(wanted)) {
      fail(`package.json exports["${key}"] must be ${JSON.stringify(wanted)}`);
    }
    library.push(sourceOf(wanted.import.default));
  }
  const bin = Object.values(pkg.bin).map(sourceOf);
  for (const file of [...library, ...bin]) if (!existsSync(file)) fail(`${relative(root, file)} does not exist (named by package.json)`);
  return { library, bin };
}

function fail(message: string): never {
  process.stderr.write(`build: ${message}.\n`);
  process.exit(1);
}

/** The source files the entries reach, without writing anything. */
async function reachable(entryPoints: string[]): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: dist,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).map((input) => resolve(root, input));
}

/** Keep relative imports as imports of the output file with `extension`. */
function keepRelativeImports(extension: '.js' | '.cjs'): esbuild.Plugin {
  return {
    name: 'keep-relative-imports',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) =>
        args.kind === 'entry-point' ? undefined : { path: args.path.replace(/\.ts$/, extension), external: true },
      );
    },
  };
}

/**
 * The command line's own libraries, clipanion and typanion, are bundled into
 * `dist/cli/` as one ES module each: their packages load as CommonJS (their
 * ESM files import folders, which Node refuses), and parsing that costs more
 * than the rest of `hc-drizzle --version`. Library entries never use them.
 */
const CLI_LIBRARIES = { clipanion: 'node_modules/clipanion/lib/advanced/index.mjs', typanion: 'node_modules/typanion/lib/index.mjs' };

const useBundledCliLibraries: esbuild.Plugin = {
  name: 'bundled-cli-libraries',
  setup(build) {
    build.onResolve({ filter: /^(clipanion|typanion)$/ }, (args) => {
      if (args.importer.startsWith(join(root, 'src')) && !args.importer.startsWith(join(root, 'src', 'cli'))) {
        fail(`${relative(root, args.importer)} imports ${args.path}: only src/cli/ may`);
      }
      return { path: `./${args.path}.js`, external: true };
    });
  },
};

async function bundleCliLibraries(): Promise<void> {
  await Promise.all(
    Object.entries(CLI_LIBRARIES).map(([name, entry]) =>
      esbuild.build({
        entryPoints: [join(root, entry)],
        outfile: join(dist, 'cli', `${name}.js`),
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        resolveExtensions: ['.mjs', '.js'],
        plugins: name === 'clipanion' ? [useBundledCliLibraries] : [],
        legalComments: 'inline',
        banner: { js: `// ${name} (MIT license), bundled by hc-drizzle's build: see README "Dependencies, and why".` },
        logLevel: 'warning',
      }),
    ),
  );
}

const CLI = join(root, 'src', 'cli');
const inCli = (file: string) => file.startsWith(`${CLI}${sep}`);

/**
 * The bin: src/cli/ bundled into `dist/cli/bin.js`, and each module a command
 * imports when it runs (`import()`) into a chunk beside it. Startup then reads
 * a dozen files instead of three dozen (reading and resolving each module was
 * most of `hc-drizzle --version`). Everything outside src/cli/ stays an import
 * of its own dist/ file, the one the entries load, so an error class thrown by
 * the library is the one the CLI reports.
 */
async function bundleCommandLine(bin: string[]): Promise<void> {
  const libraryImports: esbuild.Plugin = {
    name: 'library-imports',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = resolve(dirname(args.importer), args.path);
        if (inCli(target)) return undefined;
        // From dist/cli/ (the bin and its chunks): the library module's own output file.
        return { path: relative(CLI, target).replace(/\.ts$/, '.js'), external: true };
      });
    },
  };
  await esbuild.build({
    entryPoints: bin,
    outbase: join(root, 'src'),
    outdir: dist,
    chunkNames: 'cli/[name]-[hash]',
    bundle: true,
    splitting: true,
    packages: 'external',
    plugins: [useBundledCliLibraries, libraryImports],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}

async function emitJavaScript(files: string[], format: 'esm' | 'cjs'): Promise<void> {
  const extension = format === 'esm' ? '.js' : '.cjs';
  await esbuild.build({
    entryPoints: files,
    outbase: join(root, 'src'),
    outdir: dist,
    outExtension: { '.js': extension },
    bundle: true,
    packages: 'external',
    plugins: format === 'esm' ? [useBundledCliLibraries, keepRelativeImports(extension)] : [keepRelativeImports(extension)],
    platform: 'node',
    format,
    target: 'node20',
    // Optional drivers (pg, PGlite) are loaded with import() in both formats.
    supported: { 'dynamic-import': true },
    logLevel: 'warning',
    // A module that needs its own location reads `__filename` in CommonJS, and only falls back to
    // import.meta.url (empty there) in ESM: src/node/load-schema.ts.
    ...(format === 'cjs' ? { logOverride: { 'empty-import-meta': 'silent' as const } } : {}),
  });
}

/**
 * Relative module specifiers in declaration text: import and export
 * statements (tsc writes each on one line) and `import("./x.ts")` types, not
 * the examples in doc comments.
 */
const RELATIVE_TS_SPECIFIER = /(^(?:import|export)\b[^\n]*?\bfrom ['"]|\bimport\(['"])(\.\.?\/[^'"\n]+)\.ts(['"])/gm;

/**
 * tsc drops a source's leading `// @ts-nocheck` from its declarations; put it
 * back. src/compat/drizzle-045.ts and drizzle-1.ts need it: each names types
 * that only one drizzle-orm version has, and compat.ts picks one by version.
 */
function keepNoCheck(declarationFile: string, text: string): string {
  const source = join(root, 'src', relative(typesOut, declarationFile).replace(/\.d\.ts$/, '.ts'));
  let first = '';
  try {
    first = readFileSync(source, 'utf8').split('\n', 1)[0] ?? '';
  } catch {
    return text;
  }
  return first.startsWith('// @ts-nocheck') && !text.startsWith('// @ts-nocheck') ? `${first}\n${text}` : text;
}

function emitDeclarations(libraryFiles: string[]): void {
  rmSync(typesOut, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', typesOut],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0) fail('tsc could not write the declarations');
  // Type-only imports vanish from the JavaScript, so follow the declarations themselves.
  const seen = new Set<string>();
  const queue = libraryFiles.map((file) => join(typesOut, relative(join(root, 'src'), file).replace(/\.ts$/, '.d.ts')));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = keepNoCheck(file, readFileSync(file, 'utf8'));
    for (const match of text.matchAll(RELATIVE_TS_SPECIFIER)) queue.push(resolve(dirname(file), `${match[2]}.d.ts`));
    const target = join(dist, relative(typesOut, file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text.replace(RELATIVE_TS_SPECIFIER, '$1$2.js$3'));
    writeFileSync(target.replace(/\.d\.ts$/, '.d.cts'), text.replace(RELATIVE_TS_SPECIFIER, '$1$2.cjs$3'));
  }
}

const started = performance.now();
const { library, bin } = readEntries();
rmSync(dist, { recursive: true, force: true });
const [libraryFiles, esmFiles] = await Promise.all([reachable(library), reachable([...library, ...bin])]);
for (const file of libraryFiles) if (inCli(file)) fail(`${relative(root, file)} is reached from a library entry: only the bin may import src/cli/`);
const esmLibraryFiles = esmFiles.filter((file) => !inCli(file));
await Promise.all([emitJavaScript(esmLibraryFiles, 'esm'), emitJavaScript(libraryFiles, 'cjs'), bundleCliLibraries(), bundleCommandLine(bin)]);
emitDeclarations(library);
for (const file of bin) chmodSync(join(dist, relative(join(root, 'src'), file).replace(/\.ts$/, '.js')), 0o755);
process.stderr.write(
  `build: dist/ for ${library.length} entries (${esmLibraryFiles.length} ESM, ${libraryFiles.length} CommonJS modules) and the bin (src/cli/ bundled) in ${Math.round(performance.now() - started)} ms.\n`,
);
