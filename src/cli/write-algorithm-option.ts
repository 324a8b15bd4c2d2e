/** `--write-algorithm`, or the algorithm of the app's connections through the Heroku Connect API. */
import { Option } from 'clipanion';
import * as t from 'typanion';
import { InputError } from '../errors.ts';
import { WRITE_ALGORITHMS, type WriteAlgorithm } from '../trigger-log/constants.ts';
import type { HcCommand } from './base-command.ts';
import { commandConnectClient } from './connect-options.ts';
import { appNameValidator } from './flag-validators.ts';

export function writeAlgorithmOptions() {
  return {
    writeAlgorithm: Option.String('--write-algorithm', {
      validator: t.isEnum(WRITE_ALGORITHMS),
      description: "merged or ordered (default: read from the app's Heroku Connect connection; docs/heroku-connect.md, \"Write algorithms\")",
    }),
    app: Option.String('--app', {
      validator: appNameValidator,
      description: 'Heroku app whose connection sets the write algorithm (default HEROKU_APP_NAME)',
    }),
  };
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
  const { fetchWriteAlgorithm } = await import('../connect/write-algorithm.ts');
  const client = await commandConnectClient(settings, { requestTimeoutSeconds: undefined, verbose: command.verbose, stderr: command.context.stderr });
  return fetchWriteAlgorithm({ client, settings, appName });
}
