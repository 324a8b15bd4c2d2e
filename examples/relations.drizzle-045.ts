/**
 * The example app's relations for drizzle-orm 0.45: `relations()`, with
 * `sfOne` for a lookup's relation to its parent's sfid. App tables refer to
 * Heroku Connect rows by Salesforce keys (an External ID, an sfid), with no
 * constraint. `drizzle({ client, schema })` with these gives `db.query`.
 * (On 1.0, `relations()` lives in `drizzle-orm/_relations`, and `db.query`
 * takes examples/relations.drizzle-1.ts.)
 */
import { relations } from 'drizzle-orm';
import { sfOne } from 'hc-drizzle';
import { accountProfile, contactNote } from './app.ts';
import { account, contact, user } from './salesforce.ts';

export const accountRelations = relations(account, ({ one, many }) => ({
  owner: sfOne(one, account.ownerId),
  contacts: many(contact),
  profile: one(accountProfile, { fields: [account.externalId], references: [accountProfile.accountExternalId] }),
}));

export const contactRelations = relations(contact, ({ one }) => ({
  account: sfOne(one, contact.accountId),
}));

export const accountProfileRelations = relations(accountProfile, ({ one }) => ({
  account: one(account, { fields: [accountProfile.accountExternalId], references: [account.externalId] }),
}));

export const contactNoteRelations = relations(contactNote, ({ one }) => ({
  contact: one(contact, { fields: [contactNote.contactSfid], references: [contact.sfid] }),
}));

/** Everything `drizzle({ client, schema })` takes for `db.query`. */
export const schema = {
  user,
  account,
  contact,
  accountProfile,
  contactNote,
  accountRelations,
  contactRelations,
  accountProfileRelations,
  contactNoteRelations,
};
