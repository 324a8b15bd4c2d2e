/**
 * Values between an hcTable row and a Salesforce record, per field kind
 * (the describe type of src/columns/kinds.ts): date/times travel as UTC ISO
 * 8601, dates as `YYYY-MM-DD`, times as `HH:MM:SS.sssZ`, multi-select
 * picklists as `A;B`, checkboxes as booleans, numbers as numbers
 * (heroku-connect.md §1; the REST API's JSON formats). Edge-safe.
 */
import { fieldKind, type SfDescribeType } from '../columns/kinds.ts';
import { InputError } from '../errors.ts';
import type { SfColumn } from '../metadata.ts';

interface Conversion {
  /** A row's value (as Drizzle reads it) as the REST API takes it. */
  readonly toSalesforce: (value: unknown) => unknown;
  /** A record's value as the column takes it on insert. */
  readonly fromSalesforce: (value: unknown) => unknown;
}

/** A Date/Time value as Salesforce sends it (`2024-05-01T12:00:00.000+0000`), or null when it is none. */
export function salesforceDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Thrown by a conversion that cannot read the value; valueToSalesforce names the column. */
class NotOfType extends Error {}

const asNumber = (value: unknown) => {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new NotOfType();
  return number;
};

const asDate = (value: unknown) => {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new NotOfType();
  return date;
};

const NUMBER: Conversion = { toSalesforce: asNumber, fromSalesforce: (value) => (typeof value === 'number' ? value : Number(value)) };

const CONVERSIONS: Partial<Record<SfDescribeType, Conversion>> = {
  datetime: {
    toSalesforce: (value) => asDate(value).toISOString(),
    fromSalesforce: salesforceDate,
  },
  date: {
    toSalesforce: (value) => (value instanceof Date ? asDate(value).toISOString().slice(0, 10) : String(value)),
    fromSalesforce: (value) => value,
  },
  time: {
    // `HH:MM[:SS[.fff]]` from the column; Salesforce writes and reads `HH:MM:SS.sssZ`.
    toSalesforce: (value) => {
      const [hours = '00', minutes = '00', seconds = '00'] = String(value).replace(/Z$/, '').split(':');
      const [whole = '00', fraction = ''] = seconds.split('.');
      return `${hours.padStart(2, '0')}:${minutes.padStart(2, '0')}:${whole.padStart(2, '0')}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
    },
    fromSalesforce: (value) => (typeof value === 'string' ? value.replace(/Z$/, '') : value),
  },
  multipicklist: {
    toSalesforce: (value) => (Array.isArray(value) ? value.join(';') : value),
    fromSalesforce: (value) => (typeof value === 'string' ? (value === '' ? [] : value.split(';')) : value),
  },
  // A checkbox is never null in Salesforce: a NULL column means unchecked.
  boolean: { toSalesforce: (value) => value === true, fromSalesforce: (value) => value === true },
  double: NUMBER,
  currency: NUMBER,
  percent: NUMBER,
  int: NUMBER,
};

/**
 * A row's value of `column` as the REST API takes it; `null` stays null (it
 * clears the field), except for checkboxes.
 *
 * @throws {InputError} when the value cannot be the field's type (an invalid date, not a number).
 */
export function valueToSalesforce(column: SfColumn, value: unknown): unknown {
  const type = fieldKind(column.field.kind).describeType;
  const conversion = CONVERSIONS[type];
  if (conversion === undefined) return value;
  if (value === null && type !== 'boolean') return null;
  try {
    return conversion.toSalesforce(value);
  } catch (error) {
    if (!(error instanceof NotOfType)) throw error;
    const shown = typeof value === 'number' || value instanceof Date ? String(value) : JSON.stringify(value);
    throw new InputError(`${column.key} (${column.field.sfName}) holds ${shown}, which Salesforce cannot take as a ${type} field.`);
  }
}

/** A record's value of `column` as the column takes it (`Date` for date/times, an array for multi-picklists). */
export function valueFromSalesforce(column: SfColumn, value: unknown): unknown {
  if (value === null || value === undefined) return column.field.kind === 'checkbox' ? false : null;
  const conversion = CONVERSIONS[fieldKind(column.field.kind).describeType];
  return conversion === undefined ? value : conversion.fromSalesforce(value);
}
