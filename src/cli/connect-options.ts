/** What the commands that call the Heroku Connect API share: the client. */
import type { Settings } from '../settings/settings.ts';
import type { ConnectClient } from '../connect/client.ts';
import { neutraliseTerminalControls } from '../http/display.ts';

export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

/**
 * The API client a command uses; with --verbose every request and reply is
 * a line on stderr (the client redacts the token).
 */
export async function commandConnectClient(
  settings: Settings,
  options: { requestTimeoutSeconds: number | undefined; verbose: boolean; stderr: NodeJS.WritableStream },
): Promise<ConnectClient> {
  const { createNodeConnectClient } = await import('../connect/node-client.ts');
  return createNodeConnectClient(settings, {
    timeoutMs: (options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000,
    ...(options.verbose ? { log: (line: string) => options.stderr.write(neutraliseTerminalControls(`hc-drizzle: ${line}\n`)) } : {}),
  });
}
