export * from './collect-tables.ts';
export * from './exported-at.ts';
export * from './get-mapping.ts';
