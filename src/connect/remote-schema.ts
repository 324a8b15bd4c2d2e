/**
 * Node only: the remote Heroku Connect schema's DDL, as
 * django-heroku-connect's `load_remote_schema` (heroku-connect.md §6):
 * the database URL from `heroku pg:credentials:url`, then `pg_dump` of the
 * schema alone. The password travels in PGPASSWORD, never on a command line.
 */
import { spawn } from 'node:child_process';
import { InputError } from '../errors.ts';
import { ExternalToolError } from './errors.ts';

/** Where `pg_dump` connects, from the URL the heroku CLI printed. */
export interface DatabaseCredentials {
  readonly host: string;
  readonly port: string;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** The URL's `sslmode`, if it has one. */
  readonly sslmode: string | undefined;
}

/** Options of {@link loadRemoteSchema}. */
export interface LoadRemoteSchemaOptions {
  readonly app: string;
  /** Default `salesforce`. */
  readonly schema?: string;
  /** The environment the tools run in (PATH finds them). Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The DDL of the app's Heroku Connect schema (`pg_dump --schema-only --no-owner`).
 *
 * @throws {ExternalToolError} when heroku or pg_dump is missing or fails.
 * @example
 * const ddl = await loadRemoteSchema({ app: 'my-app', schema: 'salesforce' });
 */
export async function loadRemoteSchema(options: LoadRemoteSchemaOptions): Promise<string> {
  const env = options.env ?? process.env;
  const credentialsRun = await runTool('heroku', ['pg:credentials:url', '--app', options.app], env);
  const credentials = parseCredentialsUrl(credentialsRun);
  const dumpEnv: NodeJS.ProcessEnv = { ...env, PGPASSWORD: credentials.password };
  if (credentials.sslmode !== undefined) dumpEnv['PGSSLMODE'] = credentials.sslmode;
  const args = [
    '--schema-only',
    '--no-owner',
    `--schema=${options.schema ?? 'salesforce'}`,
    `--host=${credentials.host}`,
    `--port=${credentials.port}`,
    `--username=${credentials.user}`,
    `--dbname=${credentials.database}`,
  ];
  return runTool('pg_dump', args, dumpEnv, credentials.password);
}

/**
 * The credentials in `heroku pg:credentials:url` output: the last
 * `postgres://` URL in it, parsed with the WHATWG URL parser. A password the
 * CLI printed without percent-encoding (`@`, `:`, `/` in it) is encoded first.
 *
 * @throws {InputError} when the text holds no usable URL.
 */
export function parseCredentialsUrl(output: string): DatabaseCredentials {
  const raw = output.match(/postgres(?:ql)?:\/\/\S+/g)?.at(-1);
  const problem = 'The heroku CLI printed no usable postgres:// URL for the database';
  if (raw === undefined) throw new InputError(`${problem}.`);
  let url: URL;
  try {
    url = new URL(encodeUserinfo(raw));
  } catch (error) {
    throw new InputError(`${problem}: it does not parse as a URL.`, { cause: error });
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.hostname === '' || database === '') throw new InputError(`${problem}: it lacks the host or the database name.`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || '5432',
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    sslmode: url.searchParams.get('sslmode') ?? undefined,
  };
}

/** Percent-encode the user and password parts, leaving valid `%XX` escapes as they are. */
function encodeUserinfo(raw: string): string {
  const match = /^(postgres(?:ql)?:\/\/)(.*)@([^@]*)$/s.exec(raw);
  if (match === null) return raw;
  const [, scheme, userinfo = '', rest] = match;
  const colon = userinfo.indexOf(':');
  const parts = colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
  const encode = (part: string) => part.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=%]/g, (char) => encodeURIComponent(char));
  return `${scheme}${parts.map(encode).join(':')}@${rest}`;
}

/** Run a tool, resolve to its stdout; `secret` is blanked out of any error text. */
function runTool(tool: string, args: readonly string[], env: NodeJS.ProcessEnv, secret?: string): Promise<string> {
  const hide = (text: string) => (secret ? text.split(secret).join('[redacted]') : text);
  const shown = `${tool} ${args.slice(0, 1).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new ExternalToolError('HC_TOOL_MISSING', tool, `${tool} was not found on PATH: ${INSTALL_HINTS[tool] ?? `install ${tool}`}.`, {
              cause: error,
            })
          : new ExternalToolError('HC_TOOL_FAILED', tool, hide(`${shown} could not start: ${error.message}.`), { cause: error }),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(stdout).toString('utf8'));
      const why = signal === null ? `exit ${code}` : `signal ${signal}`;
      const detail = errorLine(Buffer.concat(stderr).toString('utf8'));
      reject(new ExternalToolError('HC_TOOL_FAILED', tool, hide(`${shown} failed (${why})${detail === '' ? '' : `: ${detail}`}`)));
    });
  });
}

const INSTALL_HINTS: Record<string, string> = {
  heroku: 'install the Heroku CLI (https://devcenter.heroku.com/articles/heroku-cli) and log in with `heroku login`',
  pg_dump: 'install the PostgreSQL client tools (pg_dump), ideally the same major version as the Heroku database',
};

/** The line saying what went wrong: the first mentioning an error (pg_dump adds detail lines after it), else the last. */
function errorLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? '';
}
