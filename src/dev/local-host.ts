/**
 * "Is this database on this machine?" — the guard in front of `--force`, so a
 * production `salesforce` schema is never dropped by a slip.
 */
import { isIP } from 'node:net';
import { InputError } from '../errors.ts';

/** localhost, 127.0.0.0/8, ::1, or a unix socket path (empty host: libpq's default socket). */
export function isLocalHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === '' || bare.startsWith('/') || bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** The host a postgres:// URL points at: `?host=` (a socket) wins over the authority, as in libpq. */
export function hostOfDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError('The database URL is not a valid URL (expected postgres://user:password@host:port/database).');
  }
  return parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname);
}
