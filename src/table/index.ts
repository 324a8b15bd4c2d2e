export * from './hc-table.ts';
