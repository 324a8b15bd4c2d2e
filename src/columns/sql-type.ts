/**
 * One spelling for column types, whoever wrote them: Drizzle's DDL names
 * (`varchar(255)`, `timestamp`, `serial`) and `pg_catalog.format_type`'s
 * (`character varying(255)`, `timestamp without time zone`, `integer`) become
 * the same {@link ColumnType}, so code and database columns compare.
 */

/** A column type: PostgreSQL's own name for it, and its varchar/char length. */
export interface ColumnType {
  /** As `format_type` spells it, without the length: `character varying`, `timestamp without time zone`. */
  readonly type: string;
  readonly length?: number;
}

const ALIASES: Readonly<Record<string, string>> = {
  varchar: 'character varying',
  'char varying': 'character varying',
  char: 'character',
  bpchar: 'character',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  int: 'integer',
  int4: 'integer',
  // A serial column is an integer column with a sequence default.
  serial: 'integer',
  serial4: 'integer',
  int2: 'smallint',
  smallserial: 'smallint',
  int8: 'bigint',
  bigserial: 'bigint',
  float8: 'double precision',
  float4: 'real',
  bool: 'boolean',
  decimal: 'numeric',
};

const LENGTHS = new Set(['character varying', 'character']);

/**
 * Parse a column type as Drizzle or PostgreSQL writes it.
 *
 * @example parseColumnType('varchar(18)') // { type: 'character varying', length: 18 }
 */
export function parseColumnType(text: string): ColumnType {
  // `check` and `diff` parse every column's type, and a schema spells only a few distinct ones.
  let parsed = parsedTypes.get(text);
  if (parsed === undefined) {
    if (parsedTypes.size >= MAX_PARSED_TYPES) parsedTypes.clear();
    parsedTypes.set(text, (parsed = Object.freeze(parse(text))));
  }
  return parsed;
}

const parsedTypes = new Map<string, ColumnType>();
const MAX_PARSED_TYPES = 1000;

function parse(text: string): ColumnType {
  const spaced = text.trim().toLowerCase().replace(/\s+/g, ' ');
  // The modifier sits after the name (`varchar(18)`) or inside it (`timestamp(3) without time zone`).
  const match = /^([a-z0-9_ ]*?) ?\(([^)]*)\)(.*)$/.exec(spaced);
  const bare = match === null ? spaced : `${match[1]}${match[3]}`.trim();
  const type = ALIASES[bare] ?? bare;
  if (match === null) return { type };
  const modifier = match[2]!.trim();
  if (LENGTHS.has(type) && /^\d+$/.test(modifier)) return { type, length: Number(modifier) };
  // Other modifiers (precision, scale) stay part of the type: Heroku Connect creates none.
  return { type: match[3] ? `${match[1]}(${modifier})${match[3]}` : `${type}(${modifier})` };
}

/** How messages show a type: `varchar(255)`, `timestamp without time zone`, `double precision`. */
export function formatColumnType(columnType: ColumnType): string {
  const name = columnType.type === 'character varying' ? 'varchar' : columnType.type === 'character' ? 'char' : columnType.type;
  return columnType.length === undefined ? name : `${name}(${columnType.length})`;
}

/** Whether two column types are the same. */
export function sameColumnType(a: ColumnType, b: ColumnType): boolean {
  return a.type === b.type && a.length === b.length;
}
