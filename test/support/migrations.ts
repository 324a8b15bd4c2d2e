/**
 * A migrations folder as the installed drizzle-orm's `migrate()` reads it:
 * 0.45 wants `meta/_journal.json` and `<tag>.sql`, 1.0 a folder per
 * migration holding `migration.sql` (and refuses a journal).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmVersion } from 'drizzle-orm/version';

/** Write one migration per text into a fresh folder and return its path. */
export async function writeMigrations(migrations: readonly string[]): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'hc-drizzle-migrations-'));
  const tags = migrations.map((_, i) => `2024010100000${i}_migration_${i}`);
  if (npmVersion.startsWith('0.')) {
    await mkdir(join(folder, 'meta'));
    const entries = tags.map((tag, i) => ({ idx: i, version: '7', when: 1704067200000 + i, tag, breakpoints: true }));
    await writeFile(join(folder, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
    for (const [i, tag] of tags.entries()) await writeFile(join(folder, `${tag}.sql`), migrations[i]!);
  } else {
    for (const [i, tag] of tags.entries()) {
      await mkdir(join(folder, tag));
      await writeFile(join(folder, tag, 'migration.sql'), migrations[i]!);
    }
  }
  return folder;
}
