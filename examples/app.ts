/**
 * The example app's own tables, managed by drizzle-kit (this file is its
 * `schema`). They refer to Heroku Connect rows by Salesforce keys, never by
 * Heroku Connect's `id`, and with relations only (examples/relations.*.ts):
 * no foreign-key constraint into a table Heroku Connect may reload.
 */
import { integer, pgTable, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { herokuConnectSchemaForDrizzleKit } from 'hc-drizzle';

/**
 * Heroku Connect's schema, for drizzle-kit: on drizzle-orm 1.0 `push`/`pull`/`studio`
 * leave it alone and `generate` never creates it; `undefined` on 0.45.
 */
export const herokuConnect = herokuConnectSchemaForDrizzleKit();

/**
 * A hybrid model: app-owned data joined 1:1 to an Account by its external id
 * (known before Salesforce has assigned an sfid).
 */
export const accountProfile = pgTable('account_profile', {
  id: serial('id').primaryKey(),
  accountExternalId: varchar('account_external_id', { length: 32 }).notNull().unique(),
  tier: text('tier').notNull().default('standard'),
  seats: integer('seats').notNull().default(1),
});

/** Notes the app keeps about a contact, by the contact's Salesforce Id. */
export const contactNote = pgTable('contact_note', {
  id: serial('id').primaryKey(),
  contactSfid: varchar('contact_sfid', { length: 18 }).notNull(),
  body: text('body').notNull(),
  createdAt: timestamp('created_at', { mode: 'date' }).notNull().defaultNow(),
});
