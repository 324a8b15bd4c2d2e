/**
 * Finding and loading the user's schema files (design.md "Where the Heroku
 * Connect tables live"): `--schema` flags, then `hc-drizzle.config.*`, then
 * drizzle.config.*'s `schema`. The config files are found from the working
 * folder upward, up to the folder of the nearest package.json.
 *
 * JavaScript files load with Node's own `import()`; TypeScript files with
 * jiti (pure JavaScript, one package; README "Dependencies, and why"). Each
 * file runs once per process. A file may get its own copy of drizzle-orm, so
 * tables are recognized with `is()`, never `instanceof`.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as v from 'valibot';
import { isPgTable, type PgTable } from '../compat.ts';
import { InputError } from '../errors.ts';
import type { HcTableLike } from '../metadata.ts';
import { collectHcTables } from '../mapping/collect-tables.ts';

/** The names hc-drizzle's own config file may have, in the order they are tried. */
export const HC_CONFIG_FILES = ['hc-drizzle.config.ts', 'hc-drizzle.config.mts', 'hc-drizzle.config.js', 'hc-drizzle.config.mjs'] as const;
/** The names drizzle-kit's config file may have, in the order they are tried. */
export const DRIZZLE_CONFIG_FILES = [
  'drizzle.config.ts',
  'drizzle.config.mts',
  'drizzle.config.cts',
  'drizzle.config.js',
  'drizzle.config.mjs',
  'drizzle.config.cjs',
] as const;

/** One loaded schema file. */
export interface SchemaFile {
  readonly path: string;
  readonly exports: Readonly<Record<string, unknown>>;
}

/** Where the schema was found and what it holds. */
export interface LoadedSchema {
  readonly source: 'flags' | 'hc-drizzle-config' | 'drizzle-config';
  readonly files: readonly SchemaFile[];
  /** Every hcTable exported by the files, each once, in definition order per file. */
  readonly hcTables: readonly HcTableLike[];
  /** Every Drizzle pg table exported by the files (hcTables and the app's own), each once. */
  readonly tables: readonly PgTable[];
  /** The files drizzle-kit's `schema` matches (drizzle-kit generates DDL for their exports). */
  readonly drizzleKitSchemaFiles: readonly string[];
  /** drizzle.config.*, if there is one. */
  readonly drizzleConfig: DrizzleKitConfig | undefined;
}

/** The parts of drizzle.config.* hc-drizzle reads. */
export interface DrizzleKitConfig {
  readonly path: string;
  readonly schema: readonly string[];
  /** `dbCredentials.url`. */
  readonly databaseUrl: string | undefined;
  /** `driver` (`'pglite'` makes `dbCredentials.url` a PGlite folder). */
  readonly driver: string | undefined;
}

/** The parts of hc-drizzle.config.* the CLI reads. */
export interface HcConfigFile {
  readonly path: string;
  readonly schema: readonly string[];
  /** drizzle.config.* to use instead of the one found, absolute. */
  readonly drizzleConfig: string | undefined;
  readonly databaseUrl: string | undefined;
}

/** Where to look. */
export interface FindSchemaOptions {
  readonly schema?: readonly string[];
  /** Path of hc-drizzle.config.* (default: found from `cwd` upward). */
  readonly config?: string | undefined;
  readonly cwd?: string;
}

/** The config files that apply in `cwd`, read. */
export interface ProjectConfig {
  readonly hcConfig: HcConfigFile | undefined;
  readonly drizzleConfig: DrizzleKitConfig | undefined;
}

const stringOrList = v.union([v.string(), v.array(v.string())]);
const HcConfigSchema = v.object({
  schema: stringOrList,
  drizzleConfig: v.optional(v.string()),
  databaseUrl: v.optional(v.string()),
});
const DrizzleConfigSchema = v.looseObject({
  schema: v.optional(stringOrList),
  driver: v.optional(v.string()),
  dbCredentials: v.optional(v.looseObject({ url: v.optional(v.string()) })),
});

const toList = (value: string | readonly string[] | undefined) =>
  value === undefined ? [] : typeof value === 'string' ? [value] : [...value];

