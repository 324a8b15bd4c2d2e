/**
 * The drivers a subscriber works through: neon-serverless over WebSocket
 * LISTENs (a change arrives long before the poll would have looked), and
 * neon-http, which cannot LISTEN, polls. PostgreSQL only (DATABASE_URL);
 * node-postgres and PGlite run in the other feed tests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { neon, Pool as NeonPool } from '@neondatabase/serverless';
import { subscribeChanges, type Change, type ChangeSubscription } from 'hc-drizzle/feed';
import { setupTestDatabase, type HcTestDatabase } from 'hc-drizzle/testing';
import { asHerokuConnect } from 'hc-drizzle/trigger-log';
import { startNeonHttpEndpoint, type NeonHttpEndpoint } from '../support/neon-http-endpoint.ts';
import { startNeonProxy, useLocalNeon, type NeonProxy } from '../support/neon-proxy.ts';
import { account, collector, sfidOf } from './fixtures.ts';

const url = process.env['DATABASE_URL'] || undefined;

describe('change feed drivers on postgres', { skip: url === undefined && 'DATABASE_URL is not set' }, () => {
  let database: HcTestDatabase;
  let proxy: NeonProxy;
  let endpoint: NeonHttpEndpoint;
  let local: string;
  let subscription: ChangeSubscription | undefined;
  let inserted = 0;
  const fromSalesforce = (name: string) =>
    asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: sfidOf('001', ++inserted), name }));

  before(async () => {
    database = await setupTestDatabase({ account }, { url });
    const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
    const direct = new URL(url!);
    // The Neon client reaches the local server by address only (the proxy and endpoint allow nothing else).
    local = `postgres://${direct.username || 'postgres'}:${direct.password || 'local'}@127.0.0.1:5432/${name}`;
    proxy = await startNeonProxy();
    endpoint = await startNeonHttpEndpoint();
    useLocalNeon(proxy, endpoint.port);
  });
  after(async () => {
    await subscription?.stop();
    await proxy.close();
    await endpoint.close();
    await database.close();
  });

  it('listens through a neon-serverless Pool over WebSocket', async () => {
    const pool = new NeonPool({ connectionString: local, max: 3 });
    try {
      const changes = collector<Change<typeof account>>();
      // A poll a minute apart: only the NOTIFY can bring the change in time.
      subscription = await subscribeChanges({ pool, tables: [account], group: 'neon-ws', pollIntervalMs: 60_000, handler: (change) => changes.push(change) });
      await fromSalesforce('Over WebSocket');
      const [change] = await changes.until(1, 10_000);
      assert.equal(change?.row.name, 'Over WebSocket');
      await subscription.stop();
      subscription = undefined;
    } finally {
      await pool.end();
    }
  });

  it('polls through neon-http, which cannot listen', async () => {
    const changes = collector<Change<typeof account>>();
    subscription = await subscribeChanges({
      pool: neon(local),
      tables: [account],
      group: 'neon-http',
      pollIntervalMs: 50,
      handler: (change) => changes.push(change),
    });
    await fromSalesforce('Over HTTP');
    const [change] = await changes.until(1, 10_000);
    assert.equal(change?.row.name, 'Over HTTP');
    assert.ok(change?.row.systemModstamp === null && change.at instanceof Date);
    await subscription.stop();
    subscription = undefined;
  });

  it('listens again when the listening connection is cut, and catches up', async () => {
    const changes = collector<Change<typeof account>>();
    const errors = collector<Error>();
    subscription = await subscribeChanges({
      url: local,
      tables: [account],
      group: 'cut',
      pollIntervalMs: 60_000,
      handler: (change) => changes.push(change),
      onError: (error) => errors.push(error),
    });
    await database.exec(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen hc_drizzle_feed%'`,
    );
    const [error] = await errors.until(1);
    assert.match(error!.message, /^The change feed could not keep listening: .+ \(retrying\)\.$/);
    await fromSalesforce('After the cut');
    const [change] = await changes.until(1, 10_000);
    assert.equal(change?.row.name, 'After the cut');
    await subscription.stop();
    subscription = undefined;
  });
});
