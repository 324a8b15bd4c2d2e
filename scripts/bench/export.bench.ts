/**
 * `hc-drizzle export` on a generated schema of 1,000 objects × 40 fields.
 * Prints the export itself (getMapping + JSON, on tables it has never seen)
 * beside a baseline from the same run: Drizzle's own getTableConfig over the
 * same tables, the least any tool that reads a Drizzle schema pays.
 * Target: export under 200 ms.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { getMapping, isHcTable } from '../../src/index.ts';
import { importSchemaFile } from '../../src/node/load-schema.ts';
import { generatedSchemaSource } from './generated-schema.ts';

const OBJECTS = 1000;
const FIELDS = 40;
const RUNS = 5;
const TARGET_MS = 200;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;

const dir = await mkdtemp(join(tmpdir(), 'hc-bench-export-'));
const core = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const exportTimes: number[] = [];
const mappingTimes: number[] = [];
const baselineTimes: number[] = [];
const loadTimes: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    // A new file each run, so every run defines fresh tables (no warm caches).
    const file = join(dir, `schema-${run}.ts`);
    await writeFile(file, generatedSchemaSource(core, OBJECTS, FIELDS));
    let started = performance.now();
    const schema = await importSchemaFile(file, dir);
    loadTimes.push(performance.now() - started);

    started = performance.now();
    const mapping = getMapping(schema, { appName: 'bench', organizationId: '00D000000000001' });
    mappingTimes.push(performance.now() - started);
    const json = JSON.stringify(mapping, null, 2);
    exportTimes.push(performance.now() - started);
    if (!json.includes(`Object_${OBJECTS - 1}__c`)) throw new Error('the export missed objects');

    started = performance.now();
    for (const table of Object.values(schema).filter(isHcTable)) getTableConfig(table);
    baselineTimes.push(performance.now() - started);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const exportMedian = median(exportTimes);
console.log(`schema: ${OBJECTS} objects × ${FIELDS} fields, median of ${RUNS} runs`);
console.log(`export (getMapping + JSON)          ${ms(exportMedian)}   target < ${TARGET_MS} ms: ${exportMedian < TARGET_MS ? 'met' : 'MISSED'}`);
console.log(`  of which getMapping                ${ms(median(mappingTimes))}`);
console.log(`baseline: getTableConfig per table  ${ms(median(baselineTimes))}   (export/baseline ${(exportMedian / median(baselineTimes)).toFixed(2)}x)`);
console.log(`loading the schema file with tsx    ${ms(median(loadTimes))}   (not part of the export figure)`);
