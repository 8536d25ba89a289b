import type { LaneRef, ZoomRateStore } from './zoom.pacer.repo';

/**
 * The shared side of the pacer: a lane whose send slots come from the database, so every instance
 * of the tool draws from the same per-account budget, and the daily limits other instances found
 * spent. See zoom.pacer.ts for the rules.
 */

/** A lane reserves for the calls waiting in it, at most this much of the lane's time in one statement. */
export const BATCH_SPAN_MS = 200;
/** The next reservation is made this long before the last reserved slot comes. */
export const LOOKAHEAD_MS = 100;
/** A call woken this many times too late for its slot goes out anyway (Zoom's 429 is handled). */
export const MAX_LATE_RETRIES = 3;
/** How long the daily limits read from the database are trusted before being read again. */
export const HOLDS_REFRESH_MS = 1000;
/** A reservation the database has not answered by then is given up: the process paces alone meanwhile. */
export const RESERVE_TIMEOUT_MS = 2000;

export interface SharedLaneDeps {
  store: ZoomRateStore;
  now: () => number;
  /** How long after its slot a call may still go out (see `lateToleranceMs`). */
  lateToleranceMs: number;
  /** The lane's own per-process pacing, used while the store fails. */
  fallback: () => Promise<void>;
  onStoreError: (error: unknown) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  lateRetries: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One (account, category) lane paced through the database. Calls wait in a local queue; one loop
 * per lane and process reserves slots for the calls waiting (a few at a time, in one atomic
 * statement) shortly before they are due, and releases each call at its slot. A call released
 * later than the tolerance (a busy event loop), or inside a pause learned meanwhile, gives its
 * slot up and queues again: a late call sent next to the following slot could exceed the limit.
 */
export class SharedLane {
  /** Spacing between two calls, ms (changes with the plan). */
  spacing: number;
  /** This process's knowledge of a pause (app clock): reservations start after it. */
  pausedUntil = 0;
  private readonly waiting: Waiter[] = [];
  private running = false;
  private pauseWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly ref: LaneRef,
    spacing: number,
    private readonly deps: SharedLaneDeps,
  ) {
    this.spacing = spacing;
  }

  /** Resolves when this call may be sent. */
  acquire(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject, lateRetries: 0 });
      this.run();
    });
  }

  /** Holds the lane until `untilMs` here at once, and for every instance once the store has it. */
  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
    const forMs = untilMs - this.deps.now();
    if (forMs <= 0) return;
    this.pauseWrite = this.pauseWrite
      .then(() => this.deps.store.pause(this.ref, forMs))
      .catch((error: unknown) => this.deps.onStoreError(error));
  }

  private run(): void {
    if (this.running) return;
    this.running = true;
    void this.reserveWhileWaiting().finally(() => {
      this.running = false;
      if (this.waiting.length > 0) this.run();
    });
  }

  private async reserveWhileWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, Math.max(1, Math.floor(BATCH_SPAN_MS / this.spacing)));
      await this.pauseWrite;
      const spacing = this.spacing;
      let waitMs: number;
      try {
        const notBefore = Math.max(0, this.pausedUntil - this.deps.now());
        waitMs = await withTimeout(
          this.deps.store.reserve(this.ref, spacing, batch.length, notBefore),
          RESERVE_TIMEOUT_MS,
        );
      } catch (error) {
        this.deps.onStoreError(error);
        for (const waiter of batch) this.deps.fallback().then(waiter.resolve, waiter.reject);
        continue;
      }
      const first = this.deps.now() + Math.max(0, waitMs);
      batch.forEach((waiter, i) => this.release(waiter, first + i * spacing));
      const reserveNextAt = first + (batch.length - 1) * spacing - LOOKAHEAD_MS;
      const idle = reserveNextAt - this.deps.now();
      if (this.waiting.length > 0 && idle > 0) await sleep(idle);
    }
  }

  private release(waiter: Waiter, slotAt: number): void {
    const go = () => {
      const late = this.deps.now() - slotAt;
      const paused = this.pausedUntil > slotAt;
      if (paused || (late > this.deps.lateToleranceMs && waiter.lateRetries < MAX_LATE_RETRIES)) {
        if (!paused) waiter.lateRetries += 1;
        this.waiting.unshift(waiter);
        this.run();
        return;
      }
      waiter.resolve();
    };
    const delay = slotAt - this.deps.now();
    if (delay <= 0) go();
    else setTimeout(go, delay);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the database within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure has no one left to tell
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The daily limits spent in any instance, read from the store at most every HOLDS_REFRESH_MS per account. */
export class SharedHolds {
  private readonly accounts = new Map<
    string,
    { readAt: number; until: Map<string, number>; reading?: Promise<void> }
  >();

  constructor(
    private readonly store: ZoomRateStore,
    private readonly now: () => number,
    private readonly onStoreError: (error: unknown) => void,
  ) {}

  /** Records a spent limit for every instance (this one already knows it). */
  hold(accountId: string, scope: string, untilMs: number): void {
    const forMs = untilMs - this.now();
    if (forMs <= 0) return;
    this.store.hold(accountId, scope, forMs).catch((error: unknown) => this.onStoreError(error));
  }

  /** When a spent daily limit in the scope resets (app clock), as the store knew it lately. */
  async heldUntil(accountId: string, scope: string): Promise<number | undefined> {
    const known = this.accounts.get(accountId) ?? { readAt: -Infinity, until: new Map<string, number>() };
    this.accounts.set(accountId, known);
    if (this.now() - known.readAt >= HOLDS_REFRESH_MS) {
      known.reading ??= this.read(accountId, known).finally(() => {
        known.reading = undefined;
      });
      await known.reading;
    }
    const until = known.until.get(scope);
    return until !== undefined && until > this.now() ? until : undefined;
  }

  private async read(
    accountId: string,
    known: { readAt: number; until: Map<string, number> },
  ): Promise<void> {
    try {
      const holds = await this.store.holds(accountId);
      const now = this.now();
      known.until = new Map(holds.map((hold) => [hold.scope, now + hold.remainingMs]));
    } catch (error) {
      this.onStoreError(error);
    }
    known.readAt = this.now();
  }
}
