/**
 * HTML built from tagged templates that escape every interpolated value, so
 * text from Salesforce or the app (`sf_message`, `values`, table names) can
 * never become markup. Only {@link Html} values, made by `html` itself, are
 * inserted as they are.
 */

/** A piece of markup that is already safe to insert. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/** Markup for one interpolated value: nothing for null, undefined and false; arrays in order. */
function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * @example
 * html`<td>${log.sfMessage}</td>` // the message is escaped
 */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): Html {
  let text = strings[0]!;
  for (let at = 0; at < values.length; at++) text += render(values[at]) + strings[at + 1]!;
  return new Html(text);
}
