/**
 * Values make the trip to the database and back as a user expects: datetimes
 * in UTC whatever the process time zone, external ids as 32 hex digits,
 * multi-picklists as arrays stored `A;B`. The DDL is Heroku Connect's own
 * column types (heroku-connect.md §1, §2.2), written out by hand.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import { READ_WRITE, hcTable, sfCheckbox, sfCurrency, sfDate, sfDateTime, sfExternalId, sfMultiPicklist, sfPicklist, sfText, sfTime } from 'hc-drizzle';
import type { OpenDatabase } from '../../src/node/database.ts';
import { databaseTargets } from '../support/databases.ts';

// A time zone far from UTC, so local-time mistakes show.
process.env['TZ'] = 'America/New_York';

const order = hcTable(
  'Order__c',
  {
    name: sfText('Name'),
    placedAt: sfDateTime('Placed_At__c'),
    shipDate: sfDate('Ship_Date__c'),
    cutoff: sfTime('Cutoff__c'),
    externalId: sfExternalId('External_Id__c'),
    status: sfPicklist('Status__c', { values: ['Draft', 'Placed'] }),
    channels: sfMultiPicklist('Channels__c', { values: ['Web', 'Phone', 'Store'] }),
    total: sfCurrency('Total__c'),
    gift: sfCheckbox('Gift__c'),
  },
  { access: READ_WRITE },
);

const DDL = `
  create schema salesforce;
  create table salesforce.order__c (
    id serial primary key,
    sfid varchar(18) unique,
    systemmodstamp timestamp without time zone,
    isdeleted boolean,
    _hc_lastop varchar(32),
    _hc_err text,
    name varchar(255),
    placed_at__c timestamp without time zone,
    ship_date__c date,
    cutoff__c time,
    external_id__c varchar(32) unique,
    status__c varchar(255),
    channels__c varchar(4099),
    total__c double precision,
    gift__c boolean
  );`;

for (const target of databaseTargets()) {
  describe(`column values on ${target.name}`, () => {
    let database: OpenDatabase;
    before(async () => {
      database = await target.open();
      await database.exec(DDL);
    });
    after(() => database?.close());

    it('stores a datetime as UTC wall time and reads the same instant back', async () => {
      const placedAt = new Date('2024-06-01T12:34:56.789Z');
      await database.db.insert(order).values({ name: 'utc', placedAt });
      const [raw] = await database.query<{ placed: string }>(
        `select to_char(placed_at__c, 'YYYY-MM-DD HH24:MI:SS.MS') as placed from salesforce.order__c where name = 'utc'`,
      );
      assert.equal(raw?.placed, '2024-06-01 12:34:56.789');
      const [row] = await database.db.select().from(order).where(eq(order.placedAt, placedAt));
      assert.equal(row?.placedAt?.toISOString(), '2024-06-01T12:34:56.789Z');
    });

    it('stores a dashed UUID external id as 32 hex digits and finds it by either form', async () => {
      const dashed = '0F8FAD5B-D9CB-469F-A165-70867728950E';
      await database.db.insert(order).values({ name: 'uuid', externalId: dashed });
      const [raw] = await database.query<{ external_id__c: string }>(`select external_id__c from salesforce.order__c where name = 'uuid'`);
      assert.equal(raw?.external_id__c, '0f8fad5bd9cb469fa16570867728950e');
      const [found] = await database.db.select({ name: order.name }).from(order).where(eq(order.externalId, dashed));
      assert.equal(found?.name, 'uuid');
    });

    it('fills a fresh external id when none is given', async () => {
      const [inserted] = await database.db.insert(order).values({ name: 'fresh' }).returning({ externalId: order.externalId });
      assert.match(inserted?.externalId ?? '', /^[0-9a-f]{32}$/);
    });

    it('stores a multi-picklist as A;B and reads an array', async () => {
      await database.db.insert(order).values({ name: 'multi', channels: ['Web', 'Store'] });
      const [raw] = await database.query<{ channels__c: string }>(`select channels__c from salesforce.order__c where name = 'multi'`);
      assert.equal(raw?.channels__c, 'Web;Store');
      const [row] = await database.db.select({ channels: order.channels }).from(order).where(eq(order.name, 'multi'));
      assert.deepEqual(row?.channels, ['Web', 'Store']);
      await database.exec(`update salesforce.order__c set channels__c = '' where name = 'multi'`);
      const [empty] = await database.db.select({ channels: order.channels }).from(order).where(eq(order.name, 'multi'));
      assert.deepEqual(empty?.channels, []);
    });

    it('keeps dates, times, picklists, currency and checkboxes as given', async () => {
      const values = { name: 'plain', shipDate: '2024-02-29', cutoff: '17:30:00', status: 'Placed', total: 1234.5, gift: true } as const;
      await database.db.insert(order).values(values);
      const [row] = await database.db
        .select({ name: order.name, shipDate: order.shipDate, cutoff: order.cutoff, status: order.status, total: order.total, gift: order.gift })
        .from(order)
        .where(eq(order.name, 'plain'));
      assert.deepEqual(row, values);
      const [count] = await database.db.select({ n: sql<number>`count(*)::int` }).from(order);
      assert.equal(count?.n, 5);
    });
  });
}
