/** Errors of the Salesforce REST client (one style with src/errors.ts). */
import { HcDrizzleError } from '../errors.ts';
import type { ApiFailure } from '../http/transport.ts';

/** One error as Salesforce reports it: `[{ message, errorCode, fields }]` (`statusCode` in sObject Collections). */
export interface SalesforceErrorDetail {
  /** Salesforce's code: `REQUIRED_FIELD_MISSING`, `DUPLICATE_VALUE`, `INVALID_SESSION_ID`, `invalid_grant`, ... */
  readonly errorCode: string;
  readonly message: string;
  /** The fields the error is about (API names), when Salesforce names them. */
  readonly fields: readonly string[];
}

/**
 * Why a Salesforce call failed: the transport's reasons, an error status,
 * a refused login (`auth`), or one record of a collection refused (`record`).
 */
export type SalesforceFailure = ApiFailure | 'auth' | 'record';

/**
 * A Salesforce REST call failed, or Salesforce refused a record. Carries
 * Salesforce's first `errorCode` and `fields`, and every error it sent. The
 * message never holds a token, secret or password. Exit 1.
 */
export class SalesforceApiError extends HcDrizzleError {
  /** How the call is named: `PATCH /sobjects/Account/{id}`. */
  readonly endpoint: string;
  readonly failure: SalesforceFailure;
  /** The HTTP status, when a reply came. */
  readonly status: number | undefined;
  /** The first error's code (`undefined` when Salesforce sent none, e.g. a timeout). */
  readonly errorCode: string | undefined;
  /** The first error's fields. */
  readonly fields: readonly string[];
  /** Every error Salesforce sent. */
  readonly errors: readonly SalesforceErrorDetail[];

  constructor(
    endpoint: string,
    failure: SalesforceFailure,
    message: string,
    options: { status?: number; errors?: readonly SalesforceErrorDetail[]; cause?: unknown } = {},
  ) {
    super(failure === 'auth' ? 'HC_SALESFORCE_AUTH' : 'HC_SALESFORCE_API', message, { exitCode: 1, cause: options.cause });
    this.endpoint = endpoint;
    this.failure = failure;
    this.status = options.status;
    this.errors = options.errors ?? [];
    this.errorCode = this.errors[0]?.errorCode;
    this.fields = this.errors[0]?.fields ?? [];
  }
}

/** The client's `sobjects` whitelist does not name the object: refused before any request. Exit 2. */
export class SalesforceObjectNotAllowedError extends HcDrizzleError {
  readonly objectName: string;
  constructor(objectName: string, allowed: readonly string[]) {
    super(
      'HC_SALESFORCE_SOBJECT',
      `The Salesforce client may not touch ${objectName}: it is not in its sobjects list (${allowed.join(', ')}); add it there or to SALESFORCE_SOBJECTS.`,
      { exitCode: 2 },
    );
    this.objectName = objectName;
  }
}
