/**
 * A fake `heroku` executable for tests (django-heroku-connect's `heroku_cli`
 * fixture): scripted stdout, stderr and exit code, per subcommand if
 * wanted, and a record of every argv. Put `path` first on PATH of the
 * process under test. POSIX only (a `#!` script).
 */
import { appendFile, chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** What one run of the fake prints and how it exits. */
export interface FakeHerokuReply {
  readonly stdout?: string;
  readonly stderr?: string;
  /** Default 0. */
  readonly exitCode?: number;
}

/** The fake's script: a default reply, and replies by subcommand (`pg:credentials:url`). */
export interface FakeHerokuScript extends FakeHerokuReply {
  readonly commands?: Readonly<Record<string, FakeHerokuReply>>;
}

/** An installed fake. */
export interface FakeHerokuCli {
  /** The directory holding the `heroku` script. */
  readonly dir: string;
  /** `dir` prepended to the PATH the fake was installed with: use as the child's PATH. */
  readonly path: string;
  /** The arguments of every run so far, in order. */
  calls(): Promise<string[][]>;
  /** Replace the script. */
  script(script: FakeHerokuScript): Promise<void>;
  /** Delete the directory. */
  remove(): Promise<void>;
}

const SCRIPT_FILE = 'fake-heroku.json';
const CALLS_FILE = 'fake-heroku-calls.jsonl';

/**
 * Install a fake `heroku` into a new temporary directory.
 *
 * @example
 * const heroku = await installFakeHerokuCli({ commands: { 'pg:credentials:url': { stdout: credentialsUrlOutput(url) } } });
 * spawn('hc-drizzle', ['load-remote-schema', '--app', 'my-app'], { env: { ...process.env, PATH: heroku.path } });
 */
export async function installFakeHerokuCli(script: FakeHerokuScript = {}, basePath = process.env['PATH'] ?? ''): Promise<FakeHerokuCli> {
  const dir = await mkdtemp(join(tmpdir(), 'hc-drizzle-fake-heroku-'));
  const program = [
    `#!${process.execPath}`,
    "const { appendFileSync, readFileSync } = require('node:fs');",
    "const { join } = require('node:path');",
    'const args = process.argv.slice(2);',
    `appendFileSync(join(__dirname, ${JSON.stringify(CALLS_FILE)}), JSON.stringify(args) + '\\n');`,
    `const script = JSON.parse(readFileSync(join(__dirname, ${JSON.stringify(SCRIPT_FILE)}), 'utf8'));`,
    'const reply = (script.commands && script.commands[args[0]]) || script;',
    "process.stdout.write(reply.stdout || '');",
    "process.stderr.write(reply.stderr || '');",
    'process.exitCode = reply.exitCode || 0;',
    '',
  ].join('\n');
  // CommonJS on purpose: the directory has no package.json saying otherwise.
  await writeFile(join(dir, 'heroku'), program);
  await chmod(join(dir, 'heroku'), 0o755);
  await writeFile(join(dir, SCRIPT_FILE), JSON.stringify(script));
  await appendFile(join(dir, CALLS_FILE), '');
  return {
    dir,
    path: basePath === '' ? dir : `${dir}${delimiter}${basePath}`,
    async calls() {
      const text = await readFile(join(dir, CALLS_FILE), 'utf8');
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]);
    },
    script: (next) => writeFile(join(dir, SCRIPT_FILE), JSON.stringify(next)),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * What `heroku pg:credentials:url` prints for `url` (the shape of Heroku CLI
 * output: a connection info string, then the URL on its own line).
 */
export function credentialsUrlOutput(url: string): string {
  const parsed = new URL(url);
  const info = [
    `dbname=${decodeURIComponent(parsed.pathname.slice(1))}`,
    `host=${parsed.hostname}`,
    `port=${parsed.port || '5432'}`,
    `user=${decodeURIComponent(parsed.username)}`,
    `password=${decodeURIComponent(parsed.password)}`,
    'sslmode=require',
  ].join(' ');
  return `Connection information for default credential.\nConnection info string:\n   "${info}"\nConnection URL:\n   ${url}\n\n`;
}
