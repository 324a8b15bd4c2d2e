import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.ts';

let written = 0;

/**
 * Write a file all at once: to a temporary file beside it, then rename, so a
 * reader never sees half of it and a failure leaves the old file untouched.
 */
export async function writeFileAtomic(path: string, contents: string): Promise<void> {
  // Unique per process and call, and created exclusively (`wx`), so no other writer shares it; not random,
  // because node:crypto takes about 3 ms to load as an ES module, on every `export -o`.
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${++written}.tmp`);
  try {
    await writeFile(temporary, contents, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`Cannot write ${path} (${reason}).`, { cause: error });
  }
}
