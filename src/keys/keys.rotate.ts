import type { SecretBox } from '../shared/crypto';
import type { Db } from '../storage';
import { replaceSealedIf, sealedBatch, type SealedRow } from './keys.repo';
import { SEALED_COLUMNS, sealedColumnName, type SealedColumn } from './keys.sealed';

/** What a rotation did to one column (counts only: values are never reported or logged). */
export interface ColumnSummary {
  column: string;
  /** Values read. */
  seen: number;
  /** Already under the current key (done by an earlier, interrupted run, or written since). */
  current: number;
  /** Re-sealed under the current key by this run. */
  resealed: number;
  /** Changed by someone else between this run's read and its write (sealed under the current key then). */
  changedMeanwhile: number;
  /** Opened under neither key: left as they are. */
  unreadable: number;
}

export interface RotationSummary {
  columns: ColumnSummary[];
  resealed: number;
  unreadable: number;
  batches: number;
}

export interface RotationOptions {
  db: Db;
  /** Seals under the new key and opens under the new or the previous one. */
  box: SecretBox;
  /** Rows per batch; each batch is one transaction. Default 200. */
  batchSize?: number;
  /** Told after each committed batch (progress; tests interrupt a run here). */
  afterBatch?: (progress: { column: string; batch: number; resealed: number }) => void | Promise<void>;
  columns?: readonly SealedColumn[];
}

type Verdict = { row: SealedRow; resealed: string } | 'current' | 'unreadable';

/**
 * Re-seals every sealed value under the current master key. Column by column, in batches of rows
 * read outside any transaction; each batch's re-sealed values are written in one transaction, each
 * only if the row still holds the value that was read (so a token renewed meanwhile is kept).
 * Values the current key opens are skipped, so a run that was interrupted (or killed) at any point
 * is resumed by running it again, and nothing is lost: until a value is re-sealed, the previous key
 * still opens it.
 */
export async function rotateSealedValues(options: RotationOptions): Promise<RotationSummary> {
  const { db, box } = options;
  const batchSize = options.batchSize ?? 200;
  const summary: RotationSummary = { columns: [], resealed: 0, unreadable: 0, batches: 0 };
  for (const column of options.columns ?? SEALED_COLUMNS) {
    const counts: ColumnSummary = {
      column: sealedColumnName(column),
      seen: 0,
      current: 0,
      resealed: 0,
      changedMeanwhile: 0,
      unreadable: 0,
    };
    summary.columns.push(counts);
    let after: string | undefined;
    for (;;) {
      const rows = await sealedBatch(db, column, after, batchSize);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]?.key;
      const verdicts = rows.map((row) => verdictOf(box, column, row));
      counts.seen += rows.length;
      counts.current += verdicts.filter((verdict) => verdict === 'current').length;
      counts.unreadable += verdicts.filter((verdict) => verdict === 'unreadable').length;
      const changes = verdicts.filter((verdict) => typeof verdict === 'object');
      if (changes.length === 0) continue;
      const replaced = await db.transaction(async (tx) => {
        let count = 0;
        for (const change of changes) {
          if (await replaceSealedIf(tx, column, change.row, change.resealed)) count += 1;
        }
        return count;
      });
      counts.resealed += replaced;
      counts.changedMeanwhile += changes.length - replaced;
      summary.batches += 1;
      await options.afterBatch?.({ column: counts.column, batch: summary.batches, resealed: replaced });
    }
    summary.resealed += counts.resealed;
    summary.unreadable += counts.unreadable;
  }
  return summary;
}

function verdictOf(box: SecretBox, column: SealedColumn, row: SealedRow): Verdict {
  const associatedData = column.associatedData(row);
  if (box.opensWithCurrentKey(row.value, associatedData)) return 'current';
  try {
    return { row, resealed: box.seal(box.open(row.value, associatedData), associatedData) };
  } catch {
    return 'unreadable';
  }
}
