/**
 * drizzle-orm 1.0: `defineRelations()` with `sfParent` and a typed `db.query`
 * (RQB v2), and `relations()` from `drizzle-orm/_relations` still taking an
 * hcTable and `sfOne` (run from ./relations.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { defineRelations } from 'drizzle-orm';
import { relations as legacyRelations } from 'drizzle-orm/_relations';
import { drizzle } from 'drizzle-orm/pglite';
import { sfOne, sfParent } from '../../src/index.ts';
import { relations } from '../../examples/relations.drizzle-1.ts';
import { account, contact } from '../../examples/salesforce.ts';
import { expectType, type Equal } from '../support/type-assertions.ts';
import { EXPECTED, openExampleDatabase } from './fixtures.ts';

const open = (client: PGlite) => drizzle({ client, relations });

// relations() of drizzle-orm/_relations takes an hcTable, and sfOne types the parent.
const contactRelations = legacyRelations(contact, ({ one }) => ({ account: sfOne(one, contact.accountId) }));
type ContactAccount = ReturnType<(typeof contactRelations)['config']>['account'];
expectType<Equal<ContactAccount['referencedTableName'], 'account'>>();

export function defineTests(): void {
  let client: PGlite;
  let db: ReturnType<typeof open>;
  before(async () => {
    client = await openExampleDatabase();
    db = open(client);
  });
  after(() => client.close());

  it('joins a lookup to its parent on sfid, two levels deep, typed', async () => {
    const found = await db.query.contact.findFirst({
      where: { lastName: 'Lovelace' },
      columns: { lastName: true },
      with: { account: { columns: { name: true }, with: { owner: { columns: { name: true } } } } },
    });
    expectType<
      Equal<typeof found, { lastName: string | null; account: { name: string | null; owner: { name: string | null } | null } | null } | undefined>
    >();
    assert.deepEqual(found, EXPECTED.lovelace);
  });

  it('an empty lookup gives null, and the parent lists its children', async () => {
    const orphan = await db.query.contact.findFirst({ where: { lastName: 'Orphan' }, columns: { lastName: true }, with: { account: true } });
    assert.deepEqual({ lastName: orphan?.lastName, account: orphan?.account }, EXPECTED.orphan);
    const acme = await db.query.account.findFirst({
      where: { name: 'Acme' },
      with: { contacts: { columns: { lastName: true }, orderBy: { lastName: 'asc' } }, profile: { columns: { tier: true } } },
    });
    expectType<Equal<NonNullable<typeof acme>['contacts'], { lastName: string | null }[]>>();
    assert.deepEqual(
      acme?.contacts.map((c) => c.lastName),
      EXPECTED.acmeContacts,
    );
    assert.deepEqual(acme?.profile, EXPECTED.acmeProfile);
  });

  it('joins app tables to Heroku Connect rows by External ID and sfid', async () => {
    const note = await db.query.contactNote.findFirst({
      columns: {},
      with: { contact: { columns: { lastName: true }, with: { account: { columns: { name: true } } } } },
    });
    assert.deepEqual(note?.contact, EXPECTED.noteContact);
  });

  it('sfParent refuses a column that is not a lookup, and a parent without the column', () => {
    assert.throws(
      () => defineRelations({ account, contact }, (r) => ({ contact: { account: r.one.account(sfParent(r.contact.lastName, r.account)) } })),
      /sfParent: "lastname" is not an sfLookup or sfMasterDetail column/,
    );
    assert.throws(
      () => defineRelations({ account, contact }, (r) => ({ contact: { account: r.one.account(sfParent(r.contact.accountId, r.account, 'nope' as never)) } })),
      /sfParent: the parent of "accountid" has no column "nope"/,
    );
    // By External ID: the parent column named.
    const byExternalId = defineRelations({ account, contact }, (r) => ({
      contact: { account: r.one.account(sfParent(r.contact.accountId, r.account, 'externalId')) },
    }));
    assert.ok(byExternalId.contact.relations.account);
  });
}
