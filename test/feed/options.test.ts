/** subscribeChanges refuses bad options in one sentence, before it connects anywhere. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { installChangeFeed, subscribeChanges } from 'hc-drizzle/feed';
import { account } from './fixtures.ts';

const handler = () => {};
// Nothing listens on this port: a subscriber that tried to connect would fail differently.
const url = 'postgres://postgres@127.0.0.1:1/none';

describe('subscribeChanges options', () => {
  const refusals: [string, Record<string, unknown>, string][] = [
    ['neither url nor pool', { tables: [account], group: 'g', handler }, 'subscribeChanges needs exactly one of `url` and `pool`.'],
    ['both url and pool', { url, pool: {}, tables: [account], group: 'g', handler }, 'subscribeChanges needs exactly one of `url` and `pool`.'],
    ['no hcTable', { url, tables: [], group: 'g', handler }, 'subscribeChanges needs at least one hcTable (an array of tables, or a module namespace with some).'],
    ['an empty group', { url, tables: [account], group: '  ', handler }, 'The group name must not be empty.'],
    ['a batch of 0', { url, tables: [account], group: 'g', handler, batchSize: 0 }, 'subscribeChanges: batchSize must be at least 1.'],
    ['a handler timeout of 0', { url, tables: [account], group: 'g', handler, handlerTimeoutMs: 0 }, 'subscribeChanges: handlerTimeoutMs must be at least 1.'],
    ['a handler timeout past what a timer takes', { url, tables: [account], group: 'g', handler, handlerTimeoutMs: 2 ** 31 }, 'subscribeChanges: handlerTimeoutMs must be at most 2147483647.'],
    ['a fractional lease', { url, tables: [account], group: 'g', handler, leaseMs: 1.5 }, 'subscribeChanges: leaseMs must be a whole number.'],
    ['a URL that is not postgres://', { url: 'mysql://x', tables: [account], group: 'g', handler }, 'The change feed needs a postgres:// URL (or pass `pool`: a PGlite instance, a Neon pool or function).'],
    ['something that is no database', { pool: { hello: 1 }, tables: [account], group: 'g', handler }, 'subscribeChanges needs `url` or `pool`: a pg or Neon Pool, a PGlite instance, a neon() function, or a Drizzle database over one.'],
  ];
  for (const [what, options, message] of refusals) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(subscribeChanges(options as never), { name: 'InputError', message });
    });
  }

  it('refuses a pool of one connection, which LISTEN would take whole', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await assert.rejects(subscribeChanges({ pool, tables: [account], group: 'g', handler }), {
        name: 'InputError',
        message: 'The pool allows 1 connection: the change feed keeps one for LISTEN and needs at least one more (max: 2 or more).',
      });
    } finally {
      await pool.end();
    }
  });

  it('refuses a bad group at install, before any SQL', async () => {
    await assert.rejects(installChangeFeed({} as never, [account], { groups: [''] }), { name: 'InputError', message: 'The group name must not be empty.' });
  });
});
