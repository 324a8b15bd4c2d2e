export * from './database.ts';
export * from './load-schema.ts';
export * from './write-file-atomic.ts';
export * from './database-url.ts';
