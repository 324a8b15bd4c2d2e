/**
 * The write algorithm retry and redo follow (heroku-connect.md §3.5): the one
 * the app gives, else the connection's, read through the Heroku Connect API
 * as `hc-drizzle retry` does and kept for ten minutes (django-heroku-connect
 * caches it for the process).
 */
import { fetchWriteAlgorithm } from '../connect/write-algorithm.ts';
import { HcDrizzleError } from '../errors.ts';
import { readSettings } from '../settings/settings.ts';
import type { WriteAlgorithm } from '../trigger-log/constants.ts';

const KEEP_MS = 10 * 60_000;

export const NO_WRITE_ALGORITHM =
  'Retry and redo need the connection’s write algorithm: give it (the writeAlgorithm option, or --write-algorithm merged|ordered for hc-drizzle logs --serve), or set HEROKU_AUTH_TOKEN and HEROKU_APP_NAME so it is read from the Heroku Connect connection.';

/** An algorithm and where it came from, or why there is none. */
export type KnownAlgorithm = { readonly algorithm: WriteAlgorithm; readonly from: string } | { readonly unavailable: string };

export interface AlgorithmSource {
  /** The algorithm, asking for it when needed. */
  get(): Promise<KnownAlgorithm>;
  /** The algorithm if it is known without asking anyone. */
  known(): KnownAlgorithm | undefined;
}

export function algorithmSource(option: WriteAlgorithm | (() => Promise<WriteAlgorithm>) | undefined): AlgorithmSource {
  if (typeof option === 'string') {
    const fixed = { algorithm: option, from: 'as configured' } as const;
    return { get: async () => fixed, known: () => fixed };
  }
  let kept: { value: KnownAlgorithm; until: number } | undefined;
  /** Without a function, the connection can only be asked with a token and an app name. */
  const unaskable = () => {
    if (option !== undefined) return false;
    try {
      const settings = readSettings();
      return settings.authToken === undefined || settings.appName === '';
    } catch {
      return true;
    }
  };
  const ask = async (): Promise<KnownAlgorithm> => {
    if (option !== undefined) return { algorithm: await option(), from: 'as the app reports it' };
    const settings = readSettings();
    if (unaskable()) return { unavailable: NO_WRITE_ALGORITHM };
    return { algorithm: await fetchWriteAlgorithm({ settings }), from: `the Heroku Connect connection of ${settings.appName}` };
  };
  return {
    known: () => (kept !== undefined && kept.until > Date.now() ? kept.value : unaskable() ? { unavailable: NO_WRITE_ALGORITHM } : undefined),
    async get() {
      if (kept !== undefined && kept.until > Date.now()) return kept.value;
      try {
        const value = await ask();
        if ('algorithm' in value) kept = { value, until: Date.now() + KEEP_MS };
        return value;
      } catch (error) {
        // Our errors are one sentence without secrets; anything else is not shown.
        const reason = error instanceof HcDrizzleError ? error.message : 'the request failed.';
        return { unavailable: `Could not read the write algorithm from the Heroku Connect connection: ${reason} ${NO_WRITE_ALGORITHM}` };
      }
    },
  };
}
