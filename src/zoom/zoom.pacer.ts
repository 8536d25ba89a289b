import Bottleneck from 'bottleneck';
import type { Logger } from 'pino';
import type { ZoomRateStore } from './zoom.pacer.repo';
import { SharedHolds, SharedLane } from './zoom.pacer.shared';
import type { RateCategory, ZoomPlan } from './zoom.types';

/**
 * Client-side pacing under Zoom's per-account rate limits, so the tool stays under them instead of
 * bouncing off them (ZOOM-NOTES "Rate limits"). Zoom's limits are per account, shared by every
 * process and app of the account, so the pacing is shared too.
 *
 * One lane per (Zoom account, category), calls spaced at the plan's rate (times the utilisation).
 * - Shared (with a `store`, the database; services.ts wires it): a call's send slot is reserved in
 *   the database in one atomic statement (`zoom.pacer.repo.ts`) that moves the lane's next slot on
 *   by the spacing, so every instance of the tool draws from one budget. Each process queues its
 *   calls locally and reserves a few slots at a time, shortly before they are due, so the database
 *   sees about one statement per lane every BATCH_SPAN_MS, not one per call. Slots are in the
 *   database's clock, handed over as durations. A call woken too late for its slot (a busy event
 *   loop) reserves again rather than go out next to the following slot.
 *   A 429's pause (`Retry-After`) and a spent daily limit are written there too, so every instance
 *   honours them: pauses on its next reservation, daily limits within HOLDS_REFRESH_MS. While the
 *   database fails, each process paces alone (and says so in the log).
 * - Per process (no store: tests, tools): a bottleneck limiter whose `minTime` spaces calls,
 *   followed by a gate that re-checks the spacing against the clock when a call is released (a busy
 *   event loop can fire several bottleneck timers in one tick) and holds calls during a pause.
 * Either way the client's 429 handling (pause the lane until `Retry-After`, then retry) covers
 * whatever the pacing did not prevent.
 */

/** Zoom's documented limits in requests per second; resource-intensive is per minute (10/min, 20/min). */
export const ZOOM_RATE_LIMITS: Readonly<Record<ZoomPlan, Readonly<Record<RateCategory, number>>>> = {
  free: { light: 4, medium: 2, heavy: 1, resource_intensive: 10 / 60 },
  pro: { light: 30, medium: 20, heavy: 10, resource_intensive: 10 / 60 },
  business: { light: 80, medium: 60, heavy: 40, resource_intensive: 20 / 60 },
};

/** Share of the limit the pacer aims at: the rest absorbs network jitter and clock skew with Zoom. */
export const DEFAULT_UTILISATION = 0.95;

/** A shared lane's call may go out at least this late after its slot. */
const MIN_LATE_TOLERANCE_MS = 10;
/** Store failures are logged at most this often. */
const STORE_ERROR_LOG_EVERY_MS = 10_000;

export interface ZoomPacerOptions {
  /** Per-second limits that replace Zoom's documented ones (for tests, or a plan with a raised limit). */
  limits?: Partial<Record<ZoomPlan, Partial<Record<RateCategory, number>>>>;
  now?: () => number;
  /** Fraction of the limit to aim at, in (0, 1]. Default 0.95. */
  utilisation?: number;
  /** Where every instance shares its lanes, pauses and daily limits; without it pacing is per process. */
  store?: ZoomRateStore;
  /** Where failures of the store are reported. */
  logger?: Logger;
}

interface LocalLane {
  limiter: Bottleneck;
  /** Spacing between two calls, ms. */
  spacing: number;
  /** Earliest time the next call may be released (ms epoch). */
  nextAt: number;
  pausedUntil: number;
}

