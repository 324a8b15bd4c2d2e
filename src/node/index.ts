export * from './database.ts';
export * from './load-schema.ts';
export * from './write-file-atomic.ts';
export * from './database-url.ts';
export { createNodeConnectClient, createUndiciFetch } from '../connect/node-client.ts';
export { loadRemoteSchema, parseCredentialsUrl, type DatabaseCredentials, type LoadRemoteSchemaOptions } from '../connect/remote-schema.ts';
