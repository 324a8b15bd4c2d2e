import { Option } from 'clipanion';
import type { TriggerLogEntry } from '../trigger-log/list-logs.ts';
import { InputError } from '../errors.ts';
import { TRIGGER_LOG_STATE } from '../trigger-log/constants.ts';
import { TriggerLogCommand, positiveIntegerValidator } from './trigger-log-options.ts';
import { writeAlgorithmOptions } from './write-algorithm-option.ts';
import { portValidator } from './flag-validators.ts';

const MESSAGE_WIDTH = 60;
const DEFAULT_LIMIT = 50;

/** One line per log, in columns a person can scan. */
export function formatLogTable(entries: readonly TriggerLogEntry[]): string {
  const rows = entries.map((entry) => [
    String(entry.id),
    entry.createdAt === null ? '' : entry.createdAt.toISOString().replace('T', ' ').slice(0, 19),
    entry.action ?? '',
    entry.tableName ?? '',
    entry.recordId === null ? '' : String(entry.recordId) + (entry.sfid === null ? '' : ` ${entry.sfid}`),
    entry.state + (entry.archived ? ' (archived)' : ''),
    (entry.sfMessage ?? '').replace(/\s+/g, ' ').slice(0, MESSAGE_WIDTH),
  ]);
  const header = ['ID', 'TIME (UTC)', 'ACTION', 'TABLE', 'RECORD', 'STATE', 'MESSAGE'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

export class LogsCommand extends TriggerLogCommand {
  static override paths = [['logs']];
  static override usage = TriggerLogCommand.Usage({
    description: 'Show the Heroku Connect trigger log (live and archived)',
    details: 'The most recent logs, oldest first: id, capture time, action, table, record id and sfid, state and Salesforce message.',
    examples: [
      ['Recent logs of the local development database', '$0 logs'],
      ['Failures of one table since a time', '$0 logs --failed --table account --since 2024-06-01T00:00:00Z'],
      ['As JSON', '$0 logs --json'],
      ['The admin page in a browser (retry, ignore, redo)', '$0 logs --serve --write-algorithm ordered'],
      ['The admin page on a fixed port, opened on the failures', '$0 logs --serve --port 4983 --failed'],
    ],
  });

  failed = Option.Boolean('--failed', false, { description: 'Only FAILED logs' });
  json = Option.Boolean('--json', false, { description: 'Print the logs as JSON' });
  limit = Option.String('--limit', { validator: positiveIntegerValidator, description: `At most this many, the most recent (default ${DEFAULT_LIMIT})` });

  serve = Option.Boolean('--serve', false, { description: 'Serve the trigger-log admin page on 127.0.0.1 until interrupted' });
  port = Option.String('--port', { validator: portValidator, description: 'Port of --serve (default: a free one)' });
  writeAlgorithm = writeAlgorithmOptions().writeAlgorithm;
  app = writeAlgorithmOptions().app;

  async run(): Promise<number | void> {
    if (this.serve) return this.runServer();
    for (const [flag, given] of [['--port', this.port], ['--write-algorithm', this.writeAlgorithm], ['--app', this.app]] as const) {
      if (given !== undefined) throw new InputError(`${flag} only applies with --serve.`);
    }
    const filter = this.filter();
    const { listLogs } = await import('../trigger-log/list-logs.ts');
    const entries = await this.withTriggerLog(filter.schema, (database) =>
      listLogs(database.db, { ...filter, limit: this.limit ?? DEFAULT_LIMIT, ...(this.failed ? { state: TRIGGER_LOG_STATE.FAILED } : {}) }),
    );
    if (this.json) this.print(JSON.stringify(entries, null, 2));
    else this.print(entries.length === 0 ? 'No trigger log entries match.' : formatLogTable(entries));
  }

  /** `--serve`: the filter flags choose the page it opens on. */
  private async runServer(): Promise<number> {
    for (const [flag, given] of [['--json', this.json], ['--limit', this.limit], ['--id', this.id]] as const) {
      if (given !== undefined && given !== false) throw new InputError(`${flag} does not apply to --serve: the page filters by state, table and time.`);
    }
    if ((this.table?.length ?? 0) > 1) throw new InputError('--serve opens on one --table at most.');
    const { serveTriggerLogAdmin } = await import('./logs-serve.ts');
    const filter = this.filter();
    const search = new URLSearchParams();
    if (this.failed) search.set('state', TRIGGER_LOG_STATE.FAILED);
    if (this.table?.[0] !== undefined) search.set('table', this.table[0]);
    if (filter.since !== undefined) search.set('since', filter.since.toISOString());
    if (filter.until !== undefined) search.set('until', filter.until.toISOString());
    return this.withTriggerLog(filter.schema, (database) =>
      serveTriggerLogAdmin(this, {
        database,
        schema: filter.schema,
        port: this.port ?? 0,
        writeAlgorithm: this.writeAlgorithm,
        app: this.app,
        settings: this.settings(),
        search: search.toString(),
      }),
    );
  }
}
