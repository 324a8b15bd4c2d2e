/**
 * Finding and loading the user's schema files (design.md "Where the Heroku
 * Connect tables live"): `--schema` flags, then `hc-drizzle.config.ts`, then
 * drizzle.config.ts's `schema`. TypeScript is loaded with tsx, so the files
 * get their own copy of drizzle-orm: tables are recognized with `is()`.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { require as tsxRequire } from 'tsx/cjs/api';
import { glob } from 'tinyglobby';
import * as v from 'valibot';
import { isPgTable, type PgTable } from '../compat.ts';
import { InputError } from '../errors.ts';
import type { HcTableLike } from '../metadata.ts';
import { collectHcTables } from '../mapping/collect-tables.ts';

export const HC_CONFIG_FILE = 'hc-drizzle.config.ts';
export const DRIZZLE_CONFIG_FILE = 'drizzle.config.ts';

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
  /** drizzle.config.ts, if there is one. */
  readonly drizzleConfig: DrizzleKitConfig | undefined;
}

/** The parts of drizzle.config.ts hc-drizzle reads. */
export interface DrizzleKitConfig {
  readonly path: string;
  readonly schema: readonly string[];
  readonly databaseUrl: string | undefined;
}

/** Where to look. */
export interface FindSchemaOptions {
  readonly schema?: readonly string[];
  /** Path of hc-drizzle.config.ts (default: the one in `cwd`, if any). */
  readonly config?: string | undefined;
  readonly cwd?: string;
}

const stringOrList = v.union([v.string(), v.array(v.string())]);
const HcConfigSchema = v.object({
  schema: stringOrList,
  drizzleConfig: v.optional(v.string()),
  databaseUrl: v.optional(v.string()),
});
const DrizzleConfigSchema = v.looseObject({
  schema: v.optional(stringOrList),
  dbCredentials: v.optional(v.looseObject({ url: v.optional(v.string()) })),
});

const toList = (value: string | readonly string[] | undefined) =>
  value === undefined ? [] : typeof value === 'string' ? [value] : [...value];

/** Find the schema files and load them. */
export async function loadSchema(options: FindSchemaOptions = {}): Promise<LoadedSchema> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const hcConfigPath = options.config === undefined ? resolve(cwd, HC_CONFIG_FILE) : resolve(cwd, options.config);
  if (options.config !== undefined && !existsSync(hcConfigPath)) {
    throw new InputError(`The config file ${options.config} does not exist.`);
  }
  const hcConfig = existsSync(hcConfigPath) ? await readHcConfig(hcConfigPath) : undefined;
  const drizzleConfigPath = hcConfig?.drizzleConfig ?? resolve(cwd, DRIZZLE_CONFIG_FILE);
  const drizzleConfig = existsSync(drizzleConfigPath) ? await readDrizzleConfig(drizzleConfigPath) : undefined;

  let source: LoadedSchema['source'];
  let patterns: string[];
  let base: string;
  if (options.schema !== undefined && options.schema.length > 0) {
    [source, patterns, base] = ['flags', [...options.schema], cwd];
  } else if (hcConfig !== undefined) {
    [source, patterns, base] = ['hc-drizzle-config', hcConfig.schema, dirname(hcConfigPath)];
  } else if (drizzleConfig !== undefined && drizzleConfig.schema.length > 0) {
    [source, patterns, base] = ['drizzle-config', [...drizzleConfig.schema], dirname(drizzleConfig.path)];
  } else {
    throw new InputError(
      `No schema given: pass --schema <file>, or create ${HC_CONFIG_FILE} (export default defineConfig({ schema: './src/salesforce.ts' })).`,
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

/** Load hc-drizzle.config.ts (its `schema`, `drizzleConfig` and `databaseUrl`). */
export async function readHcConfig(path: string) {
  const exported = await importDefault(path);
  const parsed = v.safeParse(HcConfigSchema, exported);
  if (!parsed.success) {
    throw new InputError(`${path} must \`export default defineConfig({ schema: './path/to/salesforce.ts' })\`.`);
  }
  return {
    schema: toList(parsed.output.schema),
    drizzleConfig: parsed.output.drizzleConfig === undefined ? undefined : resolve(dirname(path), parsed.output.drizzleConfig),
    databaseUrl: parsed.output.databaseUrl,
  };
}

/** Load drizzle.config.ts (its `schema` and `dbCredentials.url`). */
export async function readDrizzleConfig(path: string): Promise<DrizzleKitConfig> {
  const parsed = v.safeParse(DrizzleConfigSchema, await importDefault(path));
  if (!parsed.success) throw new InputError(`${path} does not export a drizzle-kit config object.`);
  return { path, schema: toList(parsed.output.schema), databaseUrl: parsed.output.dbCredentials?.url };
}

async function importDefault(path: string): Promise<unknown> {
  const module = await importSchemaFile(path, dirname(path));
  const value = module['default'] as { default?: unknown } | undefined;
  // tsx may wrap a CJS-transpiled default once more.
  return value !== undefined && typeof value === 'object' && 'default' in value ? value.default : value;
}

async function expandPatterns(patterns: readonly string[], base: string, mustExist: boolean): Promise<string[]> {
  const found: string[] = [];
  for (const pattern of patterns) {
    const matches = await glob(pattern, { cwd: base, absolute: true, onlyFiles: true });
    if (matches.length === 0 && mustExist) throw new InputError(`The schema path ${pattern} does not exist.`);
    found.push(...matches.sort());
  }
  return unique(found.map((path) => resolve(path)));
}

/**
 * Import one TypeScript or JavaScript file, turning a compile error or a
 * throw into one sentence that names the file and the line.
 */
export async function importSchemaFile(path: string, cwd: string): Promise<Record<string, unknown>> {
  const shown = relative(cwd, path) || path;
  try {
    return (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    const line = lineOf(error, path) || locateThrowInCommonJs(path);
    throw new InputError(`${shown}${line} failed to load: ${firstLine(error)}`, { cause: error });
  }
}

/**
 * A file outside an ESM package runs as CommonJS from a data: URL, so its
 * stack names no line. Loading it once more through tsx's require maps the
 * throw back to the file; it failed anyway, so running it again changes nothing.
 */
function locateThrowInCommonJs(path: string): string {
  try {
    tsxRequire(path, import.meta.url);
  } catch (error) {
    return lineOf(error, path);
  }
  return '';
}

function lineOf(error: unknown, path: string): string {
  const text = `${(error as Error)?.message ?? ''}\n${(error as Error)?.stack ?? ''}`;
  for (const candidate of [path, pathToFileURL(path).href]) {
    const at = text.indexOf(`${candidate}:`);
    if (at >= 0) {
      const line = /^:(\d+)/.exec(text.slice(at + candidate.length))?.[1];
      if (line !== undefined) return ` (line ${line})`;
    }
  }
  return '';
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((line) => line.trim()).filter(Boolean);
  // esbuild: "Transform failed with 1 error:\n<file>:2:10: ERROR: Unexpected ";""
  const detail = lines.find((line) => line.includes('ERROR:'));
  const sentence = detail === undefined ? (lines[0] ?? 'unknown error') : detail.slice(detail.indexOf('ERROR:') + 7);
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
