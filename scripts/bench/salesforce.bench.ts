/**
 * hc-drizzle/salesforce's bulk push against the emulator's REST API:
 * `pushRecords` of 1,000 rows (sObject Collections, 200 records a request)
 * beside the baseline measured in the same run, the same 1,000 rows pushed
 * with one `pushRecord` request each. Both write the Ids back into the table
 * in Heroku Connect's session (`{ db }`), on PostgreSQL (DATABASE_URL, else
 * the local server) and PGlite. Records per second, and API requests spent.
 */
import { performance } from 'node:perf_hooks';
import { READ_WRITE, hcTable, sfExternalId, sfText } from '../../src/index.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createSalesforceClient, pushRecord, pushRecords, type SalesforceClient } from '../../src/salesforce/index.ts';
import { onBenchDatabases } from './databases.ts';

const ROWS = 1000;

const account = hcTable(
  'Account',
  { name: sfText('Name'), accountNumber: sfText('AccountNumber', { length: 40 }), externalId: sfExternalId('External_ID__c') },
  { access: READ_WRITE },
);

const rows = (label: string) => Array.from({ length: ROWS }, (_, n) => ({ name: `${label} ${n}`, accountNumber: `${label}-${n}` }));

const met = await onBenchDatabases(async (name, database) => {
  const emulator = await startEmulator({ db: database.db, schema: [account] });
  try {
    const { clientId, clientSecret } = emulator.credentials;
    const client = (): SalesforceClient =>
      createSalesforceClient({ instanceUrl: emulator.salesforceUrl, auth: { kind: 'client-credentials', loginUrl: emulator.salesforceUrl, clientId, clientSecret } });
    // Warm both paths (login, describe, the org's first writes) before timing.
    const warm = client();
    await pushRecords(warm, account, rows('Warm bulk').slice(0, 50), { db: database.db });
    for (const row of rows('Warm one').slice(0, 20)) await pushRecord(warm, account, row, { db: database.db });

    const bulk = client();
    await bulk.describe('Account');
    const bulkRequests = bulk.requestCount;
    const bulkStart = performance.now();
    const outcomes = await pushRecords(bulk, account, rows('Bulk'), { db: database.db });
    const bulkMs = performance.now() - bulkStart;
    if (outcomes.some((outcome) => !outcome.ok)) throw new Error('a bulk push was refused');

    const single = client();
    await single.describe('Account');
    const singleRequests = single.requestCount;
    const singleStart = performance.now();
    for (const row of rows('One')) await pushRecord(single, account, row, { db: database.db });
    const singleMs = performance.now() - singleStart;

    const rate = (ms: number) => (ROWS / ms) * 1000;
    process.stdout.write(
      `${name}: pushRecords of ${ROWS} rows (sObject Collections) in ${bulkMs.toFixed(0)} ms = ${rate(bulkMs).toFixed(0)} records/s, ${bulk.requestCount - bulkRequests} API requests\n` +
        `  baseline, one pushRecord request per row: ${singleMs.toFixed(0)} ms = ${rate(singleMs).toFixed(0)} records/s, ${single.requestCount - singleRequests} API requests` +
        ` (bulk ${(singleMs / bulkMs).toFixed(1)}x faster)\n`,
    );
    return bulkMs < singleMs;
  } finally {
    await emulator.close();
  }
});
process.exitCode = met ? 0 : 1;
