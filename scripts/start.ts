/**
 * `npm start`: the main job on the example app, with nothing to install and
 * nothing created on any server: find the hcTables, print the Heroku Connect
 * mapping and a one-screen summary.
 */
import { getMapping, sfColumnsOf, sfObjectOf, type HcTableLike } from '../src/index.ts';
import { loadSchema } from '../src/node/load-schema.ts';
import { getTableConfig } from 'drizzle-orm/pg-core';

const out = (text = '') => process.stdout.write(`${text}\n`);

const schema = await loadSchema();
const mapping = getMapping(schema.hcTables);
out(JSON.stringify(mapping, null, 2));

out();
out(`Heroku Connect objects in ${schema.files.map((file) => file.path.replace(`${process.cwd()}/`, '')).join(', ')}:`);
printTable(
  ['object', 'table', 'access', 'fields', 'upsert field', 'polling'],
  schema.hcTables.map((table: HcTableLike) => {
    const object = sfObjectOf(table)!;
    const config = getTableConfig(table);
    const upsert = sfColumnsOf(table).find(({ field }) => field.upsert)?.field.sfName ?? '-';
    return [object.objectName, `${config.schema}.${config.name}`, object.access, String(sfColumnsOf(table).length), upsert, `${object.pollingSeconds / 60} min`];
  }),
);

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  out(line(header));
  out(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) out(line(row));
}
