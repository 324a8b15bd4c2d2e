export * from './client.ts';
export * from './errors.ts';
export * from './replies.ts';
export * from './write-algorithm.ts';
