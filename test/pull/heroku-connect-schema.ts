/**
 * A Heroku Connect schema built the way Heroku Connect builds it from a
 * mapping (heroku-connect.md §1–§3): per mapped object a table named after
 * it, `id serial primary key`, a column per mapped field (`Id` in `sfid`)
 * with Heroku Connect's type, `_hc_lastop` and `_hc_err`, the
 * `hc_idx_`/`hcu_idx_` indexes of the mapping's `indexes` (the Id and
 * SystemModstamp ones when an old export lists none), its status trigger;
 * and around the tables its own objects: `_trigger_log`,
 * `_trigger_log_archive`, `_hcmeta`, `_sf_event_log`, their sequences,
 * functions and triggers.
 */
import { publicDdl, schemaMachineryDdl } from '../../src/dev/machinery-ddl.ts';
import { ident, qualified } from '../../src/dev/sql-text.ts';
import type { MappingExport } from '../../src/mapping/mapping-export.ts';

/** Salesforce field name → column type, per object. */
export type FieldTypes = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Types of the fields most objects have (heroku-connect.md §1, §2.2). */
const STANDARD_TYPES: Readonly<Record<string, string>> = {
  Id: 'varchar(18)',
  IsDeleted: 'boolean',
  SystemModstamp: 'timestamp without time zone',
  CreatedDate: 'timestamp without time zone',
  LastModifiedDate: 'timestamp without time zone',
  CreatedById: 'varchar(18)',
  OwnerId: 'varchar(18)',
  RecordTypeId: 'varchar(18)',
  Name: 'varchar(255)',
};

/** The statements that make `schema` hold what Heroku Connect would make of `mapping`. */
export function herokuConnectSchemaDdl(schema: string, mapping: MappingExport, types: FieldTypes): string[] {
  const collation = mapping.connection?.['features'] !== undefined &&
    (mapping.connection['features'] as Record<string, unknown>)['ucs_basic_collation_index'] === true
    ? ' collate pg_catalog.ucs_basic'
    : '';
  const statements = [
    ...publicDdl(),
    `create schema ${ident(schema)}`,
    ...schemaMachineryDdl(schema),
  ];
  for (const { object_name: objectName, config } of mapping.mappings) {
    const table = objectName.toLowerCase();
    const target = qualified(schema, table);
    const columnOf = (field: string) => (field === 'Id' ? 'sfid' : field.toLowerCase());
    const columns = Object.keys(config.fields).map((field) => {
      const type = types[objectName]?.[field] ?? STANDARD_TYPES[field];
      if (type === undefined) throw new Error(`No column type for ${objectName}.${field} in the fixture.`);
      return `${ident(columnOf(field))} ${type}${field === 'Id' ? collation : ''}`;
    });
    statements.push(`create table ${target} (id serial primary key, ${columns.join(', ')}, _hc_lastop varchar(32), _hc_err text)`);
    const indexes = config.indexes ?? { Id: { unique: true }, SystemModstamp: { unique: false } };
    for (const [field, { unique }] of Object.entries(indexes)) {
      const column = columnOf(field);
      statements.push(`create ${unique ? 'unique ' : ''}index ${ident(`${unique ? 'hcu' : 'hc'}_idx_${table}_${column}`)} on ${target} (${ident(column)})`);
    }
    const status = qualified(schema, `hc_${table}_status`);
    statements.push(
      `create function ${status}() returns trigger language plpgsql as $$
       begin
         if public.get_xmlbinary() = 'base64' then new._hc_lastop := 'PENDING'; new._hc_err := null; return new; end if;
         new._hc_lastop := 'SYNCED'; new._hc_err := null; return new;
       end; $$`,
      `create trigger ${ident(`hc_${table}_status_trigger`)} before insert or update on ${target} for each row execute function ${status}()`,
    );
  }
  return statements;
}
