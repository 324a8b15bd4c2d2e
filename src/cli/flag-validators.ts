/** Validators of flags several commands share; a bad value is one line and exit 2 (src/cli/main.ts). */
import * as t from 'typanion';
import { isConnectIdText } from '../connect/connect-id.ts';
import { HEROKU_APP_NAME_PATTERN, HEROKU_APP_NAME_RULE } from '../settings/app-name.ts';

/** The longest wait a timer can hold (setTimeout fires at once past 2^31 - 1 ms). */
const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * A flag holding a number of seconds greater than zero (fractions allowed):
 * 0 would time out every request at once, or poll without pause.
 */
export const secondsValidator = t.cascade(t.isNumber(), [
  t.makeValidator<number>({
    test: (value, state) => {
      if (value > 0 && value <= MAX_SECONDS) return true;
      state?.errors?.push(`.: expected a number of seconds greater than 0 and at most ${MAX_SECONDS} (got ${value})`);
      return false;
    },
  }),
]);

/** `--port`: a TCP port on 127.0.0.1, 0 for a free one. */
export const portValidator = t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 65535)]);

/** `--app`: checked like HEROKU_APP_NAME before it reaches a URL or a command line. */
export const appNameValidator = t.makeValidator<unknown, string>({
  test: (value, state): value is string => {
    if (typeof value === 'string' && HEROKU_APP_NAME_PATTERN.test(value)) return true;
    state?.errors?.push(`.: expected a Heroku app name: ${HEROKU_APP_NAME_RULE} (got ${JSON.stringify(value)})`);
    return false;
  },
});

/** `--connection`: a connection id (a uuid or a number), checked before it reaches a URL. */
export const connectionIdValidator = t.makeValidator<unknown, string>({
  test: (value, state): value is string => {
    if (typeof value === 'string' && isConnectIdText(value)) return true;
    state?.errors?.push(`.: expected a Heroku Connect connection id such as a uuid or a number (got ${JSON.stringify(value)})`);
    return false;
  },
});
