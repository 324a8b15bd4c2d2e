/**
 * hc-drizzle/connect: the Heroku Connect API client and the health check.
 * Edge-safe: `fetch` (undici in Node, through `hc-drizzle/node`).
 */
export {
  createConnectClient,
  connectClientFromSettings,
  type CallOptions,
  type ConnectClient,
  type ConnectClientOptions,
  type ConnectId,
  type FetchFunction,
  type GetConnectionOptions,
} from './client.ts';
export { ConnectApiError, ConnectionLookupError, ImportWaitError, type ConnectApiFailure } from './errors.ts';
export { findAppConnection, type FindAppConnectionOptions } from './find-connection.ts';
export {
  HEALTHY_STATES,
  isHealthyState,
  checkHealth,
  createHealthHandler,
  type ConnectionHealth,
  type HealthCheckOptions,
  type HealthHandlerOptions,
  type HealthReport,
} from './health.ts';
export type { Connection, ConnectionMapping } from './replies.ts';
export { IMPORT_CONFIGURATION, waitForImport, type ImportOutcome, type WaitForImportOptions } from './wait-for-import.ts';
export { fetchWriteAlgorithm, sharedWriteAlgorithm, writeAlgorithmOf, type FetchWriteAlgorithmOptions, type WriteAlgorithm } from './write-algorithm.ts';
