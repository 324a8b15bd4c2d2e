/**
 * Text from outside (API messages, reply fields, records) made safe to put
 * in a message or on a terminal: control characters (ESC and the rest of C0,
 * DEL, C1) become visible `\u001b` escapes, so no reply can move the cursor,
 * recolour, retitle or rewrite what a person reads. Edge-safe.
 */

// C0 except tab and line feed, DEL, C1 (0x9b is CSI on its own).
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const visibleEscape = (control: string) => `\\u${control.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * `text` with terminal control characters shown as `\uXXXX` escapes; tabs and
 * line feeds kept. Inside JSON text this is an identity of meaning: a control
 * character can only sit in a string there, where the escape reads the same.
 */
export function neutraliseTerminalControls(text: string): string {
  return text.replace(TERMINAL_CONTROLS, visibleEscape);
}

/** The default length of a piece of outside text inside one message. */
export const SNIPPET_LENGTH = 120;

/**
 * One line of outside text for a message: redacted first (so a cut can never
 * leave part of a secret), then controls neutralised, white space flattened,
 * and cut to `max` characters.
 *
 * @example
 * `failed (${snippet(reply.text, redactor.redact)})`
 */
export function snippet(text: string, redact: (text: string) => string, max = SNIPPET_LENGTH): string {
  const flat = neutraliseTerminalControls(redact(text)).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
