export { checkSchema } from './check-schema.ts';
export { formatDiagnostics, placeOfDiagnostic } from './format.ts';
export type { CheckCode, CheckSchemaOptions, Diagnostic, DiagnosticLevel, DrizzleKitSchemaFile } from './diagnostic.ts';
