/**
 * `export(pull(db, mapping))` is the mapping, on real exports: each export's
 * tables are built as Heroku Connect would, pulled, and the module pull
 * writes (kept beside the fixtures, so `tsc` checks it with the suite)
 * passes `check` and exports the same mapping again. Compared without what
 * hc-drizzle does not model: when a mapping was applied, and the
 * connection's settings (features, API version, name).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { checkSchema, getMapping, type MappingDocument } from 'hc-drizzle';
import { diffHerokuConnect, formatHerokuConnectDiff, generateSchemaModule, introspectHerokuConnect } from 'hc-drizzle/node';
import type { MappingExport } from '../../src/mapping/mapping-export.ts';
import type { OpenDatabase } from '../../src/node/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { herokuConnectSchemaDdl } from './heroku-connect-schema.ts';
import { REAL_EXPORTS } from './fixtures/real-exports.ts';
const PULLED_AT = new Date('2026-01-01T00:00:00Z');
/** Set to rewrite the generated modules after an intended change to pull's output. */
const UPDATE = process.env['UPDATE_PULL_FIXTURES'] === '1';

/** A mapping as far as hc-drizzle models it: what `export` writes for it. */
function modelled(mapping: MappingExport | MappingDocument) {
  const byName = [...mapping.mappings].sort((a, b) => a.object_name.localeCompare(b.object_name));
  return {
    version: mapping.version,
    mappings: byName.map(({ object_name, config }) => {
      const { applied_at: _applied, revision: _revision, ...rest } = config as typeof config & { applied_at?: unknown; revision?: unknown };
      // Exports from before 2017 list no indexes: Heroku Connect makes those of Id and SystemModstamp.
      return { object_name, config: { ...rest, indexes: rest.indexes ?? { Id: { unique: true }, SystemModstamp: { unique: false } } } };
    }),
  };
}

for (const target of databaseTargets()) {
  describe(`pull on real exports, ${target.name}`, () => {
    let database: OpenDatabase;
    before(async () => {
      database = await target.open();
      await database.exec(REAL_EXPORTS.flatMap((fixture) => herokuConnectSchemaDdl(fixture.schema, fixture.mapping, fixture.types)).join(';\n'));
    });
    after(() => database?.close());

    for (const fixture of REAL_EXPORTS) {
      it(`pulls ${fixture.name} (${fixture.source}) into a module that checks clean, exports the same mapping and shows no drift`, async () => {
        const introspected = await introspectHerokuConnect(database.db, { schema: fixture.schema });
        const generated = generateSchemaModule({
          mapping: fixture.mapping,
          database: introspected,
          pulledFrom: { mapping: `test/pull/fixtures/${fixture.name}.json`, database: 'the test database' },
          pulledAt: PULLED_AT,
        });
        assert.deepEqual(generated.warnings, []);
        const file = new URL(`./fixtures/${fixture.name}.generated.ts`, import.meta.url);
        if (UPDATE) await writeFile(file, generated.source);
        assert.equal(generated.source, await readFile(file, 'utf8'), `pull's output changed: review it, then rerun with UPDATE_PULL_FIXTURES=1`);

        const module = (await import(file.href)) as object;
        assert.deepEqual(checkSchema(module).filter((diagnostic) => diagnostic.level === 'error'), []);
        const { connection } = fixture.mapping;
        const exported = getMapping(module, {
          appName: connection?.app_name ?? '',
          organizationId: connection?.organization_id ?? '',
          ...(connection?.exported_at === undefined ? {} : { exportedAt: connection.exported_at }),
        });
        assert.deepEqual(modelled(exported), modelled(fixture.mapping));
        if (connection !== undefined) {
          assert.deepEqual(exported.connection, {
            app_name: connection.app_name,
            organization_id: connection.organization_id,
            exported_at: connection.exported_at,
          });
        }
        const diff = diffHerokuConnect({ tables: module, mapping: fixture.mapping, database: introspected });
        assert.equal(diff.inSync, true, formatHerokuConnectDiff(diff));
      });
    }
  });
}
