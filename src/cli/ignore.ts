import { TriggerLogCommand } from './trigger-log-options.ts';

export class IgnoreCommand extends TriggerLogCommand {
  static override paths = [['ignore']];
  static override usage = TriggerLogCommand.Usage({
    description: 'Mark the FAILED trigger logs that match the filter IGNORED',
    details: 'Heroku Connect will not send them again. Live and archived logs; one transaction; safe to run from two places at once.',
    examples: [
      ['Ignore two failures', '$0 ignore --id 12,13'],
      ['Ignore every failure of a table', '$0 ignore --table account'],
    ],
  });

  async run() {
    const filter = this.filter();
    const { ignoreFailed } = await import('../trigger-log/ignore-failed.ts');
    await this.withTriggerLog(filter.schema, async (database) => {
      const { live, archived } = await database.db.transaction((tx) => ignoreFailed(tx, filter));
      this.print(`Ignored ${live + archived} failed logs (${live} live, ${archived} archived) in ${database.description}.`);
    });
  }
}
