/**
 * checkSchema on a schema of 1,000 objects × 40 fields built in memory (the
 * CLI's file loading is not part of the figure). Prints the first run on
 * fresh tables and the median of warm runs, beside baselines from the same
 * run: Drizzle's own getTableConfig over the same tables (the least any tool
 * that reads a Drizzle schema pays) and getMapping. Target: under 200 ms.
 */
import { performance } from 'node:perf_hooks';
import { getTableConfig } from 'drizzle-orm/pg-core';
import {
  READ_WRITE,
  checkSchema,
  getMapping,
  hcTable,
  sfCheckbox,
  sfDateTime,
  sfEmail,
  sfExternalId,
  sfLookup,
  sfNumber,
  sfPicklist,
  sfText,
  sfTextAreaLong,
  type HcTableLike,
} from '../../src/index.ts';

const OBJECTS = 1000;
const FIELDS = 40;
const WARM_UPS = 3;
const RUNS = 9;
const TARGET_MS = 200;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** One object's columns: an upsert external id, then a mix of builders, with lookups to the previous object. */
function columnsOf(parent: HcTableLike | undefined) {
  const builders = [
    (f: number) => sfText(`Text_${f}__c`),
    (f: number) => sfNumber(`Number_${f}__c`),
    (f: number) => sfDateTime(`DateTime_${f}__c`),
    (f: number) => sfCheckbox(`Checkbox_${f}__c`),
    (f: number) => sfPicklist(`Picklist_${f}__c`, { values: ['One', 'Two', 'Three'] }),
    (f: number) => sfEmail(`Email_${f}__c`, { index: true }),
    (f: number) => sfLookup(`Lookup_${f}__c`, parent === undefined ? {} : { references: () => parent }),
    (f: number) => sfTextAreaLong(`Notes_${f}__c`),
  ];
  const columns: Parameters<typeof hcTable>[1] = { externalId: sfExternalId('External_Id__c') };
  for (let f = 1; f < FIELDS; f++) columns[`f${f}`] = builders[f % builders.length]!(f);
  return columns;
}

function generatedSchema(): Record<string, HcTableLike> {
  const schema: Record<string, HcTableLike> = {};
  let parent: HcTableLike | undefined;
  for (let o = 0; o < OBJECTS; o++) {
    parent = hcTable(`Object_${o}__c`, columnsOf(parent), { access: READ_WRITE });
    schema[`object${o}`] = parent;
  }
  return schema;
}

function time(work: () => unknown): number {
  collectGarbage();
  const started = performance.now();
  work();
  return performance.now() - started;
}

const schema = generatedSchema();
const tables = Object.values(schema);
let diagnostics = checkSchema({});
const coldCheck = time(() => (diagnostics = checkSchema(schema)));
if (diagnostics.length !== 0) throw new Error(`the generated schema should be clean: ${JSON.stringify(diagnostics[0])}`);

const checkTimes: number[] = [];
const configTimes: number[] = [];
const mappingTimes: number[] = [];
for (let run = 0; run < WARM_UPS + RUNS; run++) {
  const check = time(() => checkSchema(schema));
  const config = time(() => tables.forEach((table) => getTableConfig(table)));
  const mapping = time(() => getMapping(schema, { appName: 'bench', organizationId: '00D000000000001' }));
  if (run < WARM_UPS) continue;
  checkTimes.push(check);
  configTimes.push(config);
  mappingTimes.push(mapping);
}

const checkMedian = median(checkTimes);
console.log(`schema: ${OBJECTS} objects × ${FIELDS} fields in memory; median of ${RUNS} runs after ${WARM_UPS} warm-ups`);
console.log(`checkSchema                          ${ms(checkMedian)}   target < ${TARGET_MS} ms: ${checkMedian < TARGET_MS ? 'met' : 'MISSED'}`);
console.log(`  first run, on fresh tables         ${ms(coldCheck)}`);
console.log(`baseline: getTableConfig per table   ${ms(median(configTimes))}   (check/baseline ${(checkMedian / median(configTimes)).toFixed(2)}x)`);
console.log(`baseline: getMapping                 ${ms(median(mappingTimes))}`);
