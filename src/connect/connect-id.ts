/** Connection ids as the API and the flags may give them (light: the CLI's flag checks load it at start-up). */

/**
 * What a connection id may be: any opaque text (a uuid, a number, ...) but
 * empty, `.` or `..`, which even encoded would address another endpoint
 * (`/connections/../actions/import` is `/actions/import`), or text with
 * spaces or control characters (§5.3).
 */
export function isConnectIdText(text: string): boolean {
  return text !== '.' && text !== '..' && /^[^\s\u0000-\u001f\u007f]{1,200}$/.test(text);
}
