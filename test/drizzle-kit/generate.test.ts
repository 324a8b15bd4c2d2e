/**
 * drizzle-kit must never create or migrate Heroku Connect's tables. `generate`
 * ignores schemaFilter (drizzle-notes.md §4), so the example keeps hcTables out
 * of drizzle-kit's schema files; this runs the real drizzle-kit on them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onlyOnDrizzle } from '../support/drizzle-version.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DRIZZLE_KIT = join(ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs');

/** Run `drizzle-kit generate` with the given schema files; return the migration SQL. */
async function generate(dir: string, schema: string[]): Promise<string> {
  const out = join(dir, 'out');
  const config = join(dir, 'drizzle.config.ts');
  await mkdir(dir, { recursive: true });
  await writeFile(config, `export default ${JSON.stringify({ dialect: 'postgresql', schema, out, schemaFilter: ['public'] })};\n`);
  const run = spawnSync(process.execPath, [DRIZZLE_KIT, 'generate', '--config', config], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  // 0.31 writes out/0000_name.sql; 1.0 writes out/<timestamp>_name/migration.sql.
  const files = (await readdir(out, { recursive: true })).filter((file) => file.endsWith('.sql'));
  return (await Promise.all(files.map((file) => readFile(join(out, file), 'utf8')))).join('\n');
}

const createdTables = (migration: string) => [...migration.matchAll(/CREATE TABLE "([^"]+)"(?:\."([^"]+)")?/g)].map((m) => (m[2] ? `${m[1]}.${m[2]}` : m[1]));

describe('drizzle-kit generate on the example app', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hc-drizzle-kit-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('creates only the app tables from the project drizzle.config.ts schema', async () => {
    const { default: config } = (await import('../../drizzle.config.ts')) as { default: { schema: string } };
    const migration = await generate(join(dir, 'app'), [join(ROOT, config.schema)]);
    assert.deepEqual(createdTables(migration).sort(), ['account_profile', 'contact_note']);
    assert.doesNotMatch(migration, /salesforce/i);
    assert.doesNotMatch(migration, /FOREIGN KEY/);
  });

  it('would create Heroku Connect tables if their module were in the schema glob (why they live apart)', async () => {
    const migration = await generate(join(dir, 'both'), [join(ROOT, 'examples/app.ts'), join(ROOT, 'examples/salesforce.ts')]);
    assert.ok(createdTables(migration).includes('salesforce.account'), migration);
    // The app exports herokuConnectSchemaForDrizzleKit(): on 1.0 an existing() schema, never created; nothing on 0.45.
    assert.doesNotMatch(migration, /CREATE SCHEMA/);
  });

  it('on drizzle-orm 1.0, the exported existing() schema keeps CREATE SCHEMA out of generate, not the tables', onlyOnDrizzle('1', 'schemas have no existing() in 0.45'), async () => {
    const { herokuConnect } = await import('../../examples/app.ts');
    assert.equal((herokuConnect as unknown as { isExisting?: boolean } | undefined)?.isExisting, true);
    // A plain pgSchema exported beside the tables is created; the existing() one (in app.ts) is not.
    const plain = await generate(join(dir, 'plain'), [join(ROOT, 'test/drizzle-kit/fixtures/plain-schema.ts')]);
    assert.match(plain, /CREATE SCHEMA "salesforce"/);
    const existing = await generate(join(dir, 'existing'), [join(ROOT, 'examples/salesforce.ts'), join(ROOT, 'examples/app.ts')]);
    assert.doesNotMatch(existing, /CREATE SCHEMA/);
    assert.ok(createdTables(existing).includes('salesforce.account'), existing);
  });

  it('on drizzle-orm 0.45 there is no schema to export: herokuConnectSchemaForDrizzleKit() is undefined', onlyOnDrizzle('0.45', '1.0 has pgSchema().existing()'), async () => {
    const { herokuConnect } = await import('../../examples/app.ts');
    assert.equal(herokuConnect, undefined);
  });
});
