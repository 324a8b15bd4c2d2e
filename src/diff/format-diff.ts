/** The diff as a person reads it, `terraform plan` style. */
import type { HerokuConnectDiff } from './diff-heroku-connect.ts';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The report `hc-drizzle diff` prints: one block per object that differs,
 * its changes indented under it, and a closing count.
 *
 * @example
 * + Lead  salesforce.lead
 *     + in the code only: not in the mapping, no table
 *
 * ~ Account  salesforce.account
 *     ~ pollingSeconds: 600 → 300
 *     - column fax: in the database (varchar(40)), maps no field of the mapping nor the code
 */
export function formatHerokuConnectDiff(diff: HerokuConnectDiff): string {
  const lines: string[] = [];
  for (const object of diff.objects) {
    lines.push(`${object.action} ${object.object}  ${object.table}`);
    for (const change of object.changes) lines.push(`    ${change.action} ${change.summary}`);
    lines.push('');
  }
  if (diff.otherSchemas.length > 0) {
    lines.push(`Not compared (another schema than ${diff.schema}): ${diff.otherSchemas.join(', ')}.`);
  }
  if (diff.inSync) {
    lines.push(`No drift: the code, the mapping and the database agree on ${plural(diff.compared, 'object')} in ${diff.schema}.`);
  } else {
    const count = (action: string) => diff.objects.filter((object) => object.action === action).length;
    lines.push(
      `Drift in ${plural(diff.objects.length, 'object')} of ${diff.compared} in ${diff.schema}: ` +
        `${count('+')} only in the code, ${count('-')} only in the connection, ${count('~')} changed. ` +
        '(+ the code has it, the connection lacks it; - the reverse; ~ old → new is the connection\'s → the code\'s)',
    );
  }
  return `${lines.join('\n')}\n`;
}
