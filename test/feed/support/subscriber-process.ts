/**
 * A subscriber in a process of its own, for the kill -9 test: it follows
 * salesforce.account in the group FEED_GROUP on FEED_URL, prints one JSON
 * line per change it starts handling, and never finishes a change whose
 * name starts with "Hang" (the parent kills it there).
 */
import { subscribeChanges } from 'hc-drizzle/feed';
import { account } from '../fixtures.ts';

await subscribeChanges({
  url: process.env['FEED_URL']!,
  tables: [account],
  group: process.env['FEED_GROUP']!,
  leaseMs: Number(process.env['FEED_LEASE_MS']),
  handler: async (change) => {
    process.stdout.write(`${JSON.stringify({ id: change.id, name: change.row.name, attempt: change.attempt })}\n`);
    if (change.row.name?.startsWith('Hang')) await new Promise(() => {});
  },
});
process.stdout.write('ready\n');
