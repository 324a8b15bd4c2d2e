/** What `--help` shows after a flag that takes a value, instead of clipanion's `#0`. */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  '--url': '<postgres-url>',
  '--config': '<file>',
  '--schema': '<file-or-glob>',
  '--output': '<file>',
  '--app': '<app>',
  '--app-name': '<app>',
  '--organization-id': '<org-id>',
  '--exported-at': '<iso-time>',
  '--since': '<iso-time>',
  '--until': '<iso-time>',
  '--id': '<ids>',
  '--table': '<table>',
  '--limit': '<count>',
  '--hc-schema': '<schema>',
  '--mapping': '<file.json>',
  '--only': '<Object,...>',
  '--connection': '<connection-id>',
  '--wait-interval': '<seconds>',
  '--timeout': '<seconds>',
  '--request-timeout': '<seconds>',
  '--write-algorithm': '<merged|ordered>',
  '--port': '<port>',
  '--interval': '<seconds>',
  '--org': '<fixtures.json>',
  '--also-drop': '<object>',
  '--group': '<group-name>',
};

/**
 * The placeholder of a flag spelled `-o,--output`: the table's entry for its
 * long name, else the long name itself (`--mapping` shows `<mapping>`).
 */
export function placeholderOf(flags: string): string {
  const long = flags.split(',').at(-1) ?? flags;
  return PLACEHOLDERS[long] ?? `<${long.replace(/^-+/, '')}>`;
}
