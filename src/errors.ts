/**
 * Error classes with a stable `code`. The CLI turns any of them into one line
 * on stderr and an exit code (`src/cli/run-command.ts`).
 */

/** Base class of every error hc-drizzle throws on purpose. */
export class HcDrizzleError extends Error {
  /** A stable, machine-readable code (`HC_SETTINGS`, `HC_WRITE_NOT_SUPPORTED`, ...). */
  readonly code: string;
  /** Exit code the CLI uses: 1 a problem was found, 2 bad usage or input. */
  readonly exitCode: 1 | 2;

  constructor(code: string, message: string, options: { exitCode?: 1 | 2; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Bad input from a person: a flag, a file, a value. Exit 2. */
export class InputError extends HcDrizzleError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('HC_INPUT', message, { exitCode: 2, ...options });
  }
}

/** An environment setting is missing or malformed. `.variable` names it. Exit 2. */
export class SettingsError extends HcDrizzleError {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super('HC_SETTINGS', message, { exitCode: 2 });
    this.variable = variable;
  }
}

/**
 * A write to a read-only Heroku Connect table was refused before any SQL was
 * sent (django-heroku-connect's `WriteNotSupportedError`).
 */
export class WriteNotSupportedError extends HcDrizzleError {
  /** The table, schema-qualified (`salesforce.user`). */
  readonly table: string;
  /** The Salesforce object behind it (`User`). */
  readonly objectName: string;
  /** What was attempted (`insert`, `update`, `delete`, `execute`, ...). */
  readonly operation: string;

  constructor(table: string, objectName: string, operation: string) {
    super(
      'HC_WRITE_NOT_SUPPORTED',
      `Refused ${operation} on ${table}: it is a read-only Heroku Connect mapping of the Salesforce object ${objectName}.`,
      { exitCode: 1 },
    );
    this.table = table;
    this.objectName = objectName;
    this.operation = operation;
  }
}
