import type { Logger } from 'pino';
import type { Queryable } from '../storage';
import * as repo from './jobs.repo';

/**
 * A runner's hold on one claimed job while its handler runs: renewed every third of its length.
 * The lease is the database's (its clock decides when it expires); this side only knows when it
 * last confirmed it, by its own clock, which is enough to know how long it can still vouch for it.
 * The job stops being this runner's (`lost`, and the handler's signal aborts) as soon as a renewal
 * finds another owner, or when renewals keep failing and the lease confirmed last may be about to
 * expire: another instance could then take the job, so nothing more is written for it here.
 */
export class JobLease {
  private readonly controller = new AbortController();
  private readonly heartbeat: NodeJS.Timeout;
  /** When the last claim or renewal that held was sent (this runner's clock). */
  private confirmedAt: number;
  private renewing = false;

  constructor(
    private readonly options: {
      db: Queryable;
      jobId: string;
      owner: string;
      leaseMs: number;
      now: () => number;
      log: Logger;
      /** When the claim was sent. */
      claimedAt: number;
    },
  ) {
    this.confirmedAt = options.claimedAt;
    this.heartbeat = setInterval(() => void this.renew(), options.leaseMs / 3);
    this.heartbeat.unref();
  }

  /** Aborts when the job stops being this runner's. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The job is no longer this runner's: write nothing for it. */
  get lost(): boolean {
    return this.controller.signal.aborted;
  }

  /** Stops renewing: the job is done here, or the process is going away and leaves it to its lease. */
  stop(): void {
    clearInterval(this.heartbeat);
  }

  /** The next heartbeat would come too close to (or after) the end of the lease confirmed last. */
  private cannotVouch(): boolean {
    const { leaseMs, now } = this.options;
    return now() - this.confirmedAt + leaseMs / 3 >= leaseMs * 0.9;
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    if (this.renewing) {
      // The last renewal has not answered (the database hangs).
      if (this.cannotVouch()) this.lose('its lease could not be renewed before it expires');
      return;
    }
    this.renewing = true;
    const { db, jobId, owner, leaseMs, now, log } = this.options;
    const sentAt = now();
    try {
      if (await repo.renewLease(db, jobId, owner, leaseMs)) {
        this.confirmedAt = Math.max(this.confirmedAt, sentAt);
      } else {
        this.lose('the job is held by another instance');
      }
    } catch (error) {
      // Another third may still be left: the next heartbeat tries again, unless it would come
      // after the lease confirmed last has expired.
      if (this.cannotVouch()) {
        this.lose('its lease could not be renewed before it expires');
      } else {
        log.warn({ err: error }, 'renewing a job lease failed; trying again at the next heartbeat');
      }
    } finally {
      this.renewing = false;
    }
  }

  private lose(reason: string): void {
    this.stop();
    this.options.log.warn({ reason }, 'job lease lost: the job is left to whoever holds it now');
    this.controller.abort(new Error(`job lease lost: ${reason}`));
  }
}
