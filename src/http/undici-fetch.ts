/**
 * Node only: a fetch function over undici with its own connection pool, so
 * connect and header timeouts follow the client's timeout rather than
 * undici's defaults. The API clients' Node entries pass it to the transport.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchFunction } from './transport.ts';

/** A fetch function over undici with the given connect/headers/body timeouts. */
export function createUndiciFetch(timeoutMs: number): FetchFunction {
  const dispatcher = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return (url, init) => undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
}
