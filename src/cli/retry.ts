import { TriggerLogCommand } from './trigger-log-options.ts';
import { resolveWriteAlgorithm, writeAlgorithmOptions } from './write-algorithm-option.ts';

export class RetryCommand extends TriggerLogCommand {
  static override paths = [['retry']];
  static override usage = TriggerLogCommand.Usage({
    description: 'Retry the FAILED trigger logs that match the filter',
    details:
      'Merged writes: live logs go back to NEW, archived ones are copied into the live log as NEW and marked REQUEUED. Ordered writes: inserts and updates are re-captured and the originals marked REQUEUED; deletes fall back to the merged-writes change. One transaction; safe to run from two places at once.',
    examples: [
      ['Retry every failure (algorithm from the connection)', '$0 retry'],
      ['Retry one table since a time, offline', '$0 retry --table account --since 2024-06-01T00:00:00Z --write-algorithm ordered'],
    ],
  });

  writeAlgorithm = writeAlgorithmOptions().writeAlgorithm;
  app = writeAlgorithmOptions().app;

  async run() {
    const filter = this.filter();
    const writeAlgorithm = await resolveWriteAlgorithm(this, this.writeAlgorithm, this.app, this.settings());
    const { retryFailed } = await import('../trigger-log/retry-failed.ts');
    await this.withTriggerLog(filter.schema, async (database) => {
      const { live, archived } = await database.db.transaction((tx) => retryFailed(tx, filter, { writeAlgorithm }));
      this.print(`Requeued ${live + archived} failed logs (${live} live, ${archived} archived) with ${writeAlgorithm} writes in ${database.description}.`);
    });
  }
}
