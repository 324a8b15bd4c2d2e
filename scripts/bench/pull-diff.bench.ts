/**
 * `hc-drizzle pull` and `hc-drizzle diff` on a connection of 1,000 objects ×
 * 40 fields, as whole processes on PostgreSQL (DATABASE_URL, else the local
 * server), each run from a cold start. Printed beside the catalog queries
 * alone (introspectHerokuConnect in a warm process) and the CLI's own start
 * (`--version`), measured in the same run. Target: each command ≤ 2 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { introspectHerokuConnect } from '../../src/pull/introspect.ts';
import { parseMappingExport } from '../../src/mapping/mapping-export.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';
import { herokuConnectSchemaDdl, type FieldTypes } from '../../test/pull/heroku-connect-schema.ts';
import { BENCH_POSTGRES_URL } from './databases.ts';

const OBJECTS = 1000;
const FIELDS = 40;
const RUNS = 3;
const TARGET_MS = 2000;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = `${ROOT}dist/cli/bin.js`;
// In the repository (its tmp/ is ignored), so the pulled module resolves hc-drizzle.
const WORK = `${ROOT}tmp/bench-pull-diff-${process.pid}/`;

/** Field kinds in turn, with the column type Heroku Connect gives each (heroku-connect.md §1). */
const KINDS: readonly { suffix: string; type: string; index?: boolean }[] = [
  { suffix: 'Text', type: 'varchar(255)' },
  { suffix: 'Number', type: 'double precision' },
  { suffix: 'When', type: 'timestamp without time zone' },
  { suffix: 'Flag', type: 'boolean' },
  { suffix: 'Choice', type: 'varchar(255)' },
  { suffix: 'Email', type: 'varchar(80)', index: true },
  { suffix: 'Parent', type: 'varchar(18)', index: true },
  { suffix: 'Notes', type: 'text' },
];

function connection() {
  const types: Record<string, Record<string, string>> = {};
  const mappings = [];
  for (let o = 0; o < OBJECTS; o++) {
    const object = `Object_${o}__c`;
    const fields: Record<string, object> = { Id: {}, IsDeleted: {}, SystemModstamp: {}, External_Id__c: {} };
    const indexes: Record<string, { unique: boolean }> = { Id: { unique: true }, SystemModstamp: { unique: false }, External_Id__c: { unique: true } };
    const columnTypes: Record<string, string> = { External_Id__c: 'varchar(32)' };
    for (let f = 1; f < FIELDS; f++) {
      const kind = KINDS[f % KINDS.length]!;
      const name = `${kind.suffix}_${f}__c`;
      fields[name] = {};
      columnTypes[name] = kind.type;
      if (kind.index) indexes[name] = { unique: false };
    }
    types[object] = columnTypes;
    mappings.push({
      object_name: object,
      config: { access: 'read_write', sf_notify_enabled: false, sf_polling_seconds: 600, sf_max_daily_api_calls: 30000, fields, indexes, upsert_field: 'External_Id__c' },
    });
  }
  return { mapping: { version: 1, connection: { app_name: 'bench', organization_id: '00D000000000001', exported_at: '2026-01-01T00:00:00+00:00' }, mappings }, types: types as FieldTypes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${Math.round(value)} ms`;

/** Wall time of a whole `hc-drizzle` process, median of RUNS; fails loudly on a wrong exit code. */
function processTime(args: string[], expectedCode: number): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: undefined } });
    times.push(performance.now() - started);
    if (result.status !== expectedCode) throw new Error(`hc-drizzle ${args[0]} exited ${result.status}: ${result.stderr}`);
  }
  return median(times);
}

const database = await createTestDatabase({ url: BENCH_POSTGRES_URL });
await mkdir(WORK, { recursive: true });
try {
  const { mapping, types } = connection();
  let started = performance.now();
  // In transactions of 500 statements: one of all ~6,000 would hold a lock per
  // table, index and sequence at once, more than the server's shared lock
  // table holds while other work runs ("out of shared memory").
  const ddl = herokuConnectSchemaDdl('salesforce', parseMappingExport(mapping, 'the bench mapping'), types);
  for (let from = 0; from < ddl.length; from += 500) await database.exec(ddl.slice(from, from + 500).join(';\n'));
  const buildMs = performance.now() - started;
  const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  const mappingFile = `${WORK}mapping.json`;
  const moduleFile = `${WORK}salesforce.ts`;
  await writeFile(mappingFile, JSON.stringify(mapping));

  const catalogTimes: number[] = [];
  let tables = 0;
  for (let run = 0; run < RUNS; run++) {
    started = performance.now();
    tables = (await introspectHerokuConnect(database.db, { schema: 'salesforce' })).tables.length;
    catalogTimes.push(performance.now() - started);
  }
  if (tables !== OBJECTS) throw new Error(`the catalog held ${tables} tables, not ${OBJECTS}`);

  const startMs = processTime(['--version'], 0);
  const pullMs = processTime(['pull', '--mapping', mappingFile, '--url', url.toString(), '-o', moduleFile], 0);
  const diffMs = processTime(['diff', '--schema', moduleFile, '--mapping', mappingFile, '--url', url.toString()], 0);

  const verdict = (value: number) => (value <= TARGET_MS ? 'met' : 'MISSED');
  console.log(`connection: ${OBJECTS} objects × ${FIELDS} fields on PostgreSQL (built in ${ms(buildMs)}), median of ${RUNS} runs`);
  console.log(`pull, whole process                  ${ms(pullMs)}   target ≤ ${TARGET_MS} ms: ${verdict(pullMs)}`);
  console.log(`diff, whole process                  ${ms(diffMs)}   target ≤ ${TARGET_MS} ms: ${verdict(diffMs)}`);
  console.log(`baseline: the catalog queries alone  ${ms(median(catalogTimes))}   (introspectHerokuConnect, warm connection)`);
  console.log(`baseline: hc-drizzle --version       ${ms(startMs)}   (a process that starts and exits)`);
} finally {
  await database.close();
  await rm(WORK, { recursive: true, force: true });
}
