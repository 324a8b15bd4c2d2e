/** What `logs`, `retry` and `ignore` share: the database, the log filter flags, and the "no trigger log" error. */
import { Option } from 'clipanion';
import * as t from 'typanion';
import { InputError } from '../errors.ts';
import { parseExportedAt } from '../mapping/exported-at.ts';
import type { OpenDatabase } from '../node/database.ts';
import type { TriggerLogFilter } from '../trigger-log/filter.ts';
import { HcCommand } from './base-command.ts';
import { databaseOptions, locateDatabase, withDatabase } from './database-options.ts';

/** The largest value of a PostgreSQL `integer`: trigger log ids are `serial`. */
const MAX_INTEGER = 2_147_483_647;

/** A positive whole number that fits a PostgreSQL `integer`. */
export const positiveIntegerValidator = t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, MAX_INTEGER)]);

/** The same strict ISO 8601 reading as `export --exported-at`: `new Date()` would also take "June 1". */
export function parseTime(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  try {
    return new Date(parseExportedAt(value));
  } catch {
    throw new InputError(`${flag} must be an ISO 8601 time such as 2024-06-01T12:00:00Z, not ${JSON.stringify(value)}.`);
  }
}

function parseIds(values: readonly string[] | undefined): number[] | undefined {
  return values?.flatMap((value) =>
    value.split(',').map((part) => {
      if (!/^\s*\d+\s*$/.test(part) || !positiveIntegerValidator(Number(part))) {
        throw new InputError(`--id takes trigger log ids (whole numbers from 1 to ${MAX_INTEGER}, comma-separated), not ${JSON.stringify(part)}.`);
      }
      return Number(part);
    }),
  );
}

/** Whether `error` (or its cause) is PostgreSQL's "relation does not exist" for a trigger log table. */
function isMissingTriggerLog(error: unknown): boolean {
  for (let current = error; current instanceof Error || typeof current === 'object'; current = (current as { cause?: unknown })?.cause) {
    if (current === null || current === undefined) return false;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (code === '42P01' && typeof message === 'string' && message.includes('_trigger_log')) return true;
  }
  return false;
}

export abstract class TriggerLogCommand extends HcCommand {
  url = databaseOptions().url;
  config = databaseOptions().config;
  table = Option.Array('--table', { description: 'Only logs of this mapped table (repeatable)' });
  id = Option.Array('--id', { description: 'Only these trigger log ids (repeatable, or comma-separated)' });
  since = Option.String('--since', { description: 'Only logs captured at or after this ISO 8601 time' });
  until = Option.String('--until', { description: 'Only logs captured before this ISO 8601 time' });
  schemaName = Option.String('--hc-schema', { description: 'The Heroku Connect schema (default HEROKU_CONNECT_SCHEMA, else salesforce)' });

  /** The filter the flags describe; throws InputError on a bad value. */
  protected filter(): TriggerLogFilter & { readonly schema: string } {
    const since = parseTime('--since', this.since);
    const until = parseTime('--until', this.until);
    const ids = parseIds(this.id);
    return {
      ...(this.table === undefined ? {} : { table: this.table }),
      ...(ids === undefined ? {} : { ids }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      schema: this.schemaName ?? this.settings().schema,
    };
  }

  /**
   * Open the database the flags and configuration name, run `work`, close it.
   * A database without the trigger log gets one sentence that says what to do.
   */
  protected async withTriggerLog<T>(schema: string, work: (database: OpenDatabase) => Promise<T>): Promise<T> {
    try {
      return await withDatabase(this, await locateDatabase(this.url, this.config), work);
    } catch (error) {
      if (!isMissingTriggerLog(error)) throw error;
      throw new InputError(`no trigger log in schema ${schema}: run \`hc-drizzle dev-schema\`.`, { cause: error });
    }
  }
}
