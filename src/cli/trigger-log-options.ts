/** What `logs`, `retry` and `ignore` share: the database and the log filter flags. */
import { Option } from 'clipanion';
import { InputError } from '../errors.ts';
import { parseExportedAt } from '../mapping/exported-at.ts';
import type { OpenDatabase } from '../node/database.ts';
import type { TriggerLogFilter } from '../trigger-log/filter.ts';
import { HcCommand } from './base-command.ts';
import { databaseOptions, locateDatabase, openLocatedDatabase } from './database-options.ts';

/** The same strict ISO 8601 reading as `export --exported-at`: `new Date()` would also take "June 1". */
function parseTime(flag: string, value: string | undefined): Date | undefined {
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
      if (!/^\d+$/.test(part.trim())) throw new InputError(`--id takes trigger log ids (numbers, comma-separated), not ${JSON.stringify(part)}.`);
      return Number(part);
    }),
  );
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
  protected filter(): TriggerLogFilter {
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

  /** Open the database the flags and configuration name. */
  protected async openDatabase(): Promise<OpenDatabase> {
    return openLocatedDatabase(this, await locateDatabase(this.url, this.config));
  }
}
