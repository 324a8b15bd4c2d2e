/**
 * Heroku Connect's read from Salesforce: the org's changes to an object
 * since the last poll, applied to its table in Heroku Connect's session, so
 * they are not logged and the rows become SYNCED, with the record's
 * SystemModstamp (heroku-connect.md §2.4, §3.3); Heroku Connect's own
 * writes are not read back, so a row it wrote keeps its INSERTED / UPDATED
 * status until Salesforce changes the record (apps test for
 * `_hc_lastop = 'INSERTED'`, heroku-connect.md §2.4). A record deleted in
 * Salesforce is deleted from the table: Heroku Connect hard-deletes rows
 * as soon as their record is soft-deleted (Heroku Support, quoted in
 * thermondo/django-heroku-connect#97; heroku/salesforce-bulk#114).
 */
import { sql, type SQL } from 'drizzle-orm';
import { executeRows, type AnyPgDatabase } from '../../compat.ts';
import { ident, literal, qualified } from '../../dev/sql-text.ts';
import { asHerokuConnect } from '../../trigger-log/conventions.ts';
import type { Org } from '../org/org.ts';
import type { MappedTable } from './mapped-tables.ts';

/** What one poll applied to the tables. */
export interface PollInResult {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
}

/** Poll `mapping`'s object: apply every org change since its last poll, in one transaction. */
export async function pollIn(db: AnyPgDatabase, org: Org, mapping: MappedTable): Promise<PollInResult> {
  await org.faults.delay();
  return asHerokuConnect(db, async (tx) => {
    const poll = sql.raw(qualified(org.schema, 'poll'));
    const object = mapping.object.name;
    await tx.execute(sql`insert into ${poll} (object_name, polled_change, polled_at) values (${object}, 0, now()) on conflict do nothing`);
    const [state] = await executeRows<{ polled: string; latest: string | null }>(
      tx,
      sql`select p.polled_change::text as polled,
                 (select max(change_number)::text from ${sql.raw(qualified(org.schema, 'record'))} where object_name = ${object} and change_number > p.polled_change) as latest
          from ${poll} p where object_name = ${object} for update`,
    );
    // Org writes commit one at a time in change-number order (they hold the org's lock), so
    // every change up to the highest committed one is visible here.
    const { polled, latest } = state!;
    const result = { inserted: 0, updated: 0, deleted: 0 };
    if (latest !== null) {
      const changes = changedRows(org, mapping, polled, latest);
      // The changes are read once per statement, each a row of the table's type.
      const count = async (statement: SQL) =>
        (await executeRows<{ n: number }>(tx, sql`with c as materialized (${changes}), done as (${statement}) select count(*)::int as n from done`))[0]!.n;
      const table = sql.raw(mapping.sqlName);
      const columns = [...mapping.fieldByColumn.keys()];
      const set = sql.raw(columns.map((column) => `${ident(column)} = c.${ident(column)}`).join(', '));
      const modstamp = ident(mapping.modstampColumn);
      result.deleted = await count(sql`delete from ${table} t using c where c.deleted_in_org and t.sfid = c.sfid returning 1`);
      // Salesforce's copy replaces the row's when it is newer (a record Heroku Connect just wrote is not).
      result.updated = await count(
        sql`update ${table} t set ${set} from c where not c.deleted_in_org and t.sfid = c.sfid
            and (t.${sql.raw(modstamp)} is null or t.${sql.raw(modstamp)} < c.${sql.raw(modstamp)}) returning 1`,
      );
      if (mapping.upsert !== undefined) {
        // A row the app inserted that Salesforce already has under the same External ID (case-insensitive, as Salesforce compares).
        const upsert = sql.raw(ident(mapping.upsert.column));
        result.updated += await count(
          sql`update ${table} t set ${set} from c where not c.deleted_in_org and t.sfid is null and c.${upsert} is not null
              and lower(t.${upsert}) = lower(c.${upsert}) and not exists (select 1 from ${table} o where o.sfid = c.sfid) returning 1`,
        );
      }
      result.inserted = await count(
        sql`insert into ${table} (${sql.raw(columns.map(ident).join(', '))})
            select ${sql.raw(columns.map((column) => `c.${ident(column)}`).join(', '))} from c
            where not c.deleted_in_org and not exists (select 1 from ${table} o where o.sfid = c.sfid) returning 1`,
      );
      await tx.execute(sql`update ${poll} set polled_change = ${latest}::bigint, polled_at = now() where object_name = ${object}`);
    } else {
      await tx.execute(sql`update ${poll} set polled_at = now() where object_name = ${object}`);
    }
    return result;
  });
}

/**
 * The changed records as rows of the table (each column from its field's
 * JSON value: PostgreSQL reads Salesforce's datetime and time text as the
 * columns' types), and `deleted_in_org`.
 */
function changedRows(org: Org, mapping: MappedTable, after: string, upTo: string): SQL {
  const pairs = [...mapping.fieldByColumn].map(([column, field]) => `${literal(column)}, r.fields -> ${literal(field.name)}`);
  // jsonb_build_object takes at most 100 arguments: 50 columns a call.
  const objects: string[] = [];
  for (let at = 0; at < pairs.length; at += 50) objects.push(`jsonb_build_object(${pairs.slice(at, at + 50).join(', ')})`);
  return sql`select r.is_deleted as deleted_in_org, v.*
    from ${sql.raw(qualified(org.schema, 'record'))} r,
         lateral jsonb_populate_record(null::${sql.raw(mapping.sqlName)}, ${sql.raw(objects.join(' || '))}) v
    where r.object_name = ${mapping.object.name} and r.change_number > ${after}::bigint and r.change_number <= ${upTo}::bigint
      and not r.changed_by_connect`;
}
