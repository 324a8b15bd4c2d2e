/**
 * The guard's reading of raw SQL against the server's own: PGlite always,
 * PostgreSQL with DATABASE_URL. The ground truth of "this text writes the
 * read-only table" is the server running it: statement-level BEFORE
 * triggers on `salesforce.target` for INSERT, UPDATE, DELETE and TRUNCATE
 * raise an exception, so a text that would change the table fails with
 * `WROTE` (and nothing is changed: every text runs in a transaction rolled
 * back). Each text runs with standard_conforming_strings on and off.
 *
 * - Generated texts: lexical atoms (quotes, comment markers, CR and LF,
 *   backslashes, dollar tags, U& and E prefixes, UESCAPE) around a write.
 *   Whenever the server writes, the guard must refuse; whenever the server
 *   runs the text without an error under both settings and writes nothing,
 *   the guard must let it through.
 * - Hand-written texts, each with what the guard must say, and code that
 *   writes later (functions, rules) called after it is created.
 * An app table `public.target` shares the read-only table's name: the
 * session's search_path (the default) resolves unqualified names to it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { WriteNotSupportedError, hcTable, sfText } from '../../src/index.ts';
import { SessionSearchPath, refuseWritingSql } from '../../src/guard/read-only-tables.ts';
import { createTestDatabase } from '../../src/testing/test-database.ts';

// The read-only hcTable whose writes the server reports.
hcTable('Target', { name: sfText('Name') });

const SETUP = [
  'create schema salesforce',
  'create table salesforce.target (id serial primary key, sfid varchar(18), name text)',
  'create table public.target (id serial primary key, name text)',
  'create table public.note (id serial primary key, body text)',
  `create function salesforce.refuse() returns trigger language plpgsql as $$ begin raise exception 'WROTE salesforce.target'; end $$`,
  `create trigger refuse before insert or update or delete on salesforce.target for each statement execute function salesforce.refuse()`,
  `create trigger refuse_truncate before truncate on salesforce.target for each statement execute function salesforce.refuse()`,
];

interface Server {
  readonly name: string;
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

/** What the server does with `text` (then `followUp`, in the same transaction) under one setting. */
async function run(server: Server, text: string, standardStrings: boolean, followUp?: string): Promise<'wrote' | 'ran' | 'error'> {
  await server.exec('begin');
  try {
    await server.exec(`set local standard_conforming_strings = ${standardStrings ? 'on' : 'off'}`);
    await server.exec(`set local escape_string_warning = off`);
    await server.exec(text);
    if (followUp !== undefined) await server.exec(followUp);
    return 'ran';
  } catch (error) {
    return /WROTE/.test(String((error as Error).message)) ? 'wrote' : 'error';
  } finally {
    await server.exec('rollback');
  }
}

/** Whether the guard refuses `text`, for a session with PostgreSQL's default search_path and role postgres. */
function refuses(text: string): boolean {
  try {
    refuseWritingSql(text, undefined, new SessionSearchPath({ roles: ['postgres'] }));
    return false;
  } catch (error) {
    if (error instanceof WriteNotSupportedError) return true;
    throw error;
  }
}

// Seeded, so every run tries the same texts.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = [
  "'", "''", '"', '--', '--', '\n', '\r', '\r\n', '\f', '\v', '/*', '*/', '/*', '*/', '$$', '$a$', '$A$', 'x$a$', "E'", "e'",
  "U&'", 'U&"', '\\', '\\', "\\'", '\\\\', ' ', ' ', 'a', '1', ',', ' as ', ' uescape ', "'!'", '!0064', '\\0064', '\u00a0',
  'ë', '\t', '-', '*', '/',
];
// Each begins with a reserved word, so none can be read as a column alias of the select before it.
const WRITES = [
  'with w as (select 1) delete from salesforce.target where false',
  'with w as (select 1) update salesforce.target set name = name where false',
  'with w as (select 1) insert into SALESFORCE.TARGET (name) select 1 where false',
  'with w as (select 1) delete from U&"\\0073alesforce".target',
];

function generated(count: number): string[] {
  const next = random(0x5eed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const soup = () => Array.from({ length: Math.floor(next() * 5) }, () => pick(ATOMS)).join('');
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const write = pick(WRITES);
    texts.push(
      next() < 0.75
        ? `select 1 ${soup()};${soup()} ${write}; select 1 ${soup()}`
        : `do $body$ begin perform 1 ${soup()}; ${write}; ${soup()} end $body$`,
    );
  }
  return texts;
}

