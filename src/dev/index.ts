/** hc-drizzle/dev: the Heroku Connect schema for local development (Node only). */
export * from './create-development-schema.ts';
export { hostOfDatabaseUrl, isLocalHost } from './local-host.ts';
