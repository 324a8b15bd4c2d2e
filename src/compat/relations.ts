/**
 * Reading the joins Drizzle's relation APIs declare, for `check` (E005): the
 * `relations()` of 0.45 (1.0's `drizzle-orm/_relations`), and 1.0's
 * `defineRelations()`. Both are read by shape, not by class, so one reader
 * serves both versions and duplicate drizzle-orm copies.
 */
import { isPgTable, type PgColumn, type PgTable } from '../compat.ts';

/** One join a relation declares: `sourceColumns` of `source` equal `targetColumns` of `target`. */
export interface RelationJoin {
  readonly source: PgTable;
  /** The relation's name (its key in the config). */
  readonly name: string;
  readonly sourceColumns: readonly PgColumn[];
  readonly target: PgTable;
  readonly targetColumns: readonly PgColumn[];
}

type Members = Record<string, unknown>;

const isObject = (value: unknown): value is Members => typeof value === 'object' && value !== null;

function isColumn(value: unknown): value is PgColumn {
  return isObject(value) && typeof value['name'] === 'string' && isObject(value['table']);
}

/** 1.0's `r.table.column` (a builder column holding `_.column`), or a column. */
function columnOf(value: unknown): PgColumn | undefined {
  if (isColumn(value)) return value;
  const inner = isObject(value) && isObject(value['_']) ? (value['_'] as Members)['column'] : undefined;
  return isColumn(inner) ? inner : undefined;
}

function columnsOf(value: unknown): PgColumn[] | undefined {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const columns = list.map(columnOf);
  return columns.length > 0 && columns.every((column) => column !== undefined) ? (columns as PgColumn[]) : undefined;
}

/**
 * `relations(table, config)` (0.45; 1.0's `drizzle-orm/_relations`): an object
 * with `table` and a `config(helpers)` function. The helpers given here only
 * record what `one(target, { fields, references })` was asked (`many` joins
 * through the `one` on the other side, so it declares no columns).
 */
function legacyJoins(value: Members): RelationJoin[] | undefined {
  const source = value['table'];
  const config = value['config'];
  if (!isPgTable(source) || typeof config !== 'function') return undefined;
  interface Recorded {
    readonly target: unknown;
    readonly config: unknown;
    /** `relations()` names each relation through it. */
    withFieldName(): Recorded;
  }
  const recorded: Recorded[] = [];
  const one = (target: unknown, relationConfig?: unknown): Recorded => {
    const entry: Recorded = { target, config: relationConfig, withFieldName: () => entry };
    recorded.push(entry);
    return entry;
  };
  const many = (target: unknown): Recorded => {
    const entry: Recorded = { target, config: undefined, withFieldName: () => entry };
    return entry;
  };
  let declared: unknown;
  try {
    declared = (config as (helpers: unknown) => unknown)({ one, many });
  } catch {
    return []; // a config that needs Drizzle's own helpers: nothing readable
  }
  if (!isObject(declared)) return [];
  const joins: RelationJoin[] = [];
  for (const [name, relation] of Object.entries(declared)) {
    const entry = recorded.find((candidate) => candidate === relation);
    if (entry === undefined || !isPgTable(entry.target) || !isObject(entry.config)) continue;
    const sourceColumns = columnsOf(entry.config['fields']);
    const targetColumns = columnsOf(entry.config['references']);
    if (sourceColumns !== undefined && targetColumns !== undefined) {
      joins.push({ source, name, sourceColumns, target: entry.target, targetColumns });
    }
  }
  return joins;
}

/**
 * `defineRelations(schema, r => ...)` (1.0): an object of
 * `{ table, name, relations }` per table, each relation holding
 * `sourceColumns`, `targetTable` and `targetColumns` once built.
 */
function definedJoins(value: Members): RelationJoin[] | undefined {
  const joins: RelationJoin[] = [];
  let tables = 0;
  for (const tableConfig of Object.values(value)) {
    if (!isObject(tableConfig) || !isPgTable(tableConfig['table']) || !isObject(tableConfig['relations'])) return undefined;
    tables++;
    const source = tableConfig['table'];
    for (const [name, relation] of Object.entries(tableConfig['relations'] as Members)) {
      if (!isObject(relation) || !isPgTable(relation['targetTable'])) continue;
      const sourceColumns = relation['sourceColumns'] === undefined ? undefined : columnsOf(relation['sourceColumns']);
      const targetColumns = relation['targetColumns'] === undefined ? undefined : columnsOf(relation['targetColumns']);
      if (sourceColumns !== undefined && targetColumns !== undefined) {
        joins.push({ source, name, sourceColumns, target: relation['targetTable'], targetColumns });
      }
    }
  }
  return tables > 0 ? joins : undefined;
}

/** The joins `value` declares when it is a `relations()` or `defineRelations()` result, else undefined. */
export function relationJoinsOf(value: unknown): RelationJoin[] | undefined {
  if (!isObject(value) || isPgTable(value)) return undefined;
  return legacyJoins(value) ?? definedJoins(value);
}