// plpgsql statements: writes of the read-only table, and look-alikes that write nothing to it.
const CODE_WRITES = [
  'update salesforce.target set name = name where false;',
  'delete from salesforce.target where false;',
  'insert into salesforce.target (name) select 1 where false;',
  "execute 'delete from salesforce.target where false';",
  "execute 'explain analyze delete from salesforce.target where false';",
  'merge into salesforce.target t using note n on false when matched then update set name = 1;',
];
const CODE_LOOKALIKES = [
  'perform * from salesforce.target for update;',
  'perform * from salesforce.target for no key update skip locked;',
  "insert into note (id, body) values (-1, 'x') on conflict (id) do update set body = 'y';",
  "merge into note n using salesforce.target t on false when matched then update set body = 'x' when not matched then do nothing;",
  "raise notice 'update salesforce.target set name = 1';",
  "raise notice using message = 'delete from salesforce.target', hint = 'insert into salesforce.target values (1)';",
  "execute 'explain delete from salesforce.target';",
  'update note set body = body where false;',
  'delete from target where false;',
  'null;',
];
// Blocks that run their statements (`S`); none catches the trigger's exception.
const CODE_WRAPPERS = [
  'if true then S end if;',
  'if false then null; elsif true then S end if;',
  'if false then null; else S end if;',
  'case when true then S else null; end case;',
  'case 1 when 1 then S end case;',
  'loop S exit; end loop;',
  'for i in 1..1 loop S end loop;',
  'declare r record; begin for r in select 1 loop S end loop; end;',
  'while false loop null; end loop; S',
  'begin S exception when division_by_zero then null; end;',
  'begin perform 1/0; exception when division_by_zero then S end;',
  '<<block>> begin S end;',
];

function generatedCode(count: number): { text: string; writes: boolean }[] {
  const next = random(0xc0de);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const blocks: { text: string; writes: boolean }[] = [];
  for (let n = 0; n < count; n++) {
    let writes = false;
    const body = (depth: number): string =>
      Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
        if (depth < 3 && next() < 0.5) return pick(CODE_WRAPPERS).replace('S', body(depth + 1));
        if (next() < 0.15) {
          writes = true;
          return pick(CODE_WRITES);
        }
        return pick(CODE_LOOKALIKES);
      }).join(' ');
    const text = `do $$ begin ${body(0)} end $$`;
    blocks.push({ text, writes });
  }
  return blocks;
}

