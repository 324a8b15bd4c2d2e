/**
 * `hc-drizzle feed install | status | parked | retry | dismiss`: the change
 * feed from the command line. Each `run()` loads the feed when it runs.
 */
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { InputError } from '../errors.ts';
import { neutraliseTerminalControls } from '../http/display.ts';
import type { ParkedSelection } from '../feed/parked.ts';
import type { OpenDatabase } from '../node/database.ts';
import { HcCommand, SchemaCommand } from './base-command.ts';
import { databaseOptions, locateDatabase, withDatabase } from './database-options.ts';

const positiveInteger = t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 10_000)]);

/** A query that failed because the feed's schema or tables are not there (undefined table or schema). */
function isMissingFeed(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    const { code, message } = current as { code?: unknown; message: string };
    if ((code === '42P01' || code === '3F000') && message.includes('hc_drizzle_feed')) return true;
  }
  return false;
}

/** The largest change id (change ids are bigint). */
const MAX_CHANGE_ID = 9223372036854775807n;

/** `hc-drizzle feed` alone (or with --help): what its subcommands are, rather than "unknown command". */
export class FeedCommand extends Command {
  static override paths = [['feed']];
  static override usage = Command.Usage({
    description: 'The change feed: install, status, parked, retry, dismiss',
    details:
      "Heroku Connect's writes, captured and handed to subscribeChanges() handlers (hc-drizzle/feed). The subcommands: `feed install` puts the capture triggers on the hcTables, `feed status` shows the captured tables and each group's backlog, `feed parked` lists the changes whose handler kept failing, `feed retry` delivers them again, and `feed dismiss` gives up on them. Run `hc-drizzle feed <subcommand> --help` for each one's options.",
    examples: [
      ['Install the feed on every hcTable', '$0 feed install'],
      ['See what is waiting and what was parked', '$0 feed status'],
    ],
  });

  words = Option.Rest();

  override async execute(): Promise<number> {
    const given = this.words[0];
    const what = given === undefined ? 'feed needs a subcommand' : `feed has no subcommand ${JSON.stringify(given)}`;
    this.context.stderr.write(neutraliseTerminalControls(`hc-drizzle: ${what}: install, status, parked, retry or dismiss. Run 'hc-drizzle feed --help' for usage.\n`));
    return 2;
  }
}

export class FeedInstallCommand extends SchemaCommand {
  static override paths = [['feed', 'install']];
  static override usage = SchemaCommand.Usage({
    description: 'Install the change feed on the hcTables (idempotent)',
    details:
      "Creates the hc_drizzle_feed schema and, on each hcTable (or those named with --only), triggers that record the inserts, updates and deletes Heroku Connect's session makes, with a NOTIFY. Safe to run again: it reports each table as installed, ok, or reinstalled (the triggers had gone, and the table's groups get a resync event). --group keeps changes for a group from now on, before its first subscriber starts.",
    examples: [
      ['Install on every hcTable of the configured schema', '$0 feed install'],
      ['Install on two objects, keeping changes for the billing group', '$0 feed install --only Account,Contact --group billing'],
    ],
  });

  url = databaseOptions().url;
  only = Option.String('--only', { description: 'Only these Salesforce objects (comma-separated)' });
  group = Option.Array('--group', { description: 'Keep changes for this subscriber group from now on (repeatable)' });

  async run() {
    const location = await locateDatabase(this.url, this.config);
    const { hcTables } = await this.loadHcTables();
    const [{ installChangeFeed }, { sfObjectOf }] = await Promise.all([import('../feed/install.ts'), import('../metadata.ts')]);
    const objectNameOf = (table: unknown) => sfObjectOf(table)?.objectName ?? '';
    const tables = this.only === undefined ? hcTables : pickObjects(hcTables, this.only, objectNameOf);
    await withDatabase(this, location, async (database) => {
      const { tables: statuses } = await installChangeFeed(database.db, tables, { groups: this.group ?? [] });
      for (const [at, status] of statuses.entries()) {
        this.print(`${status.status.padEnd(11)} ${status.schema}.${status.name} (${objectNameOf(tables[at])})`);
      }
      const groups = this.group?.length ? `, keeping changes for ${this.group.join(', ')}` : '';
      this.print(`The change feed captures ${statuses.length} table${statuses.length === 1 ? '' : 's'} in ${database.description}${groups}.`);
    });
  }
}

/** The hcTables of the objects named in `--only` (case-insensitive); an InputError names an unknown one. */
function pickObjects<T>(tables: readonly T[], only: string, objectNameOf: (table: T) => string): T[] {
  const names = only.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new InputError('--only takes Salesforce object names, comma-separated (such as Account,Contact).');
  return names.map((name) => {
    const found = tables.find((table) => objectNameOf(table).toLowerCase() === name.toLowerCase());
    if (found === undefined) {
      throw new InputError(`--only names ${name}, which no hcTable maps (there are: ${tables.map(objectNameOf).join(', ')}).`);
    }
    return found;
  });
}

/** What the commands that read the feed share: the database, and its opening. */
abstract class FeedDatabaseCommand extends HcCommand {
  url = databaseOptions().url;
  config = databaseOptions().config;

  protected async withFeedDatabase(work: (database: OpenDatabase) => Promise<void>): Promise<void> {
    await withDatabase(this, await locateDatabase(this.url, this.config), async (database) => {
      try {
        await work(database);
      } catch (error) {
        if (!isMissingFeed(error)) throw error;
        throw new InputError(`The change feed is not installed in ${database.description}: run \`hc-drizzle feed install\`.`, { cause: error });
      }
    });
  }
}

