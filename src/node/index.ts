/** hc-drizzle/node: schema loading, databases, the Node API clients, pull and diff (Node only). */
export { openDatabase, type OpenDatabase, type OpenDatabaseOptions } from './database.ts';
export {
  loadSchema,
  type DrizzleKitConfig,
  type FindSchemaOptions,
  type HcConfigFile,
  type LoadedSchema,
  type ProjectConfig,
  type SchemaFile,
} from './load-schema.ts';
export type { DatabaseTarget } from './database-url.ts';
export { createNodeConnectClient } from '../connect/node-client.ts';
export { createNodeSalesforceClient } from '../salesforce/node-client.ts';
export { loadRemoteSchema, type DatabaseCredentials, type LoadRemoteSchemaOptions } from '../connect/remote-schema.ts';
export { ExternalToolError } from '../connect/errors.ts';
export * from '../pull/index.ts';
export * from '../diff/index.ts';
export { parseMappingExport, type MappingExport, type MappingExportEntry } from '../mapping/mapping-export.ts';
