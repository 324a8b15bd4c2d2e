import { InputError } from '../errors.ts';

// ISO 8601 date with optional time (midnight), fraction (up to microseconds) and offset.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Render an export time the way django-heroku-connect does (Python's
 * `datetime.isoformat()` on an aware datetime): `2024-01-31T12:00:00+00:00`,
 * with `.ffffff` microseconds only when they are not zero.
 */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function formatExportedAt(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new InputError('exportedAt is not a valid date.');
  const micros = at.getUTCMilliseconds() * 1000;
  return (
    `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}` +
    `T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}` +
    (micros === 0 ? '' : `.${pad(micros, 6)}`) +
    '+00:00'
  );
}

/**
 * Normalize an ISO 8601 export time given as text, keeping its offset and
 * microseconds as Python would print them; a time without offset is UTC.
 *
 * @throws {InputError} when the text is not an ISO 8601 date-time.
 */
/** @internal hc-drizzle's own modules use it; not exported by any entry. */
export function parseExportedAt(text: string): string {
  const match = ISO_DATE_TIME.exec(text.trim());
  const bad = () =>
    new InputError(`"${text}" is not an ISO 8601 date-time (for example 2024-01-31T12:00:00+00:00).`);
  if (match === null) throw bad();
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction, zone] = match as unknown as string[];
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? '+00:00' : normalizeOffset(zone);
  const probe = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`);
  const fieldsValid =
    Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(hour) <= 23 &&
    Number(minute) <= 59 && Number(second) <= 59 && Number(offset.slice(1, 3)) <= 23;
  if (!fieldsValid || Number.isNaN(probe.getTime()) || new Date(`${year}-${month}-${day}T00:00:00Z`).getUTCDate() !== Number(day)) {
    throw bad();
  }
  const micros = Number((fraction ?? '').padEnd(6, '0'));
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${micros === 0 ? '' : `.${pad(micros, 6)}`}${offset}`;
}

function normalizeOffset(zone: string): string {
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}