interface Lane {
  plan: ZoomPlan;
  local: LocalLane;
  shared?: SharedLane;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ZoomPacer {
  private readonly lanes = new Map<string, Lane>();
  /** Pauses asked for lanes not created yet. */
  private readonly pendingPauses = new Map<string, number>();
  /** Spent daily limits this process was told of: `${account}|${scope}` → reset time (ms epoch). */
  private readonly dailyHolds = new Map<string, number>();
  private readonly limits: ZoomPacerOptions['limits'];
  private readonly now: () => number;
  private readonly utilisation: number;
  private readonly store: ZoomRateStore | undefined;
  private readonly sharedHolds: SharedHolds | undefined;
  private readonly logger: Logger | undefined;
  private storeErrorLoggedAt = -Infinity;

  constructor(options: ZoomPacerOptions = {}) {
    this.limits = options.limits;
    this.now = options.now ?? Date.now;
    this.utilisation = options.utilisation ?? DEFAULT_UTILISATION;
    if (!(this.utilisation > 0 && this.utilisation <= 1))
      throw new RangeError('utilisation must be in (0, 1]');
    this.store = options.store;
    this.logger = options.logger;
    this.sharedHolds = this.store
      ? new SharedHolds(this.store, this.now, (error) => this.storeFailed(error))
      : undefined;
  }

  /** The per-second limit the pacer applies for a plan and category. */
  limitOf(plan: ZoomPlan, category: RateCategory): number {
    const limit = this.limits?.[plan]?.[category] ?? ZOOM_RATE_LIMITS[plan][category];
    if (!(limit > 0)) throw new RangeError(`No positive rate limit for ${plan}/${category}`);
    return limit;
  }

  /** Runs `fn` when the account's lane for the category allows another call. */
  async schedule<T>(
    accountId: string,
    plan: ZoomPlan,
    category: RateCategory,
    fn: () => Promise<T>,
  ): Promise<T> {
    const lane = this.lane(accountId, plan, category);
    if (!lane.shared) {
      const local = lane.local;
      // The call runs as the limiter's job, right when the gate lets it go.
      return local.limiter.schedule(async () => {
        await this.gate(local);
        return fn();
      });
    }
    await lane.shared.acquire();
    return fn();
  }

  /** Holds the account's lane for the category until `untilMs` (a 429's `Retry-After`). Never shortens a pause. */
  pause(accountId: string, category: RateCategory, untilMs: number): void {
    const key = laneKey(accountId, category);
    const lane = this.lanes.get(key);
    if (lane) {
      lane.local.pausedUntil = Math.max(lane.local.pausedUntil, untilMs);
      if (lane.shared) lane.shared.pause(untilMs);
      return;
    }
    this.pendingPauses.set(key, Math.max(this.pendingPauses.get(key) ?? 0, untilMs));
    const forMs = untilMs - this.now();
    if (this.store && forMs > 0)
      this.store.pause({ accountId, category }, forMs).catch((error: unknown) => this.storeFailed(error));
  }

  /** Zoom said a daily limit is spent (scope: a category, or one user's meeting writes) until `untilMs`. */
  holdUntilReset(accountId: string, scope: string, untilMs: number): void {
    const key = `${accountId}|${scope}`;
    this.dailyHolds.set(key, Math.max(this.dailyHolds.get(key) ?? 0, untilMs));
    this.sharedHolds?.hold(accountId, scope, untilMs);
  }

  /** The reset time of a spent daily limit (known here or to any instance), or undefined when calls may go out. */
  async heldUntil(accountId: string, scope: string): Promise<number | undefined> {
    const key = `${accountId}|${scope}`;
    let here = this.dailyHolds.get(key);
    if (here !== undefined && here <= this.now()) {
      this.dailyHolds.delete(key);
      here = undefined;
    }
    const elsewhere = await this.sharedHolds?.heldUntil(accountId, scope);
    if (here === undefined) return elsewhere;
    return elsewhere === undefined ? here : Math.max(here, elsewhere);
  }

  private lane(accountId: string, plan: ZoomPlan, category: RateCategory): Lane {
    const key = laneKey(accountId, category);
    // Not rounded to whole milliseconds: at 30 a second, 36 ms instead of 35.1 would give away 3 %.
    const spacing = 1000 / (this.limitOf(plan, category) * this.utilisation);
    const existing = this.lanes.get(key);
    if (existing) {
      if (existing.plan !== plan) {
        existing.plan = plan;
        existing.local.spacing = spacing;
        void existing.local.limiter.updateSettings({ minTime: spacing });
        if (existing.shared) existing.shared.spacing = spacing;
      }
      return existing;
    }
    const pausedUntil = this.pendingPauses.get(key) ?? 0;
    this.pendingPauses.delete(key);
    const local: LocalLane = {
      limiter: new Bottleneck({ minTime: spacing, maxConcurrent: null, id: `zoom:${key}` }),
      spacing,
      nextAt: 0,
      pausedUntil,
    };
    const lane: Lane = { plan, local };
    if (this.store) {
      lane.shared = new SharedLane({ accountId, category }, spacing, {
        store: this.store,
        now: this.now,
        lateToleranceMs: this.lateToleranceMs(plan, category, spacing),
        fallback: () => this.acquireLocally(local),
        onStoreError: (error) => this.storeFailed(error),
      });
      lane.shared.pausedUntil = pausedUntil;
    }
    this.lanes.set(key, lane);
    return lane;
  }

  /**
   * How late after its slot a call may go out. Calls reserved `spacing` apart, each sent at most D
   * after its slot, put n calls into a window of W ms only if (n - 1) * spacing - D < W; so with
   * `slack` = perWindow * spacing - W (52 ms at 95 % of a per-second limit), D <= slack keeps every
   * window at the limit. Half the slack is allowed here; the rest is left to the network and Zoom.
   */
  private lateToleranceMs(plan: ZoomPlan, category: RateCategory, spacing: number): number {
    const limit = this.limitOf(plan, category);
    const windowMs = limit >= 1 ? 1000 : 60_000;
    const perWindow = Math.max(1, Math.round((limit * windowMs) / 1000));
    const slack = perWindow * spacing - windowMs;
    return Math.max(MIN_LATE_TOLERANCE_MS, Math.floor(slack / 2));
  }

  private acquireLocally(lane: LocalLane): Promise<void> {
    return lane.limiter.schedule(() => this.gate(lane));
  }

  /** Waits for this call's slot: after the previous slot plus spacing, and after any pause. */
  private async gate(lane: LocalLane): Promise<void> {
    for (;;) {
      const now = this.now();
      const at = Math.max(now, lane.nextAt, lane.pausedUntil);
      lane.nextAt = at + lane.spacing;
      if (at > now) await sleep(at - now);
      // A pause that began while this call slept applies to it too (and only such a pause: a timer
      // firing a millisecond early must not cost the call its slot).
      if (lane.pausedUntil <= Math.max(at, this.now())) return;
    }
  }

  private storeFailed(error: unknown): void {
    const now = this.now();
    if (now - this.storeErrorLoggedAt < STORE_ERROR_LOG_EVERY_MS) return;
    this.storeErrorLoggedAt = now;
    this.logger?.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      'shared Zoom pacing failed; this process paces alone until the database answers',
    );
  }
}

function laneKey(accountId: string, category: RateCategory): string {
  return `${accountId}|${category}`;
}
