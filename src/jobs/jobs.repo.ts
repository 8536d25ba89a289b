import { eq, sql } from 'drizzle-orm';
import { queryRows, tables, type Queryable } from '../storage';

const { backgroundJobs } = tables;

export type JobRow = typeof backgroundJobs.$inferSelect;

/**
 * Times are the database's clock (`clock_timestamp()`), never an instance's: a runner hands over
 * durations ("in 30 s", "for 60 s") and due times, leases and their expiry are compared in SQL, so
 * instances whose clocks disagree neither take a job another holds nor leave one waiting (as the
 * Zoom pacer does, zoom.pacer.repo.ts).
 */
const inMs = (value: number) =>
  sql`(clock_timestamp() + (${Math.max(0, value)}::float8 * interval '1 millisecond'))`;

/**
 * Adds a job to run in `delayMs`, or asks again for one already pending with the same kind and key:
 * the newest payload wins, it runs at the earlier of the two times, and its generation grows (so a
 * run in progress does not delete it when it finishes).
 */
export async function enqueue(
  db: Queryable,
  job: { kind: string; key: string; payload: Record<string, unknown>; delayMs: number },
): Promise<void> {
  await db.execute(
    sql`insert into background_jobs as job (kind, key, payload, status, run_at)
        values (${job.kind}, ${job.key}, ${JSON.stringify(job.payload)}::jsonb, 'pending', ${inMs(job.delayMs)})
        on conflict (kind, key) do update set
          payload = excluded.payload,
          status = 'pending',
          run_at = least(job.run_at, excluded.run_at),
          generation = job.generation + 1,
          attempts = 0,
          updated_at = now()`,
  );
}

export interface ClaimedRow {
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
  leaseMs: number,
  limit: number,
): Promise<ClaimedRow[]> {
  const rows = await queryRows<ClaimedRow>(
    db,
    sql`update background_jobs
        set lease_owner = ${owner}, lease_until = ${inMs(leaseMs)}, attempts = attempts + 1, updated_at = now()
        where id in (
          select id from background_jobs
          where status = 'pending' and run_at <= clock_timestamp()
            and (lease_until is null or lease_until < clock_timestamp())
          order by run_at
          limit ${limit}
          for update skip locked)
        returning id, kind, key, payload, attempts, generation`,
  );
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts), generation: Number(row.generation) }));
}

/** Extends the lease of a job this runner holds by `leaseMs` from now; false when it no longer holds it. */
export async function renewLease(
  db: Queryable,
  id: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update background_jobs set lease_until = ${inMs(leaseMs)}
        where id = ${id} and lease_owner = ${owner}
        returning id`,
  );
  return rows.length > 0;
}

/**
 * Done: deleted, unless it was asked for again while it ran (then it is released to run again).
 * False when this runner no longer holds the job: nothing was written.
 */
export async function complete(db: Queryable, job: ClaimedRow, owner: string): Promise<boolean> {
  const deleted = await queryRows<{ id: string }>(
    db,
    sql`delete from background_jobs
        where id = ${job.id} and lease_owner = ${owner} and generation = ${job.generation}
        returning id`,
  );
  if (deleted.length > 0) return true;
  return release(db, job.id, owner, {});
}

/**
 * Gives the job back: to run again in `delayMs`, or as failed for good. False when this runner no
 * longer holds the job: nothing was written.
 */
export async function release(
  db: Queryable,
  id: string,
  owner: string,
  values: { delayMs?: number; lastError?: string | null; status?: 'pending' | 'failed' },
): Promise<boolean> {
  const runAt = values.delayMs === undefined ? sql`run_at` : inMs(values.delayMs);
  const lastError = values.lastError === undefined ? sql`last_error` : sql`${values.lastError}`;
  const status = values.status === undefined ? sql`status` : sql`${values.status}`;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update background_jobs
        set run_at = ${runAt}, last_error = ${lastError}, status = ${status},
            lease_owner = null, lease_until = null, updated_at = now()
        where id = ${id} and lease_owner = ${owner}
        returning id`,
  );
  return rows.length > 0;
}

/** Removes a job this runner holds without running it (its school is gone). */
export async function drop(db: Queryable, id: string, owner: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`delete from background_jobs where id = ${id} and lease_owner = ${owner} returning id`,
  );
  return rows.length > 0;
}

/** Whether a school with this id exists (an id that is not even a UUID names none). */
export async function schoolExists(db: Queryable, schoolId: string): Promise<boolean> {
  const rows = await queryRows<{ found: number }>(
    db,
    sql`select 1 as found from schools where id::text = ${schoolId.toLowerCase()}`,
  );
  return rows.length > 0;
}

/** How many jobs of each kind were given up (status failed), in every instance. */
export async function failedCounts(db: Queryable): Promise<Array<{ kind: string; count: number }>> {
  const rows = await queryRows<{ kind: string; count: number | string }>(
    db,
    sql`select kind, count(*) as count from background_jobs where status = 'failed' group by kind order by kind`,
  );
  return rows.map((row) => ({ kind: row.kind, count: Number(row.count) }));
}

export async function jobsOf(db: Queryable, kind: string): Promise<JobRow[]> {
  return db.select().from(backgroundJobs).where(eq(backgroundJobs.kind, kind));
}
