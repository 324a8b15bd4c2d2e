/** hc-drizzle/testing: test databases with the Heroku Connect schema, fakes, write lifting (Node only). */
export type { TestDatabaseOptions } from './test-database.ts';
export * from './setup-test-database.ts';
export * from './fake-connect-api.ts';
export * from './fake-heroku-cli.ts';
export * from './without-write-restrictions.ts';
