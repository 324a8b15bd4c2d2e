/** `hc-drizzle.config.ts`: where the Heroku Connect tables live, for the CLI. */

/** The contents of `hc-drizzle.config.ts`. */
export interface HcDrizzleConfig {
  /** Files (or globs) that define the hcTables, relative to the config file. */
  readonly schema: string | readonly string[];
  /** The drizzle-kit config to compare against (default `drizzle.config.ts` beside this file). */
  readonly drizzleConfig?: string;
  /** Database URL for commands that need one (default `DATABASE_URL`, then drizzle.config.ts). */
  readonly databaseUrl?: string;
}

/**
 * Declare where hc-drizzle finds the hcTables.
 * @example
 * // hc-drizzle.config.ts
 * import { defineConfig } from 'hc-drizzle/config';
 * export default defineConfig({ schema: './src/db/salesforce.ts' });
 */
// @__NO_SIDE_EFFECTS__
export function defineConfig(config: HcDrizzleConfig): HcDrizzleConfig {
  return config;
}
