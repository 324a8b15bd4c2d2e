export * from './guard-read-only.ts';
export * from './types.ts';
export { writeTargetsOf, type WriteOperation, type WriteTarget } from './sql-writes.ts';
