/** `hc-drizzle --version`, `--help` and `help`: answered without loading any command's implementation. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { BIN, runCli } from '../support/cli.ts';
import { PLACEHOLDERS } from '../../src/cli/placeholders.ts';

const PACKAGE = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };

/** A resolve hook that appends every module URL the process loads to `$IMPORTS_FILE`. */
const RECORD_IMPORTS = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
  import { appendFileSync } from 'node:fs';
  export async function resolve(specifier, context, next) {
    const result = await next(specifier, context);
    appendFileSync(process.env.IMPORTS_FILE, result.url + '\\\\n');
    return result;
  }\`));
`)}`;

function modulesLoadedBy(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'hc-startup-'));
  try {
    const file = join(dir, 'imports.txt');
    const run = spawnSync(process.execPath, ['--import', RECORD_IMPORTS, BIN, ...args], { env: { ...process.env, IMPORTS_FILE: file }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return readFileSync(file, 'utf8').trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What only a command's work needs: drivers, the ORM, the schema loader, HTTP, validation. */
const HEAVY = /node_modules\/(drizzle-orm|pg|@electric-sql|jiti|tinyglobby|undici|valibot)\//;

describe('starting the CLI', () => {
  it('prints the version of package.json', async () => {
    const result = await runCli(['--version']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${PACKAGE.version}\n`);
  });

  it('lists every command with --help and with help, placeholders saying what goes there', async () => {
    const [flag, word] = await Promise.all([runCli(['--help']), runCli(['help'])]);
    assert.equal(flag.code, 0, flag.stderr);
    assert.equal(word.stdout, flag.stdout);
    for (const command of ['export', 'check', 'dev-schema', 'logs', 'retry', 'ignore', 'health', 'import-mappings', 'load-remote-schema', 'pull', 'diff']) {
      assert.match(flag.stdout, new RegExp(`hc-drizzle ${command} `), command);
    }
    assert.match(flag.stdout, /--url <postgres-url>/);
    assert.match(flag.stdout, /-o,--output <file>/);
    assert.doesNotMatch(flag.stdout, /#0/);
    // Every flag that takes a value has its own placeholder (src/cli/placeholders.ts), not its own name echoed.
    const shown = [...flag.stdout.matchAll(/(?:-\w,)?(--[\w-]+) (<[^>]+>)/g)].map(([, name, placeholder]) => [name!, placeholder!] as const);
    assert.ok(shown.length > 20, flag.stdout);
    for (const [name, placeholder] of shown) assert.equal(PLACEHOLDERS[name], placeholder, `${name} ${placeholder} has no placeholder of its own`);
  });

  it('shows one command with help <command>, the same as <command> --help', async () => {
    const [word, flag] = await Promise.all([runCli(['help', 'logs']), runCli(['logs', '--help'])]);
    assert.equal(word.code, 0, word.stderr);
    assert.equal(word.stdout, flag.stdout);
    assert.match(word.stdout, /--limit <count>/);
  });

  it('writes no colour when stdout is not a terminal', async () => {
    const result = await runCli(['--help']);
    assert.doesNotMatch(result.stdout, /\u001b\[/);
  });

  it('colours help on a terminal, unless NO_COLOR is set', async () => {
    const helpOn = async (env: Record<string, string>) => {
      let text = '';
      const stdout = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((text += String(chunk)), done()) }), { isTTY: true });
      assert.equal(await main(['--help'], { stdout, env }), 0);
      return text;
    };
    assert.match(await helpOn({}), /\u001b\[/);
    assert.doesNotMatch(await helpOn({ NO_COLOR: '1' }), /\u001b\[/);
  });

  for (const args of [['--version'], ['--help'], ['export', '--help']]) {
    it(`loads no driver, ORM, schema loader or HTTP client for ${args.join(' ')}`, () => {
      const loaded = modulesLoadedBy(args);
      assert.ok(loaded.some((url) => url.endsWith('/dist/cli/clipanion.js')), 'the hook records what loads');
      assert.deepEqual(loaded.filter((url) => HEAVY.test(url)), []);
    });
  }
});
