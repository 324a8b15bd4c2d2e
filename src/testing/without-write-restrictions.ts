/**
 * `withoutWriteRestrictions(fn)`: django-heroku-connect's
 * `no_heroku_connect_write_restrictions`, to seed read-only tables in tests.
 * Node-only (AsyncLocalStorage): it installs the hook the edge-safe guard
 * asks before refusing (src/guard/write-restrictions.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { WRITE_RESTRICTIONS_HOOK, type WriteRestrictionsHook } from '../guard/write-restrictions.ts';

const lifted = new AsyncLocalStorage<true>();
let installed = false;

function install(): void {
  const holder = globalThis as { [WRITE_RESTRICTIONS_HOOK]?: WriteRestrictionsHook };
  const previous = holder[WRITE_RESTRICTIONS_HOOK];
  const ours = () => lifted.getStore() === true;
  // Another copy of hc-drizzle/testing may have installed its own: keep answering for both.
  holder[WRITE_RESTRICTIONS_HOOK] = previous === undefined ? ours : () => ours() || previous();
  installed = true;
}

/**
 * Run `fn` with the read-only guard letting writes to read-only hcTables
 * through. Only `fn` and the async work it starts are affected; concurrent
 * work elsewhere stays guarded. Resolves to what `fn` returns, awaited. The types still
 * refuse on a guarded db: write through it as the driver's db type, which
 * a guarded db is assignable to.
 *
 * @example
 * const seed: NodePgDatabase<typeof schema> = db; // db = guardReadOnly(...)
 * await withoutWriteRestrictions(() => seed.insert(user).values({ name: 'Ada' }));
 */
export function withoutWriteRestrictions<R>(fn: () => R): Promise<Awaited<R>> {
  // Installed on first use, so merely importing hc-drizzle/testing changes nothing.
  if (!installed) install();
  // Awaited inside: a Drizzle query returned unawaited from `fn` runs here, not after.
  return lifted.run(true, async (): Promise<Awaited<R>> => await fn());
}
