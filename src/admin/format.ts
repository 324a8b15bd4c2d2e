/** How numbers, times and values read on the admin page. */
import { html, type Html } from './html.ts';

const numbers = new Intl.NumberFormat('en-US');

/** `1234` → `1,234`. */
export function formatCount(n: number): string {
  return numbers.format(n);
}

/** An estimate to two significant figures: 183,412 → `about 180,000`. */
export function aboutCount(n: number): string {
  if (n < 100) return `about ${formatCount(n)}`;
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return `about ${formatCount(Math.round(n / unit) * unit)}`;
}

/** `1 log`, `2 logs`, `1,234 logs`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** `2024-06-01 12:34:56`, UTC. */
export function utcText(at: Date): string {
  return at.toISOString().replace('T', ' ').slice(0, 19);
}

/** A time as UTC text in a `<time>` element; a dash when there is none. */
export function timeCell(at: Date | null | undefined): Html {
  return at === null || at === undefined ? html`<span class="none">–</span>` : html`<time datetime="${at.toISOString()}">${utcText(at)}</time>`;
}

/** A field value from hstore text: NULL is shown as such, not as an empty cell. */
export function valueCell(value: string | null | undefined): Html {
  if (value === undefined) return html`<span class="none">–</span>`;
  if (value === null) return html`<span class="null">NULL</span>`;
  if (value === '') return html`<span class="none">(empty)</span>`;
  return html`<span class="value">${value}</span>`;
}

/** The first `max` characters of a message, on one line. */
export function shortMessage(message: string | null, max = 160): string {
  if (message === null) return '';
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
