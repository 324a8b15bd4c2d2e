/**
 * The emulator in a process of its own, for the crash test: it syncs the
 * database at argv[2] slowly (a batch of 7 logs at a time, Salesforce 100 ms
 * slow), so the test can kill it in the middle of a cycle.
 */
import { startEmulator } from '../../src/emulator/index.ts';
import { openDatabase } from '../../src/node/database.ts';
import { crashOrg, crashSchema } from './crash-schema.ts';

const [url, writeAlgorithm] = process.argv.slice(2) as [string, 'ordered' | 'merged'];
const database = await openDatabase({ url });
const emulator = await startEmulator({ db: database.db, schema: crashSchema, org: crashOrg, writeAlgorithm, batchSize: 7 });
emulator.org.faults.slow(100);
process.stdout.write('syncing\n');
await emulator.sync();
process.stdout.write('finished\n');
await emulator.close();
await database.close();
