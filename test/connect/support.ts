/** Running the CLI against the fake Heroku Connect API, checking the token never leaks. */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'node:test';
import { startFakeConnectApi, type FakeConnectApi, type FakeConnection } from '../../src/testing/fake-connect-api.ts';
import { runCli, runMain, type CliResult } from '../support/cli.ts';

/** A token that would be easy to spot in any output. */
export const TOKEN = 'hc-test-token-7f3a9c/Secret+Value=';
export const FIXTURE_SCHEMA = fileURLToPath(new URL('./fixtures/salesforce.ts', import.meta.url));

/** The environment pointing the CLI at `api` (the fake, or any server's endpoint and token), with no ambient Heroku settings. */
export function apiEnv(api: Pick<FakeConnectApi, 'endpoint' | 'token'>, extra: Readonly<Record<string, string | undefined>> = {}) {
  return {
    HEROKU_CONNECT_API_ENDPOINT: api.endpoint,
    HEROKU_AUTH_TOKEN: api.token,
    HEROKU_APP_NAME: undefined,
    HEROKU_CONNECT_ORGANIZATION_ID: undefined,
    HEROKU_CONNECT_SCHEMA: undefined,
    ...extra,
  };
}

/**
 * Run `hc-drizzle <args>` with `env`, and assert the token is in no byte of
 * its output; `inProcess` runs the CLI's main here instead of the executable.
 */
export async function runWithApi(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  { inProcess = false }: { inProcess?: boolean } = {},
): Promise<CliResult> {
  const result = await (inProcess ? runMain : runCli)(args, { env });
  for (const leak of [TOKEN, encodeURIComponent(TOKEN), '7f3a9c']) {
    assert.ok(!result.stdout.includes(leak) && !result.stderr.includes(leak), `the token appeared in the output of ${args.join(' ')}`);
  }
  return result;
}

/**
 * A fake API serving `connections`, closed after each test of the file that
 * calls this at its top level.
 */
export function fakeApiPerTest(): (...connections: FakeConnection[]) => Promise<FakeConnectApi> {
  let api: FakeConnectApi | undefined;
  afterEach(async () => {
    const open = api;
    api = undefined;
    await open?.close();
  });
  return async (...connections) => (api = await startFakeConnectApi({ token: TOKEN, connections }));
}
