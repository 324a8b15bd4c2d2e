/**
 * W141: drizzle-kit `generate` writes DDL for every table exported from the
 * files its `schema` matches, whatever `schemaFilter` says (drizzle-notes.md §4),
 * and Heroku Connect will not take over a table that already exists
 * (heroku-connect.md §2.1). A warning, as design.md says: nothing breaks until
 * someone runs the generated migration.
 */
import { isHcTable } from '../metadata.ts';
import { placeOf, type CheckContext } from './context.ts';
import { diagnostic, type Diagnostic } from './diagnostic.ts';

export function checkDrizzleKitExports(context: CheckContext): Diagnostic[] {
  return (context.options.drizzleKitFiles ?? []).flatMap((file) =>
    Object.entries(file.exports).flatMap(([exportName, value]) =>
      isHcTable(value)
        ? [
            diagnostic(
              'W141',
              placeOf(value, exportName),
              undefined,
              `${file.path} exports the hcTable \`${exportName}\`, and drizzle-kit's \`schema\` matches that file: drizzle-kit generate would write CREATE TABLE for a table Heroku Connect owns.`,
              "Keep hcTables in their own module outside drizzle-kit's `schema` glob; app files may import them for joins and relations but must not export or re-export them.",
            ),
          ]
        : [],
    ),
  );
}
