/**
 * Which database a command talks to (design.md "Where the Heroku Connect
 * tables live"): `--url`, then `DATABASE_URL`, then hc-drizzle.config.*'s
 * `databaseUrl`, then drizzle.config.*'s `dbCredentials.url`.
 *
 * Only two forms are accepted, so a typo or an unset variable never becomes
 * a database folder: a `postgres://` / `postgresql://` URL (any case), and
 * `pglite:<folder>` for embedded PGlite (`pglite:memory://` keeps nothing).
 * drizzle-kit's own form for PGlite, `driver: 'pglite'` with a folder as
 * `dbCredentials.url`, is read as written.
 */
import { dirname, relative, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { readSettings } from '../settings/settings.ts';
import { readProjectConfig } from './load-schema.ts';

/** A database a command can open, and where that choice came from (for messages). */
export type DatabaseTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly source: string }
  | { readonly kind: 'pglite'; readonly dataDir: string; readonly source: string };

/** Where to look. */
export interface ResolveDatabaseOptions {
  readonly url?: string | undefined;
  /** Path of hc-drizzle.config.* (default: found from `cwd` upward). */
  readonly config?: string | undefined;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;
const PGLITE_URL = /^pglite:/i;

/** What a refused value looked like, without anything that could be a password. */
function shapeOf(value: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  return scheme === undefined ? 'a value with no scheme' : `a ${scheme}: URL`;
}

/**
 * Read a database URL given by a person: a postgres:// URL, or
 * `pglite:<folder>` (relative to `base`).
 *
 * @throws {InputError} for anything else, an empty value included (exit 2).
 */
export function parseDatabaseUrl(value: string, source: string, base: string = process.cwd()): DatabaseTarget {
  if (value.trim() === '') {
    throw new InputError(`The database URL from ${source} is empty (an unset variable?): give a postgres:// URL, or pglite:<folder> for embedded PGlite.`);
  }
  if (POSTGRES_URL.test(value)) return { kind: 'postgres', url: value, source };
  if (PGLITE_URL.test(value)) {
    const folder = value.replace(PGLITE_URL, '');
    if (folder === '') throw new InputError(`The database URL from ${source} names no folder: write pglite:<folder>, for example pglite:.hc-drizzle/pglite.`);
    return { kind: 'pglite', dataDir: folder.startsWith('memory://') ? folder : resolve(base, folder), source };
  }
  throw new InputError(
    `The database URL from ${source} must be a postgres:// or postgresql:// URL, or pglite:<folder> for embedded PGlite, not ${shapeOf(value)}.`,
  );
}

/** The database the options and the project's config name, or undefined when none does. */
export async function resolveDatabase(options: ResolveDatabaseOptions = {}): Promise<DatabaseTarget | undefined> {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (options.url !== undefined) return parseDatabaseUrl(options.url, '--url', cwd);
  const fromEnv = readSettings(options.env ?? process.env).databaseUrl;
  if (fromEnv !== undefined) return parseDatabaseUrl(fromEnv, 'DATABASE_URL', cwd);
  const { hcConfig, drizzleConfig } = await readProjectConfig({ config: options.config, cwd });
  if (hcConfig?.databaseUrl !== undefined) {
    return parseDatabaseUrl(hcConfig.databaseUrl, relative(cwd, hcConfig.path) || hcConfig.path, dirname(hcConfig.path));
  }
  if (drizzleConfig?.databaseUrl === undefined) return undefined;
  const source = relative(cwd, drizzleConfig.path) || drizzleConfig.path;
  if (drizzleConfig.driver === 'pglite' && !POSTGRES_URL.test(drizzleConfig.databaseUrl)) {
    return { kind: 'pglite', dataDir: resolve(dirname(drizzleConfig.path), drizzleConfig.databaseUrl), source };
  }
  return parseDatabaseUrl(drizzleConfig.databaseUrl, source, dirname(drizzleConfig.path));
}
