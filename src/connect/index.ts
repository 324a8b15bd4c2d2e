export * from './client.ts';
export * from './errors.ts';
export * from './find-connection.ts';
export * from './health.ts';
export * from './replies.ts';
export * from './wait-for-import.ts';
export * from './write-algorithm.ts';
