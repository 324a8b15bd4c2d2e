/** hc-drizzle/dev: the Heroku Connect schema for local development (Node only). */
export {
  createDevelopmentSchema,
  SchemaExistsError,
  type DevelopmentDatabase,
  type DevelopmentSchemaOptions,
  type DevelopmentSchemaResult,
} from './create-development-schema.ts';
export { DependentObjectsError, dependentName, type DependentObject } from './dependents.ts';
