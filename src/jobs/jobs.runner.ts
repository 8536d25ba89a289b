import os from 'node:os';
import type { Logger } from 'pino';
import { randomToken } from '../shared/crypto';
import type { Db, Queryable } from '../storage';
import { JobLease } from './jobs.lease';
import * as repo from './jobs.repo';

/** What a handler answers: nothing (done), or when to run the job again (it asked Zoom too early). */
export type JobResult = void | { retryAt: number };

export interface JobContext {
  /** How many times this job has been started, this run included. */
  attempt: number;
  /**
   * Aborts when the job stops being this runner's (its lease was lost: another instance may run it
   * now). Stop then: nothing the runner would write for this run (done, retry, failed) is written.
   */
  signal: AbortSignal;
}

export type JobHandler = (payload: Record<string, unknown>, context: JobContext) => Promise<JobResult>;

export interface JobDefinition {
  handler: JobHandler;
  /** Runs before the job is given up (marked failed). Default 8. */
  maxAttempts?: number;
}

export interface JobRunnerOptions {
  db: Db;
  logger: Logger;
  now?: () => number;
  /** How often due jobs are looked for (default 1 s; an enqueue in this process wakes the runner at once). */
  pollMs?: number;
  /** A claimed job's lease, renewed every third of it while the job runs (default 60 s). */
  leaseMs?: number;
  /** Jobs run at once by this runner (default 4). */
  concurrency?: number;
  /** Told of each job given up (marked failed), for metrics: its kind only. */
  onFailed?: (kind: string) => void;
}

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 10 * 60_000;

/**
 * The one owner of background work in a process.
 * - Durable jobs: kept in `background_jobs`, claimed with a renewed lease (`jobs.lease.ts`; due
 *   times and leases in the database's clock), retried with backoff; a job whose process died is
 *   claimed again when its lease expires, so nothing is lost on a crash. A job whose lease was lost
 *   is not written for by this runner (its handler's signal aborts). A job names its school with
 *   `schoolId` in its payload: one whose school no longer exists is dropped, not run.
 * - In-flight work that outlives a request (`track`): e.g. provisioning a launch stopped waiting for.
 * `stop()` claims nothing more and waits (bounded) for both before the database is closed.
 */
export class JobRunner {
  private readonly owner = `${os.hostname()}:${process.pid}:${randomToken(6)}`;
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly running = new Set<Promise<void>>();
  private readonly tracked = new Set<Promise<unknown>>();
  private readonly leases = new Set<JobLease>();
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private started = false;
  private stopping = false;
  private ticking: Promise<void> | undefined;

  constructor(private readonly options: JobRunnerOptions) {
    this.now = options.now ?? Date.now;
    this.pollMs = options.pollMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.concurrency = options.concurrency ?? 4;
  }

  register(kind: string, definition: JobDefinition): void {
    if (this.definitions.has(kind)) throw new Error(`job kind ${kind} is registered twice`);
    this.definitions.set(kind, definition);
  }

  /**
   * Records a job (durably) to run at `runAt` (default now); one pending job per kind and key. Pass a
   * transaction as `db` to record it with that transaction's writes.
   */
  async enqueue(
    kind: string,
    key: string,
    payload: Record<string, unknown>,
    runAt?: number,
    db: Queryable = this.options.db,
  ): Promise<void> {
    if (!this.definitions.has(kind)) throw new Error(`no handler for job kind ${kind}`);
    // `runAt` is this process's clock: the database gets the wait, and keeps the time in its own.
    const delayMs = Math.max(0, (runAt ?? this.now()) - this.now());
    await repo.enqueue(db, { kind, key, payload, delayMs });
    if (this.started && !this.stopping) this.wake(delayMs);
  }

  /** Work already running outside a job (it outlived its request): shutdown waits for it too. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.tracked.add(settled);
    void settled.finally(() => this.tracked.delete(settled));
    return work;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.wake(0);
  }

  /**
   * Claims nothing more, then waits up to `graceMs` for running jobs and tracked work. Jobs still
   * running after that keep their lease: another instance (or this one, restarted) runs them once
   * it expires. Resolves true when everything finished in time.
   */
  async stop(graceMs = 8_000): Promise<boolean> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let timeout: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      (async () => {
        await this.ticking;
        await Promise.all([...this.running, ...this.tracked]);
        return true;
      })(),
      new Promise<false>((resolve) => {
        timeout = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timeout);
    this.started = false;
    if (!inTime) {
      // The process is about to exit: its leases stop being renewed, so another instance takes over.
      for (const lease of this.leases) lease.stop();
      this.leases.clear();
      this.options.logger.warn({ graceMs }, 'background work still running at shutdown; left to its lease');
    }
    return inTime;
  }

