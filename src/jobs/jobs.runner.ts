import os from 'node:os';
import type { Logger } from 'pino';
import { randomToken } from '../shared/crypto';
import type { Db, Queryable } from '../storage';
import * as repo from './jobs.repo';

/** What a handler answers: nothing (done), or when to run the job again (it asked Zoom too early). */
export type JobResult = void | { retryAt: number };

export interface JobContext {
  /** How many times this job has been started, this run included. */
  attempt: number;
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
}

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 10 * 60_000;

/**
 * The one owner of background work in a process.
 * - Durable jobs: kept in `background_jobs`, claimed with a renewed lease, retried with backoff;
 *   a job whose process died is claimed again when its lease expires, so nothing is lost on a crash.
 * - In-flight work that outlives a request (`track`): e.g. provisioning a launch stopped waiting for.
 * `stop()` claims nothing more and waits (bounded) for both before the database is closed.
 */
export class JobRunner {
  private readonly owner = `${os.hostname()}:${process.pid}:${randomToken(6)}`;
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly running = new Set<Promise<void>>();
  private readonly tracked = new Set<Promise<unknown>>();
  private readonly heartbeats = new Set<NodeJS.Timeout>();
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
    const at = runAt ?? this.now();
    await repo.enqueue(db, { kind, key, payload, runAt: new Date(at) });
    if (this.started && !this.stopping) this.wake(Math.max(0, at - this.now()));
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
      for (const heartbeat of this.heartbeats) clearInterval(heartbeat);
      this.heartbeats.clear();
      this.options.logger.warn({ graceMs }, 'background work still running at shutdown; left to its lease');
    }
    return inTime;
  }

  /** Runs whatever is due now, once (tests and the poll loop). */
  async runDue(): Promise<void> {
    const free = this.concurrency - this.running.size;
    if (free <= 0 || this.stopping) return;
    const now = this.now();
    const claimed = await repo.claimDue(
      this.options.db,
      this.owner,
      new Date(now),
      new Date(now + this.leaseMs),
      free,
    );
    for (const job of claimed) {
      const run = this.run(job).finally(() => {
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

  private async run(job: Awaited<ReturnType<typeof repo.claimDue>>[number]): Promise<void> {
    const { db, logger } = this.options;
    const definition = this.definitions.get(job.kind);
    const log = logger.child({ job: job.kind, jobId: job.id, attempt: job.attempts });
    if (!definition) {
      log.error('no handler for this job kind; marked failed');
      await repo.release(db, job.id, this.owner, { status: 'failed', lastError: 'no_handler' });
      return;
    }
    const heartbeat = setInterval(() => {
      repo
        .renewLease(db, job.id, this.owner, new Date(this.now() + this.leaseMs))
        .catch((error: unknown) => log.warn({ err: error }, 'renewing a job lease failed'));
    }, this.leaseMs / 3);
    heartbeat.unref();
    this.heartbeats.add(heartbeat);
    try {
      const result = await definition.handler(job.payload, { attempt: job.attempts });
      if (result && 'retryAt' in result) {
        await this.retry(job, definition, log, 'asked_to_retry', result.retryAt);
      } else {
        await repo.complete(db, job, this.owner);
      }
    } catch (error) {
      log.warn({ err: error }, 'background job failed');
      await this.retry(job, definition, log, error instanceof Error ? error.message.slice(0, 200) : 'error');
    } finally {
      clearInterval(heartbeat);
      this.heartbeats.delete(heartbeat);
    }
  }

  private async retry(
    job: { id: string; attempts: number },
    definition: JobDefinition,
    log: Logger,
    reason: string,
    retryAt?: number,
  ): Promise<void> {
    if (job.attempts >= (definition.maxAttempts ?? 8)) {
      log.error({ reason }, 'background job given up after its last attempt');
      await repo.release(this.options.db, job.id, this.owner, { status: 'failed', lastError: reason });
      return;
    }
    const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (job.attempts - 1));
    const at = Math.max(retryAt ?? 0, this.now() + (retryAt === undefined ? backoff : 0));
    await repo.release(this.options.db, job.id, this.owner, { runAt: new Date(at), lastError: reason });
    this.wake(Math.max(0, at - this.now()));
  }
}
