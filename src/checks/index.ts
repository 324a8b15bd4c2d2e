export * from './check-schema.ts';
export * from './diagnostic.ts';
export * from './format.ts';
