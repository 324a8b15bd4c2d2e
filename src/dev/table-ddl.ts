/**
 * DDL for one hcTable as Heroku Connect creates it (heroku-connect.md §1,
 * §2.2, §2.3): Drizzle's column types, every column nullable but `id`,
 * `id` serial primary key (`<table>_id_seq`, `<table>_pkey`), and an index
 * named `hc_idx_<table>_<column>` / `hcu_idx_<table>_<column>` for every
 * field the mapping lists in `indexes`. Indexes and uniques over other
 * columns, or several, keep their Drizzle names.
 */
import { columnSqlType, getTableConfig, getTableName, indexSqlText, isSql, tableSchemaOf, type PgColumn } from '../compat.ts';
import { mappingConfigOf } from '../mapping/get-mapping.ts';
import { sfColumnsOf, type HcTableLike } from '../metadata.ts';
import { ident, qualified } from './sql-text.ts';

type IndexPart = { name?: string; indexConfig?: { order?: string; nulls?: string; opClass?: string } };

function indexPartText(part: unknown): string {
  if (isSql(part)) return indexSqlText(part);
  const { name, indexConfig } = part as IndexPart;
  return [ident(name ?? ''), indexConfig?.opClass, indexConfig?.order, indexConfig?.nulls && `nulls ${indexConfig.nulls}`]
    .filter(Boolean)
    .join(' ');
}

/** Column names of an index or unique when every part is a plain column. */
function plainColumns(parts: readonly unknown[]): string[] | undefined {
  const names = parts.map((part) => (isSql(part) ? undefined : (part as IndexPart).name));
  return names.every((name): name is string => name !== undefined) ? names : undefined;
}

/** `create table` and `create index` statements for `table`. */
export function tableDdl(table: HcTableLike): string[] {
  const schema = tableSchemaOf(table);
  const name = getTableName(table);
  const target = qualified(schema, name);
  const config = getTableConfig(table);
  const columns = config.columns.map((column) =>
    column.primary ? `${ident(column.name)} serial primary key` : `${ident(column.name)} ${columnSqlType(column)}`,
  );
  const statements = [`create table ${target} (\n  ${columns.join(',\n  ')}\n)`];

  // The mapping's indexes, one per field, with Heroku Connect's names.
  const mappingIndexes = mappingConfigOf(table).indexes;
  const indexed = new Set<string>();
  for (const { column, field } of sfColumnsOf(table)) {
    const index = mappingIndexes[field.sfName];
    if (index === undefined) continue;
    indexed.add(column.name);
    const indexName = `${index.unique ? 'hcu' : 'hc'}_idx_${name}_${column.name}`;
    statements.push(`create ${index.unique ? 'unique ' : ''}index ${ident(indexName)} on ${target} (${ident(column.name)})`);
  }
  const coveredByMapping = (parts: readonly unknown[]) => {
    const names = plainColumns(parts);
    return names !== undefined && names.length === 1 && indexed.has(names[0]!);
  };

  for (const column of config.columns as PgColumn[]) {
    if (column.isUnique && !indexed.has(column.name)) {
      const indexName = column.uniqueName ?? `${name}_${column.name}_unique`;
      statements.push(`create unique index ${ident(indexName)} on ${target} (${ident(column.name)})`);
    }
  }
  for (const index of config.indexes) {
    const { columns: parts, unique, where, method, only } = index.config;
    if (coveredByMapping(parts)) continue;
    const indexName = index.config.name ?? `${name}_${(plainColumns(parts) ?? ['expr']).join('_')}_index`;
    statements.push(
      `create ${unique ? 'unique ' : ''}index ${ident(indexName)} on ${only ? 'only ' : ''}${target}` +
        ` using ${method ?? 'btree'} (${parts.map(indexPartText).join(', ')})${where === undefined ? '' : ` where ${indexSqlText(where)}`}`,
    );
  }
  for (const unique of config.uniqueConstraints) {
    if (coveredByMapping(unique.columns)) continue;
    const nulls = unique.nullsNotDistinct ? ' nulls not distinct' : '';
    const columnNames = unique.columns.map((column) => column.name);
    const constraintName = unique.getName() ?? `${name}_${columnNames.join('_')}_unique`;
    statements.push(
      `alter table ${target} add constraint ${ident(constraintName)} unique${nulls} (${columnNames.map(ident).join(', ')})`,
    );
  }
  return statements;
}
