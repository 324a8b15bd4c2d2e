export * from './introspect.ts';
export * from './generate-schema-module.ts';
