/** Errors of the Heroku Connect API client and commands (one style with src/errors.ts). */
import { HcDrizzleError } from '../errors.ts';
import type { ApiFailure } from '../http/transport.ts';

/**
 * Why an API call failed: an error status, a timeout of one attempt, the
 * caller's deadline, the network, a reply too large, not JSON, or not what
 * the API documents.
 */
export type ConnectApiFailure = ApiFailure;

/**
 * A Heroku Connect API call failed or replied with something the API does
 * not document. `.endpoint` names the call (`GET /connections`); the message
 * never holds the token. Exit 1.
 */
export class ConnectApiError extends HcDrizzleError {
  /** `METHOD /path` relative to the API endpoint, without the query. */
  readonly endpoint: string;
  readonly failure: ConnectApiFailure;
  /** The HTTP status, when a reply came. */
  readonly status: number | undefined;

  constructor(endpoint: string, failure: ConnectApiFailure, message: string, options: { status?: number; cause?: unknown } = {}) {
    super('HC_CONNECT_API', message, { exitCode: 1, cause: options.cause });
    this.endpoint = endpoint;
    this.failure = failure;
    this.status = options.status;
  }
}

/**
 * The app's connections are not what the operation needs: none visible, or
 * several when one is required, or connections that disagree. Exit 1, or 2
 * when a flag (`--connection`) would resolve it.
 */
export class ConnectionLookupError extends HcDrizzleError {
  readonly app: string;
  constructor(code: 'HC_NO_CONNECTION' | 'HC_SEVERAL_CONNECTIONS' | 'HC_MIXED_WRITE_ALGORITHMS', app: string, message: string) {
    super(code, message, { exitCode: code === 'HC_SEVERAL_CONNECTIONS' ? 2 : 1 });
    this.app = app;
  }
}

/** A `--wait`ed import ended in an unhealthy state, or the wait timed out. Exit 1. */
export class ImportWaitError extends HcDrizzleError {
  readonly connectionId: string;
  /** The last state seen. */
  readonly state: string;
  constructor(code: 'HC_IMPORT_FAILED' | 'HC_IMPORT_TIMEOUT', connectionId: string, state: string, message: string) {
    super(code, message, { exitCode: 1 });
    this.connectionId = connectionId;
    this.state = state;
  }
}

/** An external program (`heroku`, `pg_dump`) is missing (exit 2) or failed (exit 1). */
export class ExternalToolError extends HcDrizzleError {
  readonly tool: string;
  constructor(code: 'HC_TOOL_MISSING' | 'HC_TOOL_FAILED', tool: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { exitCode: code === 'HC_TOOL_MISSING' ? 2 : 1, cause: options.cause });
    this.tool = tool;
  }
}
