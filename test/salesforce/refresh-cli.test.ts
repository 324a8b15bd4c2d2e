/** `hc-drizzle refresh <Object>`: against an org answering in the documented REST shapes, into a PGlite development schema. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDevelopmentSchema } from 'hc-drizzle/dev';
import { openDatabase } from '../../src/node/database.ts';
import { runCli, runMain } from '../support/cli.ts';
import { CLIENT, newId, startDocumentedOrg, type DocumentedOrg } from './documented-org.ts';
import { contact } from './fixtures/schema.ts';

const SCHEMA = fileURLToPath(new URL('./fixtures/schema.ts', import.meta.url));

describe('hc-drizzle refresh', () => {
  let cwd: string;
  let org: DocumentedOrg;
  let env: Record<string, string | undefined>;
  const args = (...extra: string[]) => ['refresh', 'Contact', '--schema', SCHEMA, '--url', `pglite:${join(cwd, 'db')}`, ...extra];

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'hc-refresh-cli-'));
    const database = await openDatabase({ pgliteDir: join(cwd, 'db') });
    try {
      await createDevelopmentSchema(database, { contact });
    } finally {
      await database.close();
    }
    org = await startDocumentedOrg({ Contact: { prefix: '003', fields: [{ name: 'LastName', type: 'string' }, { name: 'Last_Seen__c', type: 'datetime' }, { name: 'External_ID__c', type: 'string' }] } });
    for (let n = 0; n < 3; n++) {
      const id = newId('003');
      org.records.get('Contact')!.set(id, { Id: id, LastName: `Row ${n}`, Last_Seen__c: '2024-05-01T12:00:00.000+0000', SystemModstamp: '2024-05-02T00:00:00.000+0000', IsDeleted: false });
    }
    org.setPageSize(2);
    env = {
      SALESFORCE_INSTANCE_URL: org.url,
      SALESFORCE_CLIENT_ID: CLIENT.clientId,
      SALESFORCE_CLIENT_SECRET: CLIENT.clientSecret,
      SALESFORCE_API_VERSION: '60.0',
      DATABASE_URL: undefined,
    };
  });
  after(async () => {
    await org.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('pulls the records into the table with progress on stderr, never showing the secret', async () => {
    const result = await runCli(args('--verbose'), { cwd, env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Refreshing Contact since its newest local change…/);
    assert.match(result.stderr, /Contact: 2 of 3 records written, 0 deleted\./);
    assert.match(result.stderr, /Contact: 3 of 3 records written, 0 deleted\./);
    assert.match(result.stderr, /POST http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/token/);
    assert.equal(result.stdout, 'Contact: 3 records written and 0 rows deleted, a full load, in 2 API requests; the org has used 3 of 15000 daily API requests.\n');
    assert.ok(!(result.stdout + result.stderr).includes(CLIENT.clientSecret));

    const again = await runMain(args('--since', '2024-05-01T00:00:00Z'), { cwd, env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Contact: 3 records written and 0 rows deleted, since 2024-05-01T00:00:00\.000Z \(deletes looked up since .*\), in 3 API requests/);
  });

  it('exits 2 on a bad --since, an unknown object or missing settings, before any request', async () => {
    const before = org.requests.length;
    const since = await runMain(args('--since', 'June 1'), { cwd, env });
    assert.equal(since.code, 2);
    assert.equal(since.stderr, 'hc-drizzle: --since must be an ISO 8601 time such as 2024-06-01T12:00:00Z, not "June 1".\n');
    const unknown = await runMain(['refresh', 'Opportunity', '--schema', SCHEMA], { cwd, env });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'hc-drizzle: No hcTable maps the Salesforce object Opportunity (the schema maps Contact).\n');
    const missing = await runMain(args(), { cwd, env: { ...env, SALESFORCE_INSTANCE_URL: undefined } });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^hc-drizzle: SALESFORCE_INSTANCE_URL is not set/);
    const secret = await runMain(args(), { cwd, env: { ...env, SALESFORCE_CLIENT_SECRET: 'has white space' } });
    assert.equal(secret.code, 2);
    assert.equal(secret.stderr, 'hc-drizzle: SALESFORCE_CLIENT_SECRET is invalid: the value must not contain white space.\n');
    assert.equal(org.requests.length, before);
  });
});
