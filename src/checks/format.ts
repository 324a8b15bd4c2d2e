import type { Diagnostic } from './diagnostic.ts';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The place a diagnostic points at: `table.column`, or `table`. */
export function placeOfDiagnostic(diagnostic: Diagnostic): string {
  return diagnostic.column === undefined ? diagnostic.table : `${diagnostic.table}.${diagnostic.column}`;
}

/**
 * Diagnostics as text for people: grouped by table, a line per finding with
 * code, level, place and message, its hint below, and a count at the end.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], tablesChecked: number): string {
  const lines: string[] = [];
  let table: string | undefined;
  for (const diagnostic of diagnostics) {
    if (diagnostic.table !== table) {
      if (table !== undefined) lines.push('');
      table = diagnostic.table;
      lines.push(table);
    }
    lines.push(`  ${diagnostic.code} ${diagnostic.level} ${placeOfDiagnostic(diagnostic)}: ${diagnostic.message}`);
    lines.push(`    hint: ${diagnostic.hint}`);
  }
  const errors = diagnostics.filter((diagnostic) => diagnostic.level === 'error').length;
  const warnings = diagnostics.length - errors;
  const checked = plural(tablesChecked, 'table');
  if (diagnostics.length > 0) lines.push('');
  lines.push(
    diagnostics.length === 0
      ? `No problems found in ${checked}.`
      : `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${checked}.`,
  );
  return `${lines.join('\n')}\n`;
}