/**
 * The first of `names` in `cwd` or a folder above it, stopping at the folder
 * that holds a package.json (the package root).
 */
export function findUpward(names: readonly string[], cwd: string): string | undefined {
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    for (const name of names) {
      const path = join(folder, name);
      if (existsSync(path)) return path;
    }
    if (existsSync(join(folder, 'package.json')) || dirname(folder) === folder) return undefined;
  }
}

/** Find and read hc-drizzle.config.* (or the one `config` names) and drizzle.config.*. */
export async function readProjectConfig(options: { readonly config?: string | undefined; readonly cwd?: string } = {}): Promise<ProjectConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  let hcConfigPath: string | undefined;
  if (options.config !== undefined) {
    hcConfigPath = resolve(cwd, options.config);
    if (!existsSync(hcConfigPath)) throw new InputError(`The config file ${options.config} does not exist.`);
  } else {
    hcConfigPath = findUpward(HC_CONFIG_FILES, cwd);
  }
  const hcConfig = hcConfigPath === undefined ? undefined : await readHcConfig(hcConfigPath);
  const drizzleConfigPath = hcConfig?.drizzleConfig ?? findUpward(DRIZZLE_CONFIG_FILES, cwd);
  const drizzleConfig = drizzleConfigPath === undefined || !existsSync(drizzleConfigPath) ? undefined : await readDrizzleConfig(drizzleConfigPath);
  return { hcConfig, drizzleConfig };
}

/** Find the schema files and load them. */
export async function loadSchema(options: FindSchemaOptions = {}): Promise<LoadedSchema> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const { hcConfig, drizzleConfig } = await readProjectConfig(options);

  let source: LoadedSchema['source'];
  let patterns: readonly string[];
  let base: string;
  if (options.schema !== undefined && options.schema.length > 0) {
    [source, patterns, base] = ['flags', options.schema, cwd];
  } else if (hcConfig !== undefined) {
    [source, patterns, base] = ['hc-drizzle-config', hcConfig.schema, dirname(hcConfig.path)];
  } else if (drizzleConfig !== undefined && drizzleConfig.schema.length > 0) {
    [source, patterns, base] = ['drizzle-config', drizzleConfig.schema, dirname(drizzleConfig.path)];
  } else {
    throw new InputError(
      `No schema given: pass --schema <file>, or create ${HC_CONFIG_FILES[0]} (export default defineConfig({ schema: './src/salesforce.ts' })).`,
    );
  }
  const paths = await expandPatterns(patterns, base, source === 'flags');
  const files: SchemaFile[] = [];
  for (const path of paths) files.push({ path, exports: await importSchemaFile(path, cwd) });
  const tables = unique(files.flatMap((file) => Object.values(file.exports).filter(isPgTable)));
  const drizzleKitSchemaFiles =
    drizzleConfig === undefined ? [] : await expandPatterns(drizzleConfig.schema, dirname(drizzleConfig.path), false);
  const hcTables = unique(files.flatMap((file) => collectHcTables(file.exports)));
  return { source, files, tables, hcTables, drizzleKitSchemaFiles, drizzleConfig };
}

/** Load hc-drizzle.config.* (its `schema`, `drizzleConfig` and `databaseUrl`). */
export async function readHcConfig(path: string): Promise<HcConfigFile> {
  const parsed = v.safeParse(HcConfigSchema, await importDefault(path));
  if (!parsed.success) {
    throw new InputError(`${path} must \`export default defineConfig({ schema: './path/to/salesforce.ts' })\`.`);
  }
  return {
    path,
    schema: toList(parsed.output.schema),
    drizzleConfig: parsed.output.drizzleConfig === undefined ? undefined : resolve(dirname(path), parsed.output.drizzleConfig),
    databaseUrl: parsed.output.databaseUrl,
  };
}

