/**
 * The change feed, end to end: latency from Heroku Connect's write (a
 * committed transaction in its session) to the handler, beside a bare
 * LISTEN/NOTIFY round trip on the same database in the same run; changes
 * delivered per second from a backlog of 10,000; and what the capture
 * trigger adds to Heroku Connect's own writes. PostgreSQL (DATABASE_URL,
 * else the local server) and PGlite.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { hcTable, READ_WRITE, sfText } from '../../src/index.ts';
import { createDevelopmentSchema } from '../../src/dev/index.ts';
import { installChangeFeed, subscribeChanges, type ChangeSubscription } from '../../src/feed/index.ts';
import type { OpenDatabase } from '../../src/node/database.ts';
import { BENCH_POSTGRES_URL, onBenchDatabases } from './databases.ts';
import { asHerokuConnect } from '../../src/trigger-log/index.ts';

const SAMPLES = 200;
const BACKLOG = 10_000;

const account = hcTable('Account', { name: sfText('Name') }, { access: READ_WRITE });
let sfids = 0;
const nextSfid = () => `001${String(++sfids).padStart(12, '0')}AAA`;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const ms = (value: number) => `${value.toFixed(2).padStart(7)} ms`;
const line = (label: string, values: number[]) => `  ${label.padEnd(44)} p50 ${ms(percentile(values, 50))}   p95 ${ms(percentile(values, 95))}\n`;

/** One NOTIFY to a listener on another connection (PostgreSQL) or the same instance (PGlite), SAMPLES times. */
async function bareRoundTrips(database: OpenDatabase, url: string | undefined): Promise<number[]> {
  let received: (() => void) | undefined;
  let unlisten: () => Promise<void>;
  if (url === undefined) {
    const client = (database.db as unknown as { $client: { listen(c: string, f: () => void): Promise<() => Promise<void>> } }).$client;
    unlisten = await client.listen('bench_bare', () => received?.());
  } else {
    // NOTIFY stays in its database: listen on the test database itself.
    const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
    const target = new URL(url);
    target.pathname = `/${name}`;
    const listener = new pg.Client({ connectionString: target.toString() });
    await listener.connect();
    listener.on('notification', () => received?.());
    await listener.query('listen bench_bare');
    unlisten = () => listener.end();
  }
  const samples: number[] = [];
  for (let n = 0; n < SAMPLES; n++) {
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const start = performance.now();
    await database.query(`select pg_notify('bench_bare', 'ping')`);
    await arrived;
    samples.push(performance.now() - start);
  }
  await unlisten();
  return samples;
}

/** The write alone, as Heroku Connect makes it (its transaction, with the capture trigger): the floor under the feed's latency. */
async function writesAlone(database: OpenDatabase): Promise<number[]> {
  const samples: number[] = [];
  for (let n = 0; n < SAMPLES; n++) {
    const start = performance.now();
    await asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: nextSfid(), name: 'Write alone' }));
    samples.push(performance.now() - start);
  }
  return samples;
}

/** A write as Heroku Connect makes it, then the handler's call: SAMPLES times, one at a time. */
async function feedRoundTrips(database: OpenDatabase, pool: object): Promise<number[]> {
  let received: (() => void) | undefined;
  const subscription = await subscribeChanges({ pool, tables: [account], group: 'latency', handler: () => received?.() });
  const samples: number[] = [];
  try {
    for (let n = 0; n < SAMPLES; n++) {
      const arrived = new Promise<void>((resolve) => (received = resolve));
      const start = performance.now();
      await asHerokuConnect(database.db, (tx) => tx.insert(account).values({ sfid: nextSfid(), name: 'Latency' }));
      await arrived;
      samples.push(performance.now() - start);
    }
  } finally {
    await subscription.stop();
  }
  return samples;
}

const writeBacklog = (database: OpenDatabase) =>
  asHerokuConnect(database.db, async (tx) => {
    for (let at = 0; at < BACKLOG; at += 1000) {
      await tx.insert(account).values(Array.from({ length: 1000 }, () => ({ sfid: nextSfid(), name: 'Backlog' })));
    }
  });

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function bench(name: string, database: OpenDatabase): Promise<boolean> {
  const url = name === 'PostgreSQL' ? BENCH_POSTGRES_URL : undefined;
  let subscription: ChangeSubscription | undefined;
  try {
    await createDevelopmentSchema(database, { account });
    const pool = (database.db as unknown as { $client: object }).$client;
    const withoutFeed = await timed(() => writeBacklog(database));
    await installChangeFeed(database.db, [account], { groups: ['throughput'] });
    const bare = await bareRoundTrips(database, url);
    const write = await writesAlone(database);
    const feed = await feedRoundTrips(database, pool);

    const withFeed = await timed(() => writeBacklog(database));
    let handled = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const start = performance.now();
    subscription = await subscribeChanges({
      pool,
      tables: [account],
      group: 'throughput',
      batchSize: 500,
      handler: () => {
        if (++handled === BACKLOG + 2 * SAMPLES) done();
      },
    });
    await all;
    const seconds = (performance.now() - start) / 1000;
    process.stdout.write(
      `${name}\n` +
        line('bare LISTEN/NOTIFY round trip (baseline)', bare) +
        line("Heroku Connect's write alone (its commit)", write) +
        line("Heroku Connect's write -> handler", feed) +
        `  delivered from a backlog (batches of 500)     ${Math.round(handled / seconds).toLocaleString('en-US')} changes/s (${handled} in ${seconds.toFixed(2)} s)\n` +
        `  ${BACKLOG.toLocaleString('en-US')} Heroku Connect inserts, with capture    ${withFeed.toFixed(0)} ms (without the feed: ${withoutFeed.toFixed(0)} ms)\n`,
    );
  } finally {
    await subscription?.stop();
  }
  return true; // no target: the figures stand beside their baselines
}

await onBenchDatabases(bench);
