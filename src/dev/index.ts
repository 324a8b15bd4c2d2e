/** hc-drizzle/dev: the Heroku Connect schema for local development (Node only). */
export * from './create-development-schema.ts';
export { DependentObjectsError, dependentName, type DependentObject } from './dependents.ts';
export { hostOfDatabaseUrl, isLocalHost } from './local-host.ts';
