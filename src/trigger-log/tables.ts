/**
 * `_trigger_log` and `_trigger_log_archive` as Drizzle tables (heroku-connect.md
 * §3.1). Heroku Connect owns them: keep them out of drizzle-kit's `schema` files,
 * like the hcTables. Only `state` is meant to be changed by applications (§3.6).
 */
import { pgSchema, pgTable } from '../compat.ts';
import { DEFAULT_SCHEMA, schemaSetting } from '../settings/settings.ts';
import { archiveLogColumns, liveLogColumns } from './columns.ts';

function makeTables(schema: string) {
  // pgSchema('public') throws: Drizzle wants pgTable for it.
  const table = (schema === 'public' ? pgTable : pgSchema(schema).table) as ReturnType<typeof pgSchema>['table'];
  return {
    triggerLog: table('_trigger_log', liveLogColumns()),
    triggerLogArchive: table('_trigger_log_archive', archiveLogColumns()),
  };
}

/** The two trigger log tables of one Heroku Connect schema. */
export type TriggerLogTables = ReturnType<typeof makeTables>;
/** The live trigger log table. */
export type TriggerLogTable = TriggerLogTables['triggerLog'];
/** The archive table. */
export type TriggerLogArchiveTable = TriggerLogTables['triggerLogArchive'];
/** A row of either table. */
export type TriggerLogRow = TriggerLogTable['$inferSelect'];

const bySchema = new Map<string, TriggerLogTables>();

/**
 * The trigger log tables of the Heroku Connect schema `schema` (default the
 * `HEROKU_CONNECT_SCHEMA` setting, else `salesforce`). One object per schema.
 *
 * @example
 * const { triggerLog } = triggerLogTables('org');
 * await db.select().from(triggerLog).where(eq(triggerLog.state, 'FAILED'));
 */
// @__NO_SIDE_EFFECTS__
export function triggerLogTables(schema: string = schemaSetting()): TriggerLogTables {
  let tables = bySchema.get(schema);
  if (tables === undefined) bySchema.set(schema, (tables = makeTables(schema)));
  return tables;
}

// The constants name the default schema: importing an entry never reads the environment.
/** `salesforce._trigger_log`; for another schema, `triggerLogTables(schema).triggerLog`. */
export const triggerLog: TriggerLogTable = triggerLogTables(DEFAULT_SCHEMA).triggerLog;
/** `salesforce._trigger_log_archive`; for another schema, `triggerLogTables(schema).triggerLogArchive`. */
export const triggerLogArchive: TriggerLogArchiveTable = triggerLogTables(DEFAULT_SCHEMA).triggerLogArchive;
