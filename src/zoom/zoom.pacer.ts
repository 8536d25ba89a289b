import Bottleneck from 'bottleneck';
import type { RateCategory, ZoomPlan } from './zoom.types';

/**
 * Client-side pacing under Zoom's per-account rate limits, so the tool stays under them instead of
 * bouncing off them (ZOOM-NOTES "Rate limits").
 *
 * One lane per (Zoom account, category): a bottleneck limiter whose `minTime` spaces calls at the
 * plan's rate, followed by a gate that re-checks the spacing against the clock when a call is
 * actually released (a busy event loop can fire several bottleneck timers in one tick) and holds
 * calls while the lane is paused after a 429.
 *
 * Pacing is per process: share ONE pacer per process (the ZoomClient's default is its own). Zoom's
 * limits are per account and shared by every process and app of the account, so several processes
 * can still exceed them together; the client's 429 handling (pause the lane until `Retry-After`,
 * then retry) covers that case.
 *
 * It also remembers daily limits Zoom reported (`holdUntilReset`), so this process sends nothing
 * more against a spent daily limit before its reset.
 */

/** Zoom's documented limits in requests per second; resource-intensive is per minute (10/min, 20/min). */
export const ZOOM_RATE_LIMITS: Readonly<Record<ZoomPlan, Readonly<Record<RateCategory, number>>>> = {
  free: { light: 4, medium: 2, heavy: 1, resource_intensive: 10 / 60 },
  pro: { light: 30, medium: 20, heavy: 10, resource_intensive: 10 / 60 },
  business: { light: 80, medium: 60, heavy: 40, resource_intensive: 20 / 60 },
};

/** Share of the limit the pacer aims at: the rest absorbs network jitter and clock skew with Zoom. */
export const DEFAULT_UTILISATION = 0.95;

export interface ZoomPacerOptions {
  /** Per-second limits that replace Zoom's documented ones (for tests, or a plan with a raised limit). */
  limits?: Partial<Record<ZoomPlan, Partial<Record<RateCategory, number>>>>;
  now?: () => number;
  /** Fraction of the limit to aim at, in (0, 1]. Default 0.95. */
  utilisation?: number;
}

interface Lane {
  limiter: Bottleneck;
  plan: ZoomPlan;
  /** Spacing between two calls, ms. */
  spacing: number;
  /** Earliest time the next call may be released (ms epoch). */
  nextAt: number;
  pausedUntil: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ZoomPacer {
  private readonly lanes = new Map<string, Lane>();
  /** Pauses asked for lanes not created yet. */
  private readonly pendingPauses = new Map<string, number>();
  /** Spent daily limits: `${account}|${scope}` → reset time (ms epoch). */
  private readonly dailyHolds = new Map<string, number>();
  private readonly limits: ZoomPacerOptions['limits'];
  private readonly now: () => number;
  private readonly utilisation: number;

  constructor(options: ZoomPacerOptions = {}) {
    this.limits = options.limits;
    this.now = options.now ?? Date.now;
    this.utilisation = options.utilisation ?? DEFAULT_UTILISATION;
    if (!(this.utilisation > 0 && this.utilisation <= 1))
      throw new RangeError('utilisation must be in (0, 1]');
  }

  /** The per-second limit the pacer applies for a plan and category. */
  limitOf(plan: ZoomPlan, category: RateCategory): number {
    const limit = this.limits?.[plan]?.[category] ?? ZOOM_RATE_LIMITS[plan][category];
    if (!(limit > 0)) throw new RangeError(`No positive rate limit for ${plan}/${category}`);
    return limit;
  }

  /** Runs `fn` when the account's lane for the category allows another call. */
  schedule<T>(accountId: string, plan: ZoomPlan, category: RateCategory, fn: () => Promise<T>): Promise<T> {
    const lane = this.lane(accountId, plan, category);
    return lane.limiter.schedule(async () => {
      await this.gate(lane);
      return fn();
    });
  }

  /** Holds the account's lane for the category until `untilMs` (a 429's `Retry-After`). Never shortens a pause. */
  pause(accountId: string, category: RateCategory, untilMs: number): void {
    const key = laneKey(accountId, category);
    const lane = this.lanes.get(key);
    if (lane) lane.pausedUntil = Math.max(lane.pausedUntil, untilMs);
    else this.pendingPauses.set(key, Math.max(this.pendingPauses.get(key) ?? 0, untilMs));
  }

  /** Zoom said a daily limit is spent (scope: a category, or one user's meeting writes) until `untilMs`. */
  holdUntilReset(accountId: string, scope: string, untilMs: number): void {
    const key = `${accountId}|${scope}`;
    this.dailyHolds.set(key, Math.max(this.dailyHolds.get(key) ?? 0, untilMs));
  }

  /** The reset time of a spent daily limit, or undefined when calls in that scope may go out. */
  heldUntil(accountId: string, scope: string): number | undefined {
    const key = `${accountId}|${scope}`;
    const until = this.dailyHolds.get(key);
    if (until === undefined || until > this.now()) return until;
    this.dailyHolds.delete(key);
    return undefined;
  }

  private lane(accountId: string, plan: ZoomPlan, category: RateCategory): Lane {
    const key = laneKey(accountId, category);
    const spacing = Math.ceil(1000 / (this.limitOf(plan, category) * this.utilisation));
    const existing = this.lanes.get(key);
    if (existing) {
      if (existing.plan !== plan) {
        existing.plan = plan;
        existing.spacing = spacing;
        void existing.limiter.updateSettings({ minTime: spacing });
      }
      return existing;
    }
    const lane: Lane = {
      limiter: new Bottleneck({ minTime: spacing, maxConcurrent: null, id: `zoom:${key}` }),
      plan,
      spacing,
      nextAt: 0,
      pausedUntil: this.pendingPauses.get(key) ?? 0,
    };
    this.pendingPauses.delete(key);
    this.lanes.set(key, lane);
    return lane;
  }

  /** Waits for this call's slot: after the previous slot plus spacing, and after any pause. */
  private async gate(lane: Lane): Promise<void> {
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
}

function laneKey(accountId: string, category: RateCategory): string {
  return `${accountId}|${category}`;
}
