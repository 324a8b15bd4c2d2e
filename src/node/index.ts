export * from './database.ts';
export * from './load-schema.ts';
export * from './write-file-atomic.ts';
export * from './database-url.ts';
export { createNodeConnectClient } from '../connect/node-client.ts';
export { createUndiciFetch } from '../http/undici-fetch.ts';
export { loadRemoteSchema, parseCredentialsUrl, type DatabaseCredentials, type LoadRemoteSchemaOptions } from '../connect/remote-schema.ts';
