/** Misbehaviour the emulated org can be told to show, for tests of how an app copes. */
import type { SalesforceError, WriteRefusal } from './errors.ts';

/** The error a programmed write failure gives by default: Salesforce's catch-all. */
const UNKNOWN_EXCEPTION: SalesforceError = {
  errorCode: 'UNKNOWN_EXCEPTION',
  message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
  fields: [],
};

/** A programmed write failure: the error, and the HTTP status the REST API answers with (default 400). */
export interface FaultError {
  readonly errorCode: string;
  readonly message: string;
  readonly fields?: readonly string[];
  readonly status?: number;
}

/** The org's faults: failing writes, slowness, unavailability. */
export class OrgFaults {
  #failures: { left: number; refusal: WriteRefusal }[] = [];
  #delayMs = 0;
  #unavailable = false;
  #sessionEpoch = 0;

  /**
   * Fail the next `count` record writes, from any client and from Heroku
   * Connect's write-out alike, with `error` (default UNKNOWN_EXCEPTION).
   */
  failNextWrites(count: number, error: FaultError = UNKNOWN_EXCEPTION): void {
    const { status = error === UNKNOWN_EXCEPTION ? 500 : 400, fields = [], errorCode, message } = error;
    this.#failures.push({ left: count, refusal: { status, errors: [{ errorCode, message, fields }] } });
  }

  /** Answer every request (and every Heroku Connect batch) `ms` milliseconds late; 0 ends it. */
  slow(ms: number): void {
    this.#delayMs = Math.max(0, ms);
  }

  /** Be unreachable: the REST API answers 503, and Heroku Connect's cycles write and read nothing. */
  unavailable(on = true): void {
    this.#unavailable = on;
  }

  /**
   * End every session the OAuth endpoint has issued, as an expired or
   * revoked session ends: the next request with one of those tokens
   * answers 401 `INVALID_SESSION_ID`, and a client has to log in again.
   * (`credentials.accessToken`, the always-valid token, stays valid.)
   */
  expireSessions(): void {
    this.#sessionEpoch++;
  }

  /** Counts {@link expireSessions}: a token issued before the latest call is expired. */
  get sessionEpoch(): number {
    return this.#sessionEpoch;
  }

  /** End every fault. */
  clear(): void {
    this.#failures = [];
    this.#delayMs = 0;
    this.#unavailable = false;
  }

  get delayMs(): number {
    return this.#delayMs;
  }

  get isUnavailable(): boolean {
    return this.#unavailable;
  }

  /** The refusal for the next write, if one is programmed (counts it). */
  takeFailure(): WriteRefusal | undefined {
    const next = this.#failures[0];
    if (next === undefined) return undefined;
    if (--next.left <= 0) this.#failures.shift();
    return next.refusal;
  }

  /** Wait as long as `slow` says. */
  async delay(): Promise<void> {
    if (this.#delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
  }
}
