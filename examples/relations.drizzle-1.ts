/**
 * The example app's relations for drizzle-orm 1.0: `defineRelations()` (RQB
 * v2), with `sfParent` for a lookup's relation to its parent's sfid. App
 * tables refer to Heroku Connect rows by Salesforce keys (an External ID, an
 * sfid), with no constraint. `drizzle({ client, relations })` gives `db.query`.
 * (examples/relations.drizzle-045.ts is the same for 0.45's `relations()`.)
 */
import { defineRelations } from 'drizzle-orm';
import { sfParent } from 'hc-drizzle';
import { accountProfile, contactNote } from './app.ts';
import { account, contact, user } from './salesforce.ts';

export const relations = defineRelations({ user, account, contact, accountProfile, contactNote }, (r) => ({
  account: {
    owner: r.one.user(sfParent(r.account.ownerId, r.user)),
    contacts: r.many.contact(),
    profile: r.one.accountProfile({ from: r.account.externalId, to: r.accountProfile.accountExternalId }),
  },
  contact: {
    account: r.one.account(sfParent(r.contact.accountId, r.account)),
  },
  accountProfile: {
    account: r.one.account({ from: r.accountProfile.accountExternalId, to: r.account.externalId }),
  },
  contactNote: {
    contact: r.one.contact({ from: r.contactNote.contactSfid, to: r.contact.sfid }),
  },
}));
