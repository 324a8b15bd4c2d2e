/**
 * A small trigger log the admin tests read and change: eleven logs written
 * by the real triggers, their states and messages set as Heroku Connect
 * sets them, fixed capture times, four of them archived.
 */
import { eq, sql } from 'drizzle-orm';
import { READ_WRITE, hcTable, sfExternalId, sfText, type AnyPgDatabase } from 'hc-drizzle';
import { asHerokuConnect } from 'hc-drizzle/trigger-log';
import { archiveLogs, failLogs } from '../trigger-log/fixtures.ts';

export const account = hcTable(
  'Account',
  { name: sfText('Name'), accountNumber: sfText('AccountNumber', { length: 40 }), externalId: sfExternalId('External_ID__c') },
  { access: READ_WRITE },
);
export const contact = hcTable('Contact', { lastName: sfText('LastName') }, { access: READ_WRITE });
export const schema = { account, contact };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = AnyPgDatabase;

export const HOSTILE_MESSAGE = `INVALID_FIELD: <script>window.hacked = 1</script><img src=x onerror="window.hacked = 2"> & "quotes"`;
export const SFID_OF_DELETED = '0015g00000DeLeTAAA';

/**
 * Logs, by id (capture time 2024-06-0d 12:mm UTC):
 *  1 INSERT account 1  SUCCESS  archive   06-01
 *  2 INSERT account 2  SUCCESS  archive   06-01
 *  3 INSERT account 3  FAILED   archive   06-02  DUPLICATE_VALUE
 *  4 INSERT account 4  FAILED   archive   06-02  REQUIRED_FIELD_MISSING
 *  5 INSERT account 5  NEW      live      06-02
 *  6 INSERT account 6  PENDING  live      06-03
 *  7 INSERT contact 1  FAILED   live      06-03  the hostile message
 *  8 INSERT contact 2  SUCCESS  live      06-03
 *  9 INSERT contact 3  IGNORED  live      06-04
 * 10 UPDATE account 2  FAILED   live      06-04  FIELD_CUSTOM_VALIDATION_EXCEPTION
 * 11 DELETE account 3  FAILED   live      06-04  ENTITY_IS_DELETED (sfid SFID_OF_DELETED; row gone)
 */
export async function seedLogs(db: Db): Promise<void> {
  await db.insert(account).values([1, 2, 3, 4, 5, 6].map((n) => ({ name: `Account ${n}`, externalId: String(n).repeat(32) })));
  await db.insert(contact).values([1, 2, 3].map((n) => ({ lastName: `Contact ${n}` })));
  await db.update(account).set({ name: 'Account 2 <renamed>', accountNumber: 'N-2' }).where(eq(account.id, 2));
  await asHerokuConnect(db, (tx) => tx.update(account).set({ sfid: SFID_OF_DELETED }).where(eq(account.id, 3)));
  await db.delete(account).where(eq(account.id, 3));
  await db.execute(sql`update salesforce._trigger_log set state = 'SUCCESS' where id in (1, 2, 8)`);
  await db.execute(sql`update salesforce._trigger_log set state = 'PENDING' where id = 6`);
  await db.execute(sql`update salesforce._trigger_log set state = 'IGNORED' where id = 9`);
  await failLogs(db, [3], 'DUPLICATE_VALUE: duplicate value found: External_ID__c duplicates value on record with id: 0015g00000AbCdEAAA');
  await failLogs(db, [4], 'REQUIRED_FIELD_MISSING: Required fields are missing: [Name]');
  await failLogs(db, [7], HOSTILE_MESSAGE);
  await failLogs(db, [10], 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Account number must start with A');
  await failLogs(db, [11], 'ENTITY_IS_DELETED: entity is deleted');
  await db.execute(
    sql`update salesforce._trigger_log set created_at = timestamptz '2024-06-01 12:00:00+00' + (id / 3) * interval '1 day' + id * interval '1 minute'`,
  );
  await archiveLogs(db, [1, 2, 3, 4]);
}
