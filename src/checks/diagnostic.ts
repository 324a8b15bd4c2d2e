/** What `checkSchema` reports, and the options it takes. */

/**
 * Every code `checkSchema` can report. `E001`–`E008` keep django-heroku-connect's
 * numbering and meaning; `E1xx` / `W1xx` are hc-drizzle's own (README section on hc-drizzle check).
 */
export type CheckCode =
  | 'E001'
  | 'E002'
  | 'E003'
  | 'E004'
  | 'E005'
  | 'E006'
  | 'E007'
  | 'E008'
  | 'E101'
  | 'E102'
  | 'E103'
  | 'E104'
  | 'E105'
  | 'E111'
  | 'E112'
  | 'E113'
  | 'E114'
  | 'E115'
  | 'E116'
  | 'E117'
  | 'E121'
  | 'W121'
  | 'E130'
  | 'E131'
  | 'W131'
  | 'E132'
  | 'W133'
  | 'W134'
  | 'E135'
  | 'W135'
  | 'W141';

/** `error`: Heroku Connect or the app will break. `warning`: risky, or depends on the plan. */
export type DiagnosticLevel = 'error' | 'warning';

/** One problem `checkSchema` found. */
export interface Diagnostic {
  readonly code: CheckCode;
  readonly level: DiagnosticLevel;
  /** The table, schema-qualified as in SQL (`salesforce.account`; app tables in `public` unqualified). */
  readonly table: string;
  /** The database column, when the problem is about one. */
  readonly column?: string;
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
}

/** A file drizzle-kit's `schema` option matches, with what it exports. */
export interface DrizzleKitSchemaFile {
  /** As it should be shown (relative to the project is best). */
  readonly path: string;
  readonly exports: Readonly<Record<string, unknown>>;
}

/** Options of `checkSchema`. */
export interface CheckSchemaOptions {
  /**
   * The files drizzle-kit's `schema` matches: an hcTable exported from one of
   * them gets W141, since `drizzle-kit generate` would emit its DDL.
   */
  readonly drizzleKitFiles?: readonly DrizzleKitSchemaFile[];
}

/** Build a diagnostic; the level follows from the code's letter. */
export function diagnostic(
  code: CheckCode,
  table: string,
  column: string | undefined,
  message: string,
  hint: string,
): Diagnostic {
  const level: DiagnosticLevel = code.startsWith('E') ? 'error' : 'warning';
  return column === undefined ? { code, level, table, message, hint } : { code, level, table, column, message, hint };
}
