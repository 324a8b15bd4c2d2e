/**
 * The edge example, bundled for a worker by esbuild, answering requests
 * against the local PostgreSQL through @neondatabase/serverless (over the
 * loopback WebSocket proxy). The Neon driver is left outside the bundle so
 * the test can point its configuration at the proxy; everything else
 * (drizzle, hc-drizzle, the example schema) runs from the bundle.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { createDevelopmentSchema } from '../../src/dev/index.ts';
import type { OpenDatabase } from '../../src/node/database.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import * as salesforce from '../../examples/salesforce.ts';
import { EDGE_BUNDLE_OPTIONS } from '../support/edge-bundle.ts';
import { startNeonProxy, useLocalNeon, type NeonProxy } from '../support/neon-proxy.ts';

const url = process.env['DATABASE_URL'] || undefined;

interface Handler {
  fetch(request: Request, env: { DATABASE_URL: string }): Promise<Response>;
}

let database: OpenDatabase;
let proxy: NeonProxy;
let bundleDir: string;
let handler: Handler;
let env: { DATABASE_URL: string };

before(async () => {
  if (url === undefined) return;
  database = await createTestDatabase({ url });
  await createDevelopmentSchema(database, salesforce);
  await database.exec(`insert into salesforce."user" (sfid, name) values ('005000000000001', 'Ada')`);
  await database.exec(`insert into salesforce.contact (sfid, lastname) values ('003000000000001', 'Lovelace')`);
  const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
  const direct = new URL(url);
  env = { DATABASE_URL: `postgres://${direct.username || 'postgres'}:${direct.password || 'local'}@127.0.0.1:5432/${name}` };

  proxy = await startNeonProxy();
  useLocalNeon(proxy);

  const result = await build({ ...EDGE_BUNDLE_OPTIONS, external: ['@neondatabase/serverless'] });
  // Inside the project, so the bundle's one import resolves to the Neon driver configured above.
  bundleDir = await mkdtemp(join('node_modules', '.edge-handler-'));
  const file = join(process.cwd(), bundleDir, 'handler.mjs');
  await writeFile(file, result.outputFiles[0]!.contents);
  handler = ((await import(file)) as { default: Handler }).default;
});

after(async () => {
  if (url === undefined) return;
  await proxy.close();
  await database.close();
  await rm(bundleDir, { recursive: true, force: true });
});

test('the bundled edge handler writes a read-write table, reads with a join, and answers 403 for a read-only one', { skip: url === undefined && 'needs DATABASE_URL' }, async () => {
  const created = await handler.fetch(
    new Request('http://edge.test/accounts', { method: 'POST', body: JSON.stringify({ name: 'Acme' }) }),
    env,
  );
  assert.equal(created.status, 201);
  const { externalId } = (await created.json()) as { externalId: string };
  assert.match(externalId, /^[0-9a-f]{32}$/);
  await database.exec(`update salesforce.account set ownerid = '005000000000001' where name = 'Acme'`);

  const listed = await handler.fetch(new Request('http://edge.test/accounts'), env);
  assert.equal(listed.status, 200);
  assert.deepEqual(await listed.json(), [{ name: 'Acme', externalId, owner: 'Ada' }]);

  const refused = await handler.fetch(new Request('http://edge.test/contacts/003000000000001', { method: 'DELETE' }), env);
  assert.equal(refused.status, 403);
  assert.equal(((await refused.json()) as { table: string }).table, 'salesforce.contact');
  assert.deepEqual(await database.query('select sfid, lastname from salesforce.contact'), [
    { sfid: '003000000000001', lastname: 'Lovelace' },
  ]);
});
