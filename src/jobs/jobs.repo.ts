import { and, eq, sql } from 'drizzle-orm';
import { queryRows, tables, type Queryable } from '../storage';

const { backgroundJobs } = tables;

export type JobRow = typeof backgroundJobs.$inferSelect;

/**
 * Adds a job, or asks again for one already pending with the same kind and key: the newest payload
 * wins, it runs at the earlier of the two times, and its generation grows (so a run in progress
 * does not delete it when it finishes).
 */
export async function enqueue(
  db: Queryable,
  job: { kind: string; key: string; payload: Record<string, unknown>; runAt: Date },
): Promise<void> {
  await db
    .insert(backgroundJobs)
    .values({ ...job, status: 'pending' })
    .onConflictDoUpdate({
      target: [backgroundJobs.kind, backgroundJobs.key],
      set: {
        payload: job.payload,
        status: 'pending',
        runAt: sql`least(${backgroundJobs.runAt}, excluded.run_at)`,
        generation: sql`${backgroundJobs.generation} + 1`,
        attempts: 0,
        updatedAt: sql`now()`,
      },
    });
}

interface ClaimedRow {
  id: string;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  attempts: number;
  generation: number;
}

/** Claims up to `limit` due jobs nobody holds (skipping rows another instance is claiming right now). */
export async function claimDue(
  db: Queryable,
  owner: string,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<ClaimedRow[]> {
  const rows = await queryRows<ClaimedRow>(
    db,
    sql`update background_jobs
        set lease_owner = ${owner}, lease_until = ${leaseUntil}, attempts = attempts + 1, updated_at = now()
        where id in (
          select id from background_jobs
          where status = 'pending' and run_at <= ${now} and (lease_until is null or lease_until < ${now})
          order by run_at
          limit ${limit}
          for update skip locked)
        returning id, kind, key, payload, attempts, generation`,
  );
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts), generation: Number(row.generation) }));
}

/** Extends the lease of a job this runner holds; false when it no longer holds it. */
export async function renewLease(db: Queryable, id: string, owner: string, until: Date): Promise<boolean> {
  const rows = await db
    .update(backgroundJobs)
    .set({ leaseUntil: until })
    .where(and(eq(backgroundJobs.id, id), eq(backgroundJobs.leaseOwner, owner)))
    .returning({ id: backgroundJobs.id });
  return rows.length > 0;
}

/** Done: deleted, unless it was asked for again while it ran (then it is released to run again). */
export async function complete(db: Queryable, job: ClaimedRow, owner: string): Promise<void> {
  const deleted = await db
    .delete(backgroundJobs)
    .where(
      and(
        eq(backgroundJobs.id, job.id),
        eq(backgroundJobs.leaseOwner, owner),
        eq(backgroundJobs.generation, job.generation),
      ),
    )
    .returning({ id: backgroundJobs.id });
  if (deleted.length === 0) await release(db, job.id, owner, {});
}

/** Gives the job back: to run again at `runAt`, or as failed for good. */
export async function release(
  db: Queryable,
  id: string,
  owner: string,
  values: { runAt?: Date; lastError?: string | null; status?: 'pending' | 'failed' },
): Promise<void> {
  await db
    .update(backgroundJobs)
    .set({ ...values, leaseOwner: null, leaseUntil: null, updatedAt: sql`now()` })
    .where(and(eq(backgroundJobs.id, id), eq(backgroundJobs.leaseOwner, owner)));
}

export async function jobsOf(db: Queryable, kind: string): Promise<JobRow[]> {
  return db.select().from(backgroundJobs).where(eq(backgroundJobs.kind, kind));
}
