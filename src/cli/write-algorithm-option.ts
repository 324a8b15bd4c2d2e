/** `--write-algorithm`, or the algorithm of the app's connections through the Heroku Connect API. */
import { Option } from 'clipanion';
import { fetchWriteAlgorithm } from '../connect/write-algorithm.ts';
import { InputError } from '../errors.ts';
import { WRITE_ALGORITHMS, type WriteAlgorithm } from '../trigger-log/constants.ts';
import type { HcCommand } from './base-command.ts';
import { commandConnectClient } from './connect-options.ts';

export function writeAlgorithmOptions() {
  return {
    writeAlgorithm: Option.String('--write-algorithm', {
      description: 'merged or ordered (default: read from the app\'s Heroku Connect connection, heroku-connect.md §3.5)',
    }),
    app: Option.String('--app', { description: 'Heroku app whose connection sets the write algorithm (default HEROKU_APP_NAME)' }),
  };
}

/** Check the flag; undefined means "ask the connection". */
export function parseWriteAlgorithm(value: string | undefined): WriteAlgorithm | undefined {
  if (value === undefined || (WRITE_ALGORITHMS as readonly string[]).includes(value)) return value as WriteAlgorithm | undefined;
  throw new InputError(`--write-algorithm must be merged or ordered, not ${JSON.stringify(value)}.`);
}

/** The flag's algorithm, or the one the Heroku Connect API reports for the app. */
export async function resolveWriteAlgorithm(
  command: HcCommand & { verbose: boolean },
  flag: WriteAlgorithm | undefined,
  app: string | undefined,
  settings: ReturnType<HcCommand['settings']>,
): Promise<WriteAlgorithm> {
  if (flag !== undefined) return flag;
  const appName = app ?? settings.appName;
  if (settings.authToken === undefined || appName === '') {
    throw new InputError(
      'Pass --write-algorithm merged|ordered, or set HEROKU_AUTH_TOKEN and HEROKU_APP_NAME (or --app) to read it from the Heroku Connect connection.',
    );
  }
  command.context.stderr.write(`hc-drizzle: asking Heroku Connect for the write algorithm of ${appName}…\n`);
  const client = commandConnectClient(settings, { requestTimeoutSeconds: undefined, verbose: command.verbose, stderr: command.context.stderr });
  return fetchWriteAlgorithm({ client, settings, appName });
}
