/**
 * `withoutWriteRestrictions(fn)`: django-heroku-connect's
 * `no_heroku_connect_write_restrictions`, to seed read-only tables in tests.
 * Node-only (AsyncLocalStorage): it installs the hook the edge-safe guard
 * asks before refusing (src/guard/write-restrictions.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect, types } from 'node:util';
import { WRITE_RESTRICTIONS_HOOK, type WriteRestrictionsHook } from '../guard/write-restrictions.ts';

/**
 * One call of `withoutWriteRestrictions`: open while `fn` runs, and until the
 * promise it returned settles. AsyncLocalStorage hands the store to
 * everything the call creates (timers, intervals, microtasks, promise chains,
 * bound callbacks, emitters' async resources), and those may run long after
 * the call; the store is this object, and they are refused once it is closed.
 * The permission belongs to the call, not to what the call leaves behind.
 */
interface Scope {
  closed: boolean;
  /** The promise `fn` returned: the call lasts until it settles. */
  call: Promise<unknown> | undefined;
  /** The enclosing call's scope (a nested `withoutWriteRestrictions`): work it created is its work too. */
  readonly outer: Scope | undefined;
}

const lifted = new AsyncLocalStorage<Scope>();
let installed = false;

/**
 * Whether a native promise has not settled yet. JavaScript cannot ask, and
 * the flag set when it settles comes a microtask late: a microtask `fn`
 * queued just before returning would still find the scope open. `inspect`
 * reads the promise's state; asked only when a write to a read-only table is
 * about to be let through (tests' seeding), so its cost never matters.
 */
function isPending(promise: Promise<unknown>): boolean {
  return /^[^{]*\{\s*<pending>/.test(inspect(promise, { depth: 0, customInspect: false }));
}

function isOpen(scope: Scope | undefined): boolean {
  for (let at = scope; at !== undefined; at = at.outer) {
    if (!at.closed && (at.call === undefined || isPending(at.call))) return true;
  }
  return false;
}

function install(): void {
  const holder = globalThis as { [WRITE_RESTRICTIONS_HOOK]?: WriteRestrictionsHook };
  const previous = holder[WRITE_RESTRICTIONS_HOOK];
  const ours = () => isOpen(lifted.getStore());
  // Another copy of hc-drizzle/testing may have installed its own: keep answering for both.
  holder[WRITE_RESTRICTIONS_HOOK] = previous === undefined ? ours : () => ours() || previous();
  installed = true;
}

/**
 * Run `fn` with the read-only guard letting writes to read-only hcTables
 * through, until the promise `fn` returns settles. Only `fn` and the async
 * work it awaits are affected: concurrent work elsewhere stays guarded, and so
 * does what `fn` leaves running after it settles (a timer, an interval, a
 * promise chain, a prepared statement, a transaction it did not await).
 * Resolves to what `fn` returns, awaited. The types still refuse on a guarded
 * db: write through it as the driver's db type, which a guarded db is
 * assignable to.
 *
 * @example
 * const seed: NodePgDatabase<typeof schema> = db; // db = guardReadOnly(...)
 * await withoutWriteRestrictions(() => seed.insert(user).values({ name: 'Ada' }));
 */
export function withoutWriteRestrictions<R>(fn: () => R): Promise<Awaited<R>> {
  // Installed on first use, so merely importing hc-drizzle/testing changes nothing.
  if (!installed) install();
  const scope: Scope = { closed: false, call: undefined, outer: lifted.getStore() };
  return lifted.run(scope, async (): Promise<Awaited<R>> => {
    try {
      const result = fn();
      if (types.isPromise(result)) scope.call = result;
      else if (!isThenable(result)) scope.closed = true; // a synchronous call ends when fn returns
      // Awaited inside: a Drizzle query returned unawaited from `fn` runs here, not after.
      return await result;
    } finally {
      scope.closed = true;
    }
  });
}

function isThenable(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
