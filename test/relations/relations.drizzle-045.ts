/** drizzle-orm 0.45: `relations()` with `sfOne`, and a typed `db.query` (run from ./relations.test.ts). */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { eq, relations } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { sfOne } from '../../src/index.ts';
import { schema } from '../../examples/relations.drizzle-045.ts';
import { account, contact } from '../../examples/salesforce.ts';
import { expectType, type Equal } from '../support/type-assertions.ts';
import { EXPECTED, openExampleDatabase } from './fixtures.ts';

const open = (client: PGlite) => drizzle({ client, schema });

// The relation is typed by the parent: its table name, and nullable (a lookup may be empty).
type ContactAccount = ReturnType<(typeof schema.contactRelations)['config']>['account'];
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
      where: eq(contact.lastName, 'Lovelace'),
      columns: { lastName: true },
      with: { account: { columns: { name: true }, with: { owner: { columns: { name: true } } } } },
    });
    expectType<
      Equal<typeof found, { lastName: string | null; account: { name: string | null; owner: { name: string | null } | null } | null } | undefined>
    >();
    assert.deepEqual(found, EXPECTED.lovelace);
  });

  it('an empty lookup gives null, and the parent lists its children', async () => {
    const orphan = await db.query.contact.findFirst({ where: eq(contact.lastName, 'Orphan'), columns: { lastName: true }, with: { account: true } });
    assert.deepEqual({ lastName: orphan?.lastName, account: orphan?.account }, EXPECTED.orphan);
    const acme = await db.query.account.findFirst({
      where: eq(account.name, 'Acme'),
      with: { contacts: { columns: { lastName: true }, orderBy: (c, { asc }) => [asc(c.lastName)] }, profile: { columns: { tier: true } } },
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

  it('sfOne joins on an External ID of the parent when given one', () => {
    const byExternalId = relations(contact, ({ one }) => ({ account: sfOne(one, contact.accountId, account.externalId) }));
    const asked: unknown[] = [];
    byExternalId.config({ one: (table: unknown, config: unknown) => (asked.push(table, config), { withFieldName: () => ({}) }) } as never);
    assert.deepEqual(asked, [account, { fields: [contact.accountId], references: [account.externalId] }]);
  });

  it('sfOne refuses a lookup without a parent, naming the column', () => {
    const loose = relations(contact, ({ one }) => ({
      // @ts-expect-error sfOne takes a lookup column
      parent: sfOne(one, contact.lastName),
    }));
    assert.throws(() => loose.config({ one: () => undefined } as never), /sfOne: the lookup column "lastname" has no `references` parent/);
  });
}