export class FeedStatusCommand extends FeedDatabaseCommand {
  static override paths = [['feed', 'status']];
  static override usage = HcCommand.Usage({
    description: 'Show the captured tables and each group’s backlog',
    details: 'Exit 1 when a captured table has lost its triggers (a reload in progress, or a subscriber has not put them back yet) or a change is parked.',
    examples: [['Show the feed', '$0 feed status'], ['As JSON', '$0 feed status --json']],
  });

  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  async run() {
    const { feedStatus } = await import('../feed/status.ts');
    let problem = false;
    await this.withFeedDatabase(async (database) => {
      const status = await feedStatus(database.db);
      problem = status.tables.some((table) => !table.capturing) || status.groups.some((group) => group.parked > 0);
      if (this.json) return this.print(JSON.stringify(status, null, 2));
      if (!status.installed) return this.print(`The change feed is not installed in ${database.description}: run hc-drizzle feed install.`);
      for (const table of status.tables) {
        this.print(`table ${table.table}: ${table.capturing ? 'capturing' : 'NOT capturing (triggers gone)'}, last checked ${table.checkedAt.toISOString()}`);
      }
      for (const group of status.groups) {
        const oldest = group.oldestOpenAt === null ? '' : `, oldest open from ${group.oldestOpenAt.toISOString()}`;
        this.print(
          `group ${group.group} (${group.tables.join(', ')}): ${group.pending} pending, ${group.active} active, ${group.parked} parked, ${group.done} handled and kept${oldest}`,
        );
      }
    });
    return problem ? 1 : 0;
  }
}

/** `--group`, `--table` and `--id`: which parked changes. */
abstract class ParkedCommand extends FeedDatabaseCommand {
  group = Option.String('--group', { description: 'Only this subscriber group' });
  table = Option.String('--table', { description: 'Only this table, schema-qualified (salesforce.account)' });
  id = Option.Array('--id', { description: 'Only these change ids (repeatable, or comma-separated)' });

  protected selection(): ParkedSelection {
    const ids = this.id?.flatMap((value) => value.split(',').map((part) => part.trim()));
    const bad = ids?.find((id) => !/^[1-9][0-9]{0,18}$/.test(id) || BigInt(id) > MAX_CHANGE_ID);
    if (bad !== undefined) {
      throw new InputError(`--id takes change ids (whole numbers from 1 to ${MAX_CHANGE_ID}, comma-separated), not ${JSON.stringify(bad)}.`);
    }
    if (this.table !== undefined && !/^[^.\s]+\.[^.\s]+$/.test(this.table)) {
      throw new InputError(`--table takes a schema-qualified table such as salesforce.account, not ${JSON.stringify(this.table)}.`);
    }
    return {
      ...(this.group === undefined ? {} : { group: this.group }),
      ...(this.table === undefined ? {} : { table: this.table }),
      ...(ids === undefined ? {} : { ids }),
    };
  }
}

export class FeedParkedCommand extends ParkedCommand {
  static override paths = [['feed', 'parked']];
  static override usage = HcCommand.Usage({
    description: 'List the parked changes (their handler kept failing)',
    examples: [['Every parked change', '$0 feed parked'], ["One group's, as JSON", '$0 feed parked --group billing --json']],
  });

  limit = Option.String('--limit', '100', { description: 'At most this many', validator: positiveInteger });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  async run() {
    const { listParkedChanges } = await import('../feed/parked.ts');
    const selection = this.selection();
    await this.withFeedDatabase(async (database) => {
      const parked = await listParkedChanges(database.db, { ...selection, limit: this.limit });
      if (this.json) return this.print(JSON.stringify(parked, null, 2));
      if (parked.length === 0) return this.print('No parked changes.');
      for (const change of parked) {
        const sfid = change.row?.['sfid'] ?? '';
        this.print(
          `${change.id} ${change.group} ${change.op} ${change.table} ${sfid} after ${change.attempts} attempts, parked ${change.parkedAt.toISOString()}: ${change.lastError ?? ''}`,
        );
      }
    });
  }
}

export class FeedRetryCommand extends ParkedCommand {
  static override paths = [['feed', 'retry']];
  static override usage = HcCommand.Usage({
    description: 'Deliver parked changes again, from a first attempt',
    examples: [['Retry every parked change', '$0 feed retry'], ['Retry two of one group', '$0 feed retry --group billing --id 41,42']],
  });

  async run() {
    const { retryParkedChanges } = await import('../feed/parked.ts');
    const selection = this.selection();
    await this.withFeedDatabase(async (database) => {
      const count = await retryParkedChanges(database.db, selection);
      this.print(`Queued ${count} parked change${count === 1 ? '' : 's'} again in ${database.description}.`);
    });
  }
}

export class FeedDismissCommand extends ParkedCommand {
  static override paths = [['feed', 'dismiss']];
  static override usage = HcCommand.Usage({
    description: 'Give up on parked changes (they count as handled)',
    details: 'Takes --group, --table or --id, or --all for every parked change.',
    examples: [['Dismiss one', '$0 feed dismiss --id 41'], ['Dismiss all of a group', '$0 feed dismiss --group billing']],
  });

  all = Option.Boolean('--all', false, { description: 'Every parked change' });

  async run() {
    const selection = this.selection();
    if (!this.all && Object.keys(selection).length === 0) {
      throw new InputError('feed dismiss needs --group, --table or --id, or --all to dismiss every parked change.');
    }
    const { dismissParkedChanges } = await import('../feed/parked.ts');
    await this.withFeedDatabase(async (database) => {
      const count = await dismissParkedChanges(database.db, selection);
      this.print(`Dismissed ${count} parked change${count === 1 ? '' : 's'} in ${database.description}.`);
    });
  }
}
