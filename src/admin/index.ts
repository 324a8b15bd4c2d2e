/**
 * hc-drizzle/admin: the trigger-log admin page as a `(Request) => Response`
 * handler. Edge-safe: no `node:` imports, no database driver.
 */
export { createTriggerLogAdmin, type AdminLogEntry, type AuthorizeResult, type TriggerLogAdminOptions } from './create-trigger-log-admin.ts';