/** Hand-written texts and what the guard must do with each (`followUp` runs after, for code made for later). */
const CASES: { text: string; refused: boolean; followUp?: string }[] = [
  // Comments: a `--` comment ends at CR as well as LF; block comments nest.
  { text: 'select 1 -- note\r; delete from salesforce.target', refused: true },
  { text: 'select 1 -- note\r\n; delete from salesforce.target', refused: true },
  { text: 'select 1 -- note\f; delete from salesforce.target', refused: false },
  { text: 'select 1 -- note\u2028; delete from salesforce.target', refused: false },
  { text: 'select 1 /* a /* b */ delete from salesforce.target */', refused: false },
  { text: 'select 1 /* a /* b */ c */ ; delete from salesforce.target', refused: true },
  // Strings: backslashes per standard_conforming_strings, E'' escapes, continuation.
  { text: "select 'a\\'; delete from salesforce.target; select 1 -- '", refused: true }, // writes with it on
  { text: "select 'a\\''; delete from salesforce.target; select 1 --'", refused: true }, // writes with it off
  { text: "select E'a\\'; delete from salesforce.target; select '", refused: false },
  { text: "select 'a''; delete from salesforce.target; select '", refused: false },
  { text: "select 'it''s' ; delete from salesforce.target", refused: true },
  { text: "do 'begin delete from sal'\n'esforce.target; end'", refused: true },
  { text: "do 'begin delete from sal' -- split\n  'esforce.target; end'", refused: true },
  { text: "do E'begin \\x64elete from salesforce.target; end'", refused: true },
  { text: "do E'begin \\144elete from salesforce.target; end'", refused: true },
  { text: "do E'begin \\u0064elete from salesforce.target; end'", refused: true },
  // Unicode escapes, with UESCAPE.
  { text: "do U&'begin \\0064elete from salesforce.target; end'", refused: true },
  { text: "do U&'begin !0064elete from salesforce.target; end' uescape '!'", refused: true },
  { text: "do U&'begin !+000064elete from salesforce.target; end' UESCAPE '!'", refused: true },
  { text: 'delete from U&"\\0073alesforce".target', refused: true },
  { text: 'delete from U&"!0073alesforce" uescape \'!\' . U&"t!0061rget" UESCAPE \'!\'', refused: true },
  { text: 'delete from U&"!0073alesforce".target', refused: false }, // no UESCAPE: `!` is no escape
  { text: 'select U&"\\0064elete" from salesforce.target', refused: false },
  // Dollar quotes: tags are case-sensitive, and `$` inside a name is no quote.
  { text: 'select $a$ $A$ ; delete from salesforce.target; $a$', refused: false },
  { text: 'select 1 as x$a$ ; delete from salesforce.target; select 1 as y$a$', refused: true },
  // Names: folding, quoting, truncation to 63 bytes.
  { text: 'delete from SALESFORCE.Target', refused: true },
  { text: 'delete from "SALESFORCE".target', refused: false },
  { text: `delete from salesforce.target${'_'.repeat(0)}`, refused: true },
  { text: 'delete from salesforce . "target"', refused: true },
  { text: 'delete from only (salesforce.target)', refused: true },
  { text: 'truncate only (salesforce.target)', refused: true },
  // Unqualified names resolve through the default search_path: public.target is the app's.
  { text: 'delete from target', refused: false },
  { text: 'update "target" set name = 1', refused: false },
  { text: 'set search_path to salesforce, public; delete from target', refused: true },
  { text: "select set_config('search_path', 'salesforce', true); delete from target", refused: true },
  // plpgsql: statements after THEN, ELSE, LOOP, EXCEPTION ... THEN.
  { text: 'do $$ begin if true then update salesforce.target set name = 1; end if; end $$', refused: true },
  { text: 'do $$ begin if false then null; else update salesforce.target set name = 1; end if; end $$', refused: true },
  { text: 'do $$ begin case when true then update salesforce.target set name = 1; end case; end $$', refused: true },
  { text: 'do $$ declare r record; begin for r in select * from note for update loop null; end loop; update salesforce.target set name = 1; end $$', refused: true },
  { text: 'do $$ begin loop update salesforce.target set name = 1; exit; end loop; end $$', refused: true },
  { text: `do $$ begin perform 1/0; exception when others then update salesforce.target set name = 1; end $$`, refused: true },
  { text: 'do $$ begin insert into note (body) values (1) on conflict do nothing; end $$', refused: false },
  { text: 'select * from salesforce.target for update', refused: false },
  { text: 'select * from salesforce.target for no key update nowait', refused: false },
  // RAISE and ASSERT messages are text; their arguments may be code.
  { text: `do $$ begin raise notice 'then update salesforce.target set name = 1'; end $$`, refused: false },
  { text: `do $$ begin raise notice using message = 'delete from salesforce.target'; end $$`, refused: false },
  { text: `do $$ begin assert true, 'delete from salesforce.target'; end $$`, refused: false },
  { text: `do $$ begin execute 'delete from salesforce.target'; end $$`, refused: true },
  // EXPLAIN runs nothing; EXPLAIN ANALYZE runs the statement.
  { text: 'explain delete from salesforce.target', refused: false },
  { text: 'explain (costs off, verbose) update salesforce.target set name = 1', refused: false },
  { text: 'explain (analyze false) delete from salesforce.target', refused: false },
  { text: 'explain analyze delete from salesforce.target', refused: true },
  { text: 'explain (analyze) delete from salesforce.target', refused: true },
  { text: 'explain (analyse on, format json) delete from salesforce.target', refused: true },
  { text: 'explain delete from note; delete from salesforce.target', refused: true },
  // Rules and functions write later: called here after they are made.
  { text: 'create rule r as on insert to note do update salesforce.target set name = 1', refused: true, followUp: "insert into note (body) values ('x')" },
  { text: 'create rule r as on insert to note do also update salesforce.target set name = 1', refused: true, followUp: "insert into note (body) values ('x')" },
  { text: 'create or replace rule r as on insert to note do instead (insert into salesforce.target (name) values (1))', refused: true, followUp: "insert into note (body) values ('x')" },
  {
    text: 'create function f() returns void language plpgsql as $$ begin if true then update salesforce.target set name = 1; end if; end $$',
    refused: true,
    followUp: 'select f()',
  },
  {
    text: 'create function f() returns trigger language plpgsql as $$ begin insert into salesforce.target (name) values (1); return new; end $$; create trigger t after insert on note for each row execute function f()',
    refused: true,
    followUp: "insert into note (body) values ('x')",
  },
  { text: 'create function f() returns void language sql as $$ delete from target $$', refused: true, followUp: 'set local search_path = salesforce, public; select f()' },
  {
    text: 'create function f() returns void language sql set search_path = public as $$ delete from target $$',
    refused: true,
    followUp: 'alter function f() reset search_path; set local search_path = salesforce, public; select f()',
  },
];

