/**
 * Field values in the emulated org are what Salesforce's REST API carries
 * in JSON: text, numbers, booleans, `YYYY-MM-DD` dates,
 * `YYYY-MM-DDTHH:MM:SS.sss+0000` datetimes, `HH:MM:SS.sssZ` times, and
 * multi-select picklists as `a;b`. Converting to them from REST bodies and
 * from the trigger log's hstore text. PostgreSQL reads them as column values
 * as they are (a datetime's offset and a time's `Z` are dropped by
 * `timestamp` and `time` input, and both are UTC).
 */
import { canonicalId } from '../ids.ts';
import { refuse, type WriteRefusal } from './errors.ts';
import type { OrgField } from './objects.ts';

/** A field value as JSON carries it. */
export type FieldValue = string | number | boolean | null;
/** A record's fields by their describe names. */
export type RecordFields = Record<string, FieldValue>;

/** A datetime as Salesforce writes it: `2024-06-01T12:00:00.000+0000`. */
export function salesforceDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?Z?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A datetime text (ISO 8601, or PostgreSQL's `2024-06-01 12:00:00.123` read as UTC) as a Date, or undefined. */
export function parseDateTime(text: string): Date | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (match === null) return undefined;
  const zone = match[3] === undefined || match[3] === 'Z' ? 'Z' : match[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function validDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function normalTime(text: string): string | undefined {
  const match = TIME.exec(text.trim());
  if (match === null) return undefined;
  const [, hours, minutes, seconds = '00', fraction = '.000'] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  return `${hours}:${minutes}:${seconds}.${fraction.slice(1).padEnd(3, '0').slice(0, 3)}Z`;
}

/**
 * A value from a REST body (or the org API) in the field's canonical form,
 * or the refusal Salesforce gives for it.
 */
export function normalizeValue(field: OrgField, value: unknown): { value: FieldValue } | { refusal: WriteRefusal } {
  if (value === null || value === undefined) return { value: field.type === 'boolean' ? false : null };
  const wrong = () => ({ refusal: refuse.invalidType(field.name, field.type, value) });
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      if (value === 'true' || value === 'false') return { value: value === 'true' };
      return wrong();
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number) || (field.type === 'int' && !Number.isInteger(number))) return wrong();
      return { value: number };
    }
    case 'date':
      if (typeof value !== 'string') return wrong();
      if (validDate(value)) return { value };
      return parseDateTime(value) === undefined ? wrong() : { value: value.slice(0, 10) };
    case 'datetime': {
      if (typeof value !== 'string') return wrong();
      const date = parseDateTime(value);
      return date === undefined ? wrong() : { value: salesforceDateTime(date) };
    }
    case 'time': {
      const time = typeof value === 'string' ? normalTime(value) : undefined;
      return time === undefined ? wrong() : { value: time };
    }
    case 'id':
    case 'reference': {
      if (typeof value !== 'string') return wrong();
      if (value === '') return { value: null };
      const id = canonicalId(value);
      return id === undefined ? { refusal: refuse.malformedId(field.name, value) } : { value: id };
    }
    case 'email':
      if (typeof value !== 'string') return wrong();
      if (value !== '' && !EMAIL.test(value)) return { refusal: refuse.invalidEmail(field.name, value) };
      return { value: value === '' ? null : value };
    default:
      if (typeof value === 'object') return wrong();
      return { value: value === '' ? null : String(value) };
  }
}

/** A column's text, as hstore holds it (`t`/`f`, PostgreSQL's timestamp text), as a REST JSON value. */
export function valueFromColumnText(field: OrgField, text: string | null): unknown {
  if (text === null) return null;
  switch (field.type) {
    case 'boolean':
      return text === 't' || text === 'true';
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return Number(text);
    default:
      return text;
  }
}
