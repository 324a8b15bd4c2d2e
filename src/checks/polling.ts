/** The polling interval Heroku Connect accepts for a mapping (heroku-connect.md §4.1 `sf_polling_seconds`, §7). */
import { describeTable, type CheckContext, type CheckedHcTable } from './context.ts';
import { diagnostic, type Diagnostic } from './diagnostic.ts';

/** Paid plans: 2–60 minutes (heroku-connect.md §7). */
const MIN_POLLING_SECONDS = 2 * 60;
const MAX_POLLING_SECONDS = 60 * 60;
/** The demo plan polls at most every 10 minutes (heroku-connect.md §7). */
const DEMO_MIN_POLLING_SECONDS = 10 * 60;

export function checkPolling(context: CheckContext): Diagnostic[] {
  return context.hcTables.flatMap(checkTablePolling);
}

function checkTablePolling(checked: CheckedHcTable): Diagnostic[] {
  const seconds: unknown = checked.object.pollingSeconds;
  const valid =
    typeof seconds === 'number' &&
    Number.isInteger(seconds) &&
    seconds >= MIN_POLLING_SECONDS &&
    seconds <= MAX_POLLING_SECONDS;
  if (!valid) {
    return [
      diagnostic(
        'E121',
        checked.place,
        undefined,
        `The polling interval of ${describeTable(checked)} is ${JSON.stringify(seconds)} seconds; Heroku Connect polls every 2 to 60 minutes.`,
        'Set pollingSeconds to a whole number from 120 to 3600 (default 600). An error because no plan accepts it: ' +
          'Heroku documents 2–60 minutes on paid plans and 10 minutes at least on demo.',
      ),
    ];
  }
  if (seconds < DEMO_MIN_POLLING_SECONDS) {
    return [
      diagnostic(
        'W121',
        checked.place,
        undefined,
        `The polling interval of ${describeTable(checked)} is ${seconds} seconds; the demo plan polls at most every 10 minutes.`,
        'Keep it if the add-on is on a paid plan; on demo set pollingSeconds to 600 or more. A warning because the plan is not in the schema.',
      ),
    ];
  }
  return [];
}
