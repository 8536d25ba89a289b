import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../storage';
import type { SealedColumn } from './keys.sealed';

export type SealedRow = Record<string, unknown> & { key: string; value: string };

/** The next rows after `after` (by primary key) that hold a sealed value in this column. */
export async function sealedBatch(
  db: Db,
  column: SealedColumn,
  after: string | undefined,
  limit: number,
): Promise<SealedRow[]> {
  const key = sql.identifier(column.key);
  const value = sql.identifier(column.column);
  const extra = column.extra.map((name) => sql`, ${sql.identifier(name)}`);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${key}::text as "key", ${value} as "value"${sql.join(extra)}
          from ${sql.identifier(column.table)}
         where ${value} is not null ${after === undefined ? sql`` : sql`and ${key} > ${after}`}
         order by ${key}
         limit ${limit}`,
  );
  return rows.map((row) => ({
    ...row,
    [column.key]: row.key,
    key: String(row.key),
    value: String(row.value),
  }));
}

/**
 * Replaces a sealed value only if it is still the one that was read: a value written meanwhile (a
 * renewed token, sealed under the new key already) is never overwritten. True when it was replaced.
 */
export async function replaceSealedIf(
  tx: Tx,
  column: SealedColumn,
  row: { key: string; value: string },
  resealed: string,
): Promise<boolean> {
  const key = sql.identifier(column.key);
  const value = sql.identifier(column.column);
  const updated = await queryRows<{ key: string }>(
    tx,
    sql`update ${sql.identifier(column.table)} set ${value} = ${resealed}
         where ${key} = ${row.key} and ${value} = ${row.value}
     returning ${key}::text as "key"`,
  );
  return updated.length === 1;
}
