/**
 * The switch `withoutWriteRestrictions` (hc-drizzle/testing) turns. The core
 * must load on edge runtimes, so it holds no AsyncLocalStorage itself: the
 * Node-only testing module installs a function under a `Symbol.for` key on
 * globalThis (shared by every copy of hc-drizzle), and the guard asks it only
 * when it is about to refuse a write.
 */

/** Where the testing module installs its "are restrictions lifted here?" function. */
export const WRITE_RESTRICTIONS_HOOK: unique symbol = Symbol.for('hc-drizzle:write-restrictions-lifted') as never;

/** The function installed under {@link WRITE_RESTRICTIONS_HOOK}: true inside `withoutWriteRestrictions`. */
export type WriteRestrictionsHook = () => boolean;

type HookHolder = { [WRITE_RESTRICTIONS_HOOK]?: WriteRestrictionsHook };

/** Whether the current async context runs inside `withoutWriteRestrictions`. */
export function writeRestrictionsLifted(): boolean {
  return (globalThis as HookHolder)[WRITE_RESTRICTIONS_HOOK]?.() === true;
}