  /** Runs whatever is due now, once (tests and the poll loop). */
  async runDue(): Promise<void> {
    const free = this.concurrency - this.running.size;
    if (free <= 0 || this.stopping) return;
    const claimedAt = this.now();
    const claimed = await repo.claimDue(this.options.db, this.owner, this.leaseMs, free);
    for (const job of claimed) {
      const run = this.run(job, claimedAt).finally(() => {
        this.running.delete(run);
        if (!this.stopping) this.wake(0);
      });
      this.running.add(run);
    }
  }

  /** Looks for due jobs after `delayMs` (at most the poll interval), unless a look is already due sooner. */
  private wake(delayMs: number): void {
    if (this.stopping || !this.started) return;
    const delay = Math.min(delayMs, this.pollMs);
    const due = Date.now() + delay;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.tick(), delay);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = undefined;
    if (this.ticking || this.stopping) return;
    this.ticking = this.runDue()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'claiming background jobs failed'))
      .finally(() => {
        this.ticking = undefined;
        this.wake(this.pollMs);
      });
  }

  private async run(job: repo.ClaimedRow, claimedAt: number): Promise<void> {
    const { db, logger } = this.options;
    const definition = this.definitions.get(job.kind);
    const log = logger.child({ job: job.kind, jobId: job.id, attempt: job.attempts });
    if (!definition) {
      await this.giveUp(job, log, 'no_handler');
      return;
    }
    if (await this.schoolGone(job, log)) return;
    const lease = new JobLease({
      db,
      jobId: job.id,
      owner: this.owner,
      leaseMs: this.leaseMs,
      now: this.now,
      log,
      claimedAt,
    });
    this.leases.add(lease);
    let outcome: { result: JobResult } | { error: unknown };
    try {
      outcome = {
        result: await definition.handler(job.payload, { attempt: job.attempts, signal: lease.signal }),
      };
    } catch (error) {
      outcome = { error };
    } finally {
      lease.stop();
      this.leases.delete(lease);
    }
    // Without its lease the job is another instance's now: nothing is written for this run.
    if (lease.lost) return;
    if ('error' in outcome) {
      log.warn({ err: outcome.error }, 'background job failed');
      if (await this.schoolGone(job, log)) return;
      const reason = outcome.error instanceof Error ? outcome.error.message.slice(0, 200) : 'error';
      await this.retry(job, definition, log, reason);
    } else if (outcome.result && 'retryAt' in outcome.result) {
      await this.retry(job, definition, log, 'asked_to_retry', outcome.result.retryAt);
    } else if (!(await repo.complete(db, job, this.owner))) {
      log.warn('background job finished after its lease was taken over; left to its new holder');
    }
  }

  /** A job naming a school that no longer exists is dropped at once (one log line), never retried. */
  private async schoolGone(job: repo.ClaimedRow, log: Logger): Promise<boolean> {
    const schoolId = job.payload.schoolId;
    if (typeof schoolId !== 'string') return false;
    const { db } = this.options;
    if (await repo.schoolExists(db, schoolId)) return false;
    if (await repo.drop(db, job.id, this.owner))
      log.info({ schoolId }, 'background job dropped: its school no longer exists');
    return true;
  }

  private async giveUp(job: repo.ClaimedRow, log: Logger, reason: string): Promise<void> {
    if (!(await repo.release(this.options.db, job.id, this.owner, { status: 'failed', lastError: reason })))
      return;
    log.error({ reason }, 'background job given up; marked failed');
    this.options.onFailed?.(job.kind);
  }

  private async retry(
    job: repo.ClaimedRow,
    definition: JobDefinition,
    log: Logger,
    reason: string,
    retryAt?: number,
  ): Promise<void> {
    if (job.attempts >= (definition.maxAttempts ?? 8)) {
      await this.giveUp(job, log, reason);
      return;
    }
    const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (job.attempts - 1));
    // The handler's time is this process's clock: the database gets the wait.
    const delayMs = retryAt === undefined ? backoff : Math.max(0, retryAt - this.now());
    await repo.release(this.options.db, job.id, this.owner, { delayMs, lastError: reason });
    this.wake(delayMs);
  }

  /** Jobs given up (marked failed) in every instance, by kind. */
  failedCounts(): Promise<Array<{ kind: string; count: number }>> {
    return repo.failedCounts(this.options.db);
  }
}
