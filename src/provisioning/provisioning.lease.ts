import type { Logger } from 'pino';
import { whileDatabaseReturns, type Queryable } from '../storage';
import { parseOutcome, type Outcome } from './provisioning.outcomes';
import * as repo from './provisioning.repo';

/**
 * This worker's lease on one person's row while it asks Zoom about them: taken with the row's
 * insert-or-update, renewed every third of its length, released by `finish`. Another worker (a
 * retry, another instance) takes it only once it has expired by the database's clock (instances
 * hand over durations; their clocks are never compared), so before a create (a POST Zoom does
 * not deduplicate) `stillHolding` answers from memory while the lease confirmed last is far from
 * expiring, and asks the database otherwise: a first launch goes to Zoom one round trip sooner.
 */
export class PersonLease {
  private confirmedAt = 0;
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    /** The person's row as the lease was taken (what earlier attempts recorded). */
    readonly row: repo.PersonRow,
    private readonly db: Queryable,
    private readonly key: repo.PersonKey,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly now: () => number,
  ) {}

  /** Takes the lease (creating the person's row if new), or undefined when another worker holds a live one. */
  static async take(input: {
    db: Queryable;
    key: repo.PersonKey;
    details: { name: string; email: string };
    owner: string;
    leaseMs: number;
    now: () => number;
    logger: Logger;
  }): Promise<PersonLease | undefined> {
    const { db, key, owner, leaseMs, now } = input;
    const takenAt = now();
    const row = await repo.takeLease(db, key, input.details, owner, leaseMs);
    if (!row) return undefined;
    const lease = new PersonLease(row, db, key, owner, leaseMs, now);
    lease.confirmedAt = takenAt;
    lease.heartbeat = setInterval(() => {
      lease
        .renew()
        .catch((error: unknown) => input.logger.warn({ err: error }, 'renewing a provisioning lease failed'));
    }, leaseMs / 3);
    lease.heartbeat.unref();
    return lease;
  }

  /** Whether this worker still holds the lease (false: another worker took over; send nothing). */
  async stillHolding(): Promise<boolean> {
    // Nobody can take a lease before it expires: half its length after our last confirmation, it is ours.
    if (this.now() - this.confirmedAt < this.leaseMs / 2) return true;
    return this.renew();
  }

  /**
   * Writes the person's row, releasing the lease (only if still ours), then stops renewing. The
   * row may name a Zoom user Zoom just made, so the write outlasts a database restart (retried
   * while the lease is kept alive) rather than leave that user unknown to us.
   */
  async finish(values: Parameters<typeof repo.finish>[3]): Promise<void> {
    try {
      await whileDatabaseReturns(() => repo.finish(this.db, this.key, this.owner, values));
    } finally {
      this.stop();
    }
  }

  /** Stops renewing (the lease then expires on its own). */
  stop(): void {
    clearInterval(this.heartbeat);
  }

  private async renew(): Promise<boolean> {
    const at = this.now();
    const held = await repo.renewLease(this.db, this.key, this.owner, this.leaseMs);
    if (held) this.confirmedAt = Math.max(this.confirmedAt, at);
    else this.confirmedAt = 0;
    return held;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Another worker holds the person's lease: waits (at most `waitMs`) for its answer while it keeps
 * the lease alive; 'queued' when it gives up or dies (the next launch or retry takes over).
 */
export async function waitForHolder(
  db: Queryable,
  key: repo.PersonKey,
  waitMs: number,
  now: () => number,
): Promise<Outcome> {
  const deadline = now() + waitMs;
  while (now() < deadline) {
    await sleep(100);
    const lease = await repo.leaseOf(db, key);
    if (!lease) return 'queued';
    if (!lease.leased) return parseOutcome(lease.lastOutcome) ?? 'queued';
    if (!lease.live) return 'queued';
  }
  return 'queued';
}