/** Load drizzle.config.* (its `schema`, `driver` and `dbCredentials.url`). */
export async function readDrizzleConfig(path: string): Promise<DrizzleKitConfig> {
  const parsed = v.safeParse(DrizzleConfigSchema, await importDefault(path));
  if (!parsed.success) throw new InputError(`${path} does not export a drizzle-kit config object.`);
  return { path, schema: toList(parsed.output.schema), databaseUrl: parsed.output.dbCredentials?.url, driver: parsed.output.driver };
}

async function importDefault(path: string): Promise<unknown> {
  const value = (await importSchemaFile(path, dirname(path)))['default'];
  // A CommonJS file's `module.exports = { default: ... }` arrives wrapped once more.
  return value !== null && typeof value === 'object' && 'default' in value ? (value as { default: unknown }).default : value;
}

async function expandPatterns(patterns: readonly string[], base: string, mustExist: boolean): Promise<string[]> {
  const found: string[] = [];
  for (const pattern of patterns) {
    // A pattern naming an existing file is that file: the usual `--schema src/salesforce.ts` loads no glob
    // library (tinyglobby and picomatch take about 15 ms to load and run: scripts/bench/cli.bench.ts).
    const literal = resolve(base, pattern);
    if (isFile(literal)) {
      found.push(literal);
      continue;
    }
    const { glob } = await import('tinyglobby');
    const matches = await glob(pattern, { cwd: base, absolute: true, onlyFiles: true });
    if (matches.length === 0 && mustExist) throw new InputError(`The schema path ${pattern} does not exist.`);
    found.push(...matches.sort());
  }
  return unique(found.map((path) => resolve(path)));
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

type Jiti = import('jiti').Jiti;
let jiti: Jiti | undefined;

/** One jiti for the process, so a file imported twice (a config, then a schema) runs once. */
function typescriptLoader(): Jiti {
  if (jiti === undefined) {
    // Required, not imported: jiti is one large CommonJS file, and import() first scans all of it for
    // its export names (about 12 ms; scripts/bench/cli.bench.ts). The CommonJS build has no import.meta.
    const self = typeof __filename === 'string' ? __filename : import.meta.url;
    const { createJiti } = createRequire(self)('jiti') as typeof import('jiti');
    // Named exports as written (no default merging); line numbers that match the file.
    jiti = createJiti(join(process.cwd(), 'hc-drizzle-loader'), { interopDefault: false, sourceMaps: false });
  }
  return jiti;
}

/**
 * Import one TypeScript or JavaScript file, turning a compile error or a
 * throw into one sentence that names the file and the line. The file runs
 * once, also when it throws.
 */
export async function importSchemaFile(path: string, cwd: string): Promise<Record<string, unknown>> {
  const shown = relative(cwd, path) || path;
  try {
    const module = TYPESCRIPT.has(extname(path))
      ? await typescriptLoader().import(path)
      : await import(pathToFileURL(path).href);
    return module as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`${shown}${lineOf(error, path)} failed to load: ${firstLine(error)}`, { cause: error });
  }
}

/** The ` (line N)` of the first place in `path` that the error's message or stack names. */
function lineOf(error: unknown, path: string): string {
  const text = `${(error as Error)?.message ?? ''}\n${(error as Error)?.stack ?? ''}`;
  let first: { at: number; line: string } | undefined;
  for (const candidate of [path, pathToFileURL(path).href]) {
    const at = text.indexOf(`${candidate}:`);
    const line = at < 0 ? undefined : /^:(\d+)/.exec(text.slice(at + candidate.length))?.[1];
    if (line !== undefined && (first === undefined || at < first.at)) first = { at, line };
  }
  if (first !== undefined) return ` (line ${first.line})`;
  // Babel's syntax errors: "<file>: Unexpected token (2:10)".
  const syntax = /\((\d+):\d+\)/.exec((error as Error)?.message ?? '');
  return syntax === null ? '' : ` (line ${syntax[1]})`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').map((line) => line.trim()).find(Boolean) ?? 'unknown error';
  // Babel's syntax errors: "ParseError: /abs/file.ts: Unexpected token (2:10)": keep only the reason.
  const sentence = first.replace(/^ParseError:\s*/, '').replace(/^\/\S+:\s+(?=.)/, '').replace(/\s*\(\d+:\d+\)$/, '');
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
