/**
 * The trigger log's columns (heroku-connect.md §3.1), in Heroku Connect's
 * order: the one list. The Drizzle tables are built from it, and the
 * development schema's DDL and the requeue statements read it back through
 * those tables.
 */
import { bigint, integer, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import type { TriggerLogAction, TriggerLogState } from './constants.ts';

const timestampTz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

function logColumns<S>(stamp: (name: string) => S) {
  return {
    txid: bigint('txid', { mode: 'number' }),
    createdAt: stamp('created_at'),
    /** NULL on rows Heroku Connect's logger captured: it inserts an explicit NULL (§3.1). */
    updatedAt: stamp('updated_at'),
    processedAt: timestampTz('processed_at'),
    processedTx: bigint('processed_tx', { mode: 'number' }),
    state: varchar('state', { length: 8 }).$type<TriggerLogState>(),
    action: varchar('action', { length: 7 }).$type<TriggerLogAction>(),
    tableName: varchar('table_name', { length: 128 }),
    recordId: integer('record_id'),
    sfid: varchar('sfid', { length: 18 }),
    /** The previous row as hstore text (UPDATE, DELETE); read it with `parseHstore`. */
    old: text('old'),
    /** INSERT: the new row; UPDATE: the changed columns only; as hstore text. */
    values: text('values'),
    sfResult: integer('sf_result'),
    sfMessage: text('sf_message'),
  };
}

/** `_trigger_log`: ids from its sequence, times defaulting to `now()`. */
export function liveLogColumns() {
  return { id: serial('id').primaryKey(), ...logColumns((name) => timestampTz(name).defaultNow()) };
}

/** `_trigger_log_archive`: ids and times are copied from the live log, so nothing has a default (§3.1). */
export function archiveLogColumns() {
  return { id: integer('id').primaryKey(), ...logColumns(timestampTz) };
}
