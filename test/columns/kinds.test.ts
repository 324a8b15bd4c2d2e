/**
 * The field-kinds table is what every builder really does: each kind's
 * builder exists, records that kind, and makes the column the table says
 * Heroku Connect creates (heroku-connect.md §1).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getTableColumns } from 'drizzle-orm';
import * as core from 'hc-drizzle';
import { SF_FIELD_KINDS, fieldKind, hcTable, sfFieldOf, type SfFieldKind } from 'hc-drizzle';
import { parseColumnType } from '../../src/columns/sql-type.ts';

type Builder = (sfName: string, options?: object) => unknown;

describe('field kinds', () => {
  for (const [kind, info] of Object.entries(SF_FIELD_KINDS) as [SfFieldKind, (typeof SF_FIELD_KINDS)[SfFieldKind]][]) {
    it(`${kind}: ${info.builder} records the kind and makes ${info.sqlType}${'defaultLength' in info ? `(${info.defaultLength})` : ''}`, () => {
      const builder = (core as unknown as Record<string, Builder>)[info.builder];
      assert.equal(typeof builder, 'function', `${info.builder} is not exported from hc-drizzle`);
      const table = hcTable('Kinds__c', { field: builder!('Field__c') as never });
      const column = getTableColumns(table)['field']!;
      assert.equal(sfFieldOf(column)?.kind, kind);
      const expected = 'defaultLength' in info ? { type: info.sqlType, length: info.defaultLength } : { type: info.sqlType };
      assert.deepEqual(parseColumnType(column.getSQLType()), expected);
    });
  }

  it('lets only Text, Number and Email kinds be External IDs (and so upsert fields)', () => {
    const externalIdKinds = Object.keys(SF_FIELD_KINDS).filter((kind) => fieldKind(kind as SfFieldKind).externalId);
    assert.deepEqual(externalIdKinds.sort(), ['email', 'external-id', 'integer', 'number', 'text']);
  });

  it('honours a length where the kind takes one, and keeps the fixed one where it does not', () => {
    const table = hcTable('Kinds__c', { text: core.sfText('Text__c', { length: 80 }), url: core.sfUrl('Url__c', { length: 1000 }) });
    assert.deepEqual(
      Object.values(getTableColumns(table)).slice(-2).map((column) => column.getSQLType()),
      ['varchar(80)', 'varchar(1000)'],
    );
  });
});

describe('column type spellings', () => {
  it('reads Drizzle and pg_catalog spellings as one type', () => {
    const same: [string, string][] = [
      ['varchar(18)', 'character varying(18)'],
      ['timestamp', 'timestamp without time zone'],
      ['time', 'time without time zone'],
      ['serial', 'integer'],
      ['double precision', 'float8'],
      ['boolean', 'bool'],
    ];
    for (const [drizzle, postgres] of same) assert.deepEqual(parseColumnType(drizzle), parseColumnType(postgres), drizzle);
    assert.deepEqual(parseColumnType('timestamp(3) without time zone'), { type: 'timestamp(3) without time zone' });
    assert.deepEqual(parseColumnType('numeric(18, 2)'), { type: 'numeric(18, 2)' });
    assert.notDeepEqual(parseColumnType('timestamp with time zone'), parseColumnType('timestamp'));
  });
});
