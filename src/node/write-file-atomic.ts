import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.ts';

let written = 0;

/** How many taken temporary names a write skips before it gives up. */
const MAX_TAKEN_NAMES = 1000;

/**
 * Write a file all at once: to a temporary file beside it, then rename, so a
 * reader never sees half of it and a failure leaves the old file untouched.
 */
export async function writeFileAtomic(path: string, contents: string): Promise<void> {
  // Named from the pid and a counter, not at random (node:crypto takes about 3 ms to load as an ES module,
  // on every `export -o`), and created exclusively (`wx`). A name already taken, left by a crashed run
  // whose pid this one has again (in a container the CLI often gets the same pid), is skipped, not removed.
  for (let attempt = 0; ; attempt++) {
    const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${++written}.tmp`);
    try {
      await writeFile(temporary, contents, { flag: 'wx' });
      await rename(temporary, path);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // EEXIST comes from the exclusive create only: that file is not this write's to remove.
      if (code === 'EEXIST' && attempt < MAX_TAKEN_NAMES) continue;
      if (code !== 'EEXIST') await rm(temporary, { force: true }).catch(() => undefined);
      throw new InputError(`Cannot write ${path} (${code ?? (error as Error).message}).`, { cause: error });
    }
  }
}
