/**
 * `npm start`: the main job on the example app, with nothing to install and
 * nothing created on any server: find the hcTables, print the Heroku Connect
 * mapping and a one-screen summary, check the schema, then build the
 * development schema in embedded PGlite (in memory) and show one local write
 * going through the trigger log, one refused by the read-only guard, and
 * the write going out through the emulator and coming back with an sfid.
 */
import { eq } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { getMapping, guardReadOnly, sfColumnsOf, sfObjectOf, WriteNotSupportedError, type HcTableLike } from '../src/index.ts';
import { main } from '../src/cli/main.ts';
import { formatLogTable } from '../src/cli/logs.ts';
import { createDevelopmentSchema } from '../src/dev/index.ts';
import { openDatabase } from '../src/node/database.ts';
import { loadSchema } from '../src/node/load-schema.ts';
import { listLogs } from '../src/trigger-log/index.ts';
import { startEmulator } from '../src/emulator/index.ts';
import * as example from '../examples/salesforce.ts';

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

out();
out('$ hc-drizzle check');
await main(['check']);

out();
out('Development schema in embedded PGlite (in memory):');
const database = await openDatabase({ pgliteDir: 'memory://' });
try {
  const created = await createDevelopmentSchema(database, example);
  out(`  created ${created.tables.join(', ')} with Heroku Connect's triggers and trigger log`);
  const db = guardReadOnly(database.db);
  const [inserted] = await db
    .insert(example.account)
    .values({ name: 'Acme Corp', industry: 'Energy', annualRevenue: 1_200_000 })
    .returning({ id: example.account.id, externalId: example.account.externalId });
  await db.update(example.account).set({ industry: 'Technology' }).where(eq(example.account.id, inserted!.id));
  const [row] = await db.select({ hcLastop: example.account.hcLastop }).from(example.account);
  out(`  inserted and updated account ${inserted!.externalId}: _hc_lastop is ${row?.hcLastop}; the trigger log now holds:`);
  out(formatLogTable(await listLogs(db)).replace(/^/gm, '    '));
  try {
    // The guard refuses before any SQL is sent: user is a read-only mapping.
    db.delete(example.user as never);
  } catch (error) {
    if (!(error instanceof WriteNotSupportedError)) throw error;
    out(`  guardReadOnly: ${error.message}`);
  }

  out();
  out('The emulator (hc-drizzle/emulator): Heroku Connect and a Salesforce org over the same database:');
  const emulator = await startEmulator({ db: database.db, schema: example });
  try {
    const cycle = await emulator.sync();
    const { writtenOut: w, polledIn: p } = cycle;
    out(`  one sync cycle: ${w.success} written to Salesforce, ${w.merged} merged, ${w.failed} failed; ${p.inserted} row${p.inserted === 1 ? '' : 's'} in from Salesforce`);
    const [synced] = await db.select({ sfid: example.account.sfid, hcLastop: example.account.hcLastop }).from(example.account).where(eq(example.account.id, inserted!.id));
    out(`  account ${inserted!.externalId} came back with sfid ${synced?.sfid}, _hc_lastop ${synced?.hcLastop}; the trigger log:`);
    out(formatLogTable(await listLogs(db)).replace(/^/gm, '    '));
    const response = await fetch(`${emulator.salesforceUrl}/services/data/v62.0/sobjects/Account/${synced?.sfid}?fields=Name,Industry,OwnerId`, {
      headers: { Authorization: `Bearer ${emulator.credentials.accessToken}` },
    });
    out(`  GET ${emulator.salesforceUrl}/services/data/v62.0/sobjects/Account/${synced?.sfid}: ${JSON.stringify(await response.json())}`);
    await emulator.org.update('Account', synced!.sfid!, { Industry: 'Banking' });
    await emulator.sync();
    const [back] = await db.select({ industry: example.account.industry, hcLastop: example.account.hcLastop }).from(example.account).where(eq(example.account.id, inserted!.id));
    out(`  changed in Salesforce, polled in: industry ${back?.industry}, _hc_lastop ${back?.hcLastop} (not logged)`);
  } finally {
    await emulator.close();
  }
} finally {
  await database.close();
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  out(line(header));
  out(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) out(line(row));
}
