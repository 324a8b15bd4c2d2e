/**
 * Which database a command talks to (design.md "Where the Heroku Connect
 * tables live"): `--url`, then `DATABASE_URL`, then hc-drizzle.config.ts's
 * `databaseUrl`, then drizzle.config.ts's `dbCredentials.url`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readSettings } from '../settings/settings.ts';
import { DRIZZLE_CONFIG_FILE, HC_CONFIG_FILE, readDrizzleConfig, readHcConfig } from './load-schema.ts';

/** A database URL and where it came from (for messages). */
export interface ResolvedDatabaseUrl {
  readonly url: string;
  readonly source: '--url' | 'DATABASE_URL' | typeof HC_CONFIG_FILE | typeof DRIZZLE_CONFIG_FILE;
}

/** Where to look. */
export interface ResolveDatabaseUrlOptions {
  readonly url?: string | undefined;
  /** Path of hc-drizzle.config.ts (default: the one in `cwd`, if any). */
  readonly config?: string | undefined;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The database URL to use, or undefined when none is configured (then: embedded PGlite). */
export async function resolveDatabaseUrl(options: ResolveDatabaseUrlOptions = {}): Promise<ResolvedDatabaseUrl | undefined> {
  if (options.url !== undefined) return { url: options.url, source: '--url' };
  const fromEnv = readSettings(options.env ?? process.env).databaseUrl;
  if (fromEnv !== undefined) return { url: fromEnv, source: 'DATABASE_URL' };
  const cwd = resolve(options.cwd ?? process.cwd());
  const hcConfigPath = resolve(cwd, options.config ?? HC_CONFIG_FILE);
  const hcConfig = existsSync(hcConfigPath) ? await readHcConfig(hcConfigPath) : undefined;
  if (hcConfig?.databaseUrl !== undefined) return { url: hcConfig.databaseUrl, source: HC_CONFIG_FILE };
  const drizzleConfigPath = hcConfig?.drizzleConfig ?? resolve(cwd, DRIZZLE_CONFIG_FILE);
  const drizzleConfig = existsSync(drizzleConfigPath) ? await readDrizzleConfig(drizzleConfigPath) : undefined;
  return drizzleConfig?.databaseUrl === undefined ? undefined : { url: drizzleConfig.databaseUrl, source: DRIZZLE_CONFIG_FILE };
}
