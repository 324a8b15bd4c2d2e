/**
 * How Heroku Connect's writes are told apart from an application's, and how
 * it is woken: the one place these conventions are written (heroku-connect.md
 * §2.3, §2.4, §3.3). Edge-safe.
 */
import { sql } from 'drizzle-orm';
import type { AnyPgDatabase } from '../compat.ts';

/**
 * The `xmlbinary` setting of an application's session: PostgreSQL's default.
 * Heroku Connect's triggers log and mark PENDING only writes made with it.
 */
export const APPLICATION_XMLBINARY = 'base64';

/**
 * The `xmlbinary` setting hc-drizzle gives a session that writes as Heroku
 * Connect does: anything but {@link APPLICATION_XMLBINARY} (the triggers
 * only compare with that), so not logged and marked SYNCED.
 */
export const HEROKU_CONNECT_XMLBINARY = 'hex';

/** The `pg_notify` channel the trigger log's insert trigger pings to wake Heroku Connect (`<schema>.hc_trigger_log`). */
export function triggerLogChannel(schema: string): string {
  return `${schema}.hc_trigger_log`;
}

/**
 * Run `work(tx)` in a transaction whose session writes as Heroku Connect
 * does (`set local xmlbinary`): its changes to mapped tables are not logged
 * and their rows become SYNCED, unless `work` sets `_hc_lastop` itself.
 * The setting ends with the transaction.
 *
 * @example
 * await asHerokuConnect(db, (tx) => tx.insert(account).values({ name: 'From Salesforce', sfid }));
 */
export function asHerokuConnect<T>(db: AnyPgDatabase, work: (tx: AnyPgDatabase) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('xmlbinary', ${HEROKU_CONNECT_XMLBINARY}, true)`);
    return work(tx as unknown as AnyPgDatabase);
  });
}
