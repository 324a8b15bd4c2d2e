/** The Salesforce tables the trigger log tests write to, and helpers acting as Heroku Connect. */
import { sql } from 'drizzle-orm';
import { READ_WRITE, hcTable, sfExternalId, sfLookup, sfText, type AnyPgDatabase } from 'hc-drizzle';

export const account = hcTable(
  'Account',
  { name: sfText('Name'), accountNumber: sfText('AccountNumber', { length: 40 }), externalId: sfExternalId('External_ID__c') },
  { access: READ_WRITE },
);
export const contact = hcTable(
  'Contact',
  { lastName: sfText('LastName'), accountId: sfLookup('AccountId', { references: () => account }), externalId: sfExternalId('External_ID__c') },
  { access: READ_WRITE },
);
/** Read-only, and named like a reserved word (heroku-connect.md §2.1). */
export const user = hcTable('User', { name: sfText('Name') });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = AnyPgDatabase;

/** What Heroku Connect does when Salesforce rejects a write: the live log goes FAILED. */
export async function failLogs(db: Db, ids: readonly number[], message = 'REQUIRED_FIELD_MISSING'): Promise<void> {
  await db.execute(sql`update salesforce._trigger_log set state = 'FAILED', sf_message = ${message}
                       where id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
}

/** Move live logs to the archive, as Heroku Connect does once it has processed them (§3.1). */
export async function archiveLogs(db: Db, ids: readonly number[]): Promise<void> {
  const list = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  await db.execute(sql`insert into salesforce._trigger_log_archive select * from salesforce._trigger_log where id in (${list})`);
  await db.execute(sql`delete from salesforce._trigger_log where id in (${list})`);
}
