/** The hcTables the emulated connection maps, with what syncing them needs. */
import { getTableName, tableSchemaOf } from '../../compat.ts';
import { qualified } from '../../dev/sql-text.ts';
import { sfColumnsOf, sfObjectOf, type HcTableLike } from '../../metadata.ts';
import type { Org } from '../org/org.ts';
import type { OrgField, OrgObject } from '../org/objects.ts';

/** One mapping: an hcTable and its org object. */
export interface MappedTable {
  readonly table: HcTableLike;
  /** The Heroku Connect schema. */
  readonly schema: string;
  /** The table name, as the trigger log's `table_name` holds it. */
  readonly name: string;
  /** `"schema"."table"`. */
  readonly sqlName: string;
  readonly object: OrgObject;
  /** The field each Salesforce-mapped column holds, by column name. */
  readonly fieldByColumn: ReadonlyMap<string, OrgField>;
  /** The column of the field Heroku Connect polls on (SystemModstamp or its stand-in). */
  readonly modstampColumn: string;
  /** The mapping's upsert field and its column, if it has one. */
  readonly upsert?: { readonly field: OrgField; readonly column: string };
  readonly pollingSeconds: number;
  readonly notifyEnabled: boolean;
}

/** Every hcTable of the org's objects, as mappings. */
export function mappedTablesOf(org: Org): MappedTable[] {
  const mapped: MappedTable[] = [];
  for (const object of org.objects.values()) {
    const table = object.table;
    if (table === undefined) continue;
    const meta = sfObjectOf(table)!;
    const fieldByColumn = new Map<string, OrgField>();
    let upsert: MappedTable['upsert'];
    for (const { column, field: meta } of sfColumnsOf(table)) {
      const field = object.field(meta.sfName)!;
      fieldByColumn.set(column.name, field);
      if (meta.upsert) upsert = { field, column: column.name };
    }
    const modstampColumn = [...fieldByColumn].find(([, field]) => field.name === object.modstampField)?.[0] ?? 'systemmodstamp';
    mapped.push({
      table,
      schema: tableSchemaOf(table),
      name: getTableName(table),
      sqlName: qualified(tableSchemaOf(table), getTableName(table)),
      object,
      fieldByColumn,
      modstampColumn,
      ...(upsert === undefined ? {} : { upsert }),
      pollingSeconds: meta.pollingSeconds,
      notifyEnabled: meta.notifyEnabled,
    });
  }
  return mapped;
}