async function openServers(): Promise<Server[]> {
  const lite = new PGlite();
  for (const statement of SETUP) await lite.exec(statement);
  const servers: Server[] = [{ name: 'pglite', exec: async (text) => void (await lite.exec(text)), close: () => lite.close() }];
  const url = process.env['DATABASE_URL'] || undefined;
  if (url !== undefined) {
    const database = await createTestDatabase({ url });
    const [{ name }] = (await database.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
    const direct = new URL(url);
    direct.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: direct.toString() });
    await client.connect();
    for (const statement of SETUP) await client.query(statement);
    servers.push({
      name: 'postgresql',
      exec: async (text) => void (await client.query(text)),
      close: async () => {
        await client.end();
        await database.close();
      },
    });
  }
  return servers;
}

const servers = await openServers();
after(async () => {
  for (const server of servers) await server.close();
});

for (const server of servers) {
  describe(`the guard reads SQL text as ${server.name} does`, () => {
    before(async () => {
      // The triggers report a write: a bare write must fail with WROTE.
      assert.equal(await run(server, 'delete from salesforce.target', true), 'wrote');
      assert.equal(await run(server, 'delete from target', true), 'ran');
    });

    test('hand-written texts: refused exactly when the server writes the read-only table', async () => {
      for (const { text, refused, followUp } of CASES) {
        const on = await run(server, text, true, followUp);
        const off = await run(server, text, false, followUp);
        const wrote = on === 'wrote' || off === 'wrote';
        assert.equal(wrote, refused, `${JSON.stringify(text)}: the server ${wrote ? 'writes' : 'does not write'} (${on}/${off})`);
        assert.equal(refuses(text), refused, `${JSON.stringify(text)}: the guard must ${refused ? '' : 'not '}refuse it`);
      }
    });

    test('generated plpgsql blocks: refused exactly when the server writes the read-only table', async () => {
      let writes = 0;
      for (const { text, writes: expected } of generatedCode(server.name === 'pglite' ? 300 : 600)) {
        const outcome = await run(server, text, true);
        assert.notEqual(outcome, 'error', `${text} fails on the server`);
        assert.equal(outcome === 'wrote', expected, `${text}: the server ${outcome}`);
        assert.equal(refuses(text), expected, `${text}: the guard must ${expected ? '' : 'not '}refuse it`);
        if (expected) writes++;
      }
      assert.ok(writes > 30, `only ${writes} blocks wrote`);
    });

    test('generated texts: every write the server makes is refused, and every text it runs cleanly without writing is not', async () => {
      let writes = 0;
      let clean = 0;
      for (const text of generated(server.name === 'pglite' ? 2000 : 3000)) {
        const on = await run(server, text, true);
        const off = await run(server, text, false);
        const guard = refuses(text);
        if (on === 'wrote' || off === 'wrote') {
          writes++;
          assert.ok(guard, `the server writes with ${JSON.stringify(text)} (${on}/${off}) and the guard lets it through`);
        } else if (on === 'ran' && off === 'ran') {
          clean++;
          assert.ok(!guard, `the server runs ${JSON.stringify(text)} without writing and the guard refuses it`);
        }
      }
      // The corpus must hold both kinds, or it proves nothing.
      assert.ok(writes > 50, `only ${writes} texts wrote`);
      assert.ok(clean > 40, `only ${clean} texts ran clean`);
    });
  });
}
