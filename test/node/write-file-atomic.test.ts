/** writeFileAtomic, which `export -o` writes the mapping with. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/node/write-file-atomic.ts';

describe('writeFileAtomic', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hc-write-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('replaces the file and leaves no temporary file', async () => {
    const path = join(dir, 'mapping.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new');
    assert.equal(await readFile(path, 'utf8'), 'new');
    assert.deepEqual(await readdir(dir), ['mapping.json']);
  });

  it('writes past temporary files a crashed run with the same pid left, and leaves them alone', async () => {
    const sub = await mkdtemp(join(dir, 'leftovers-'));
    const path = join(sub, 'mapping.json');
    // Every name this process could try next, for a while.
    const leftovers = Array.from({ length: 50 }, (_, n) => `.mapping.json.${process.pid}.${n + 1}.tmp`);
    for (const name of leftovers) await writeFile(join(sub, name), 'half a mapping');
    for (const text of ['one', 'two', 'three']) {
      await writeFileAtomic(path, text);
      assert.equal(await readFile(path, 'utf8'), text);
    }
    assert.deepEqual((await readdir(sub)).sort(), [...leftovers, 'mapping.json'].sort());
  });

  it('fails in one sentence naming the path, and leaves nothing behind', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    await assert.rejects(writeFileAtomic(join(blocker, 'mapping.json'), 'x'), /^InputError: Cannot write .*a-file\/mapping\.json \(ENOTDIR\)\.$/);
  });
});
