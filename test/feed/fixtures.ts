/** The hcTables the feed tests follow, and helpers to collect what a subscriber handles. */
import { hcTable, READ_WRITE, sfCheckbox, sfDate, sfDateTime, sfExternalId, sfInteger, sfNumber, sfText } from 'hc-drizzle';
import type { HcTestDatabase } from 'hc-drizzle/testing';

export const account = hcTable(
  'Account',
  {
    name: sfText('Name'),
    creditLimit: sfNumber('Credit_Limit__c'),
    employees: sfInteger('NumberOfEmployees'),
    active: sfCheckbox('Active__c'),
    renewsOn: sfDate('Renews_On__c'),
    closedAt: sfDateTime('Closed_At__c'),
    externalId: sfExternalId('External_ID__c'),
  },
  { access: READ_WRITE },
);
/** Read-only (the default), like most mappings. */
export const contact = hcTable('Contact', { lastName: sfText('LastName', { length: 80 }) });

/** An 18-character Salesforce record Id for `n` (`prefix` is the object's three-character key prefix). */
export const sfidOf = (prefix: string, n: number) => `${prefix}${String(n).padStart(12, '0')}AAA`;

/** Forget the feed (schema, triggers, groups) and empty the tables: a clean start for the next test. */
export async function resetFeed(database: HcTestDatabase): Promise<void> {
  await database.exec('drop schema if exists hc_drizzle_feed cascade');
  await database.reset();
}

/** Collects what a handler receives; `until(n)` resolves once it has `n` (rejects after `ms`). */
export function collector<T>() {
  const items: T[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      waiters = waiters.filter((waiter) => (items.length >= waiter.count ? (waiter.resolve(), false) : true));
    },
    until(count: number, ms = 15_000): Promise<T[]> {
      if (items.length >= count) return Promise.resolve(items);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${items.length} of ${count} within ${ms} ms`)), ms);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(items)) });
      });
    },
  };
}

/** The raw client of a test database: what subscribeChanges takes as `pool`. */
export const poolOf = (database: HcTestDatabase): object => (database.db as unknown as { $client: object }).$client;
