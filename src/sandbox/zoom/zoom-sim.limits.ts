import type { RequestHandler, Response } from 'express';
import { callerOf } from './zoom-sim.auth';
import { utcDay } from './zoom-sim.clock';
import type { SimContext } from './zoom-sim.context';
import { ZoomApiError } from './zoom-sim.errors';
import type { Plan, RateCategory, SimAccount } from './zoom-sim.types';

/**
 * Zoom's rate limits, per account and shared by every app of the account, on the simulated clock:
 * per-second (per-minute for resource-intensive) by plan and category, daily caps (free plan per
 * category; paid plans a heavy + resource-intensive cap), and the per-user 100 meeting
 * create/update requests a day. Daily windows reset at 00:00 UTC.
 *
 * Categories of the endpoints the tool uses (Zoom's docs label each endpoint):
 * users create / get / update: Light; meeting get / update / delete: Light; meeting create and
 * list: Medium; recordings of a meeting: Light; a user's recordings and past participants: Medium;
 * report participants: Heavy.
 */
export const PER_SECOND: Record<Plan, Record<RateCategory, number>> = {
  free: { Light: 4, Medium: 2, Heavy: 1, 'Resource-intensive': 10 },
  pro: { Light: 30, Medium: 20, Heavy: 10, 'Resource-intensive': 10 },
  business: { Light: 80, Medium: 60, Heavy: 40, 'Resource-intensive': 20 },
};

/** Daily caps: free per category (resource-intensive shares Heavy's), paid plans a shared heavy cap. */
function dailyBucket(plan: Plan, category: RateCategory): { bucket: string; cap: number } | null {
  if (plan === 'free') {
    const caps = { Light: 6000, Medium: 2000, Heavy: 1000, 'Resource-intensive': 1000 };
    return { bucket: category === 'Resource-intensive' ? 'Heavy' : category, cap: caps[category] };
  }
  if (category === 'Heavy' || category === 'Resource-intensive') {
    return { bucket: 'heavy-shared', cap: plan === 'pro' ? 30_000 : 60_000 };
  }
  return null;
}

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  private daily = new Map<string, number>();

  constructor(private readonly ctx: SimContext) {}

  reset(): void {
    this.windows.clear();
    this.daily.clear();
  }

  private active(account: SimAccount): boolean {
    return this.ctx.options.limits.enabled && account.limits.enabled;
  }

  private scaled(account: SimAccount, limit: number): number {
    return Math.max(1, Math.floor(limit * account.limits.scale));
  }

  /** Counts one request of the account in the category, or throws the 429 Zoom answers. */
  hit(account: SimAccount, category: RateCategory, res: Response): void {
    if (!this.active(account)) return;
    const now = this.ctx.clock.now();
    const span = category === 'Resource-intensive' ? 60_000 : 1000;
    const start = Math.floor(now / span) * span;
    const key = `${account.id}|${category}`;
    const window = this.windows.get(key);
    const used = window && window.start === start ? window.count : 0;
    const limit = this.scaled(account, PER_SECOND[account.plan][category]);
    if (used >= limit) throw perSecondLimitError(this.ctx, category, limit, start + span);
    const day = dailyBucket(account.plan, category);
    const dayKey = day ? `${account.id}|${day.bucket}|${utcDay(now).key}` : '';
    if (day) {
      const cap = this.scaled(account, day.cap);
      const count = this.daily.get(dayKey) ?? 0;
      if (count >= cap) {
        throw this.tooMany(
          'You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.',
          utcDay(now).next,
          { category, type: 'Daily-limit', limit: cap, remaining: 0 },
        );
      }
      this.daily.set(dayKey, count + 1);
      setHeaders(res, { category, type: 'Daily-limit', limit: cap, remaining: cap - count - 1 });
    }
    this.windows.set(key, { start, count: used + 1 });
  }

  /** The per-user daily limit of meeting create/update requests (reset 00:00 UTC). */
  hitMeetingWrite(account: SimAccount, userId: string, category: RateCategory): void {
    if (!this.active(account)) return;
    const now = this.ctx.clock.now();
    const limit = account.limits.meeting_requests_per_user_per_day;
    const key = `${userId}|meeting-write|${utcDay(now).key}`;
    const count = this.daily.get(key) ?? 0;
    if (count >= limit) {
      throw this.tooMany(
        `You have exceeded the daily rate limit (${limit}) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.`,
        utcDay(now).next,
        { category, type: 'Daily-limit', limit, remaining: 0 },
      );
    }
    this.daily.set(key, count + 1);
  }

  private tooMany(message: string, resetAt: number, h: RateHeaders): ZoomApiError {
    return tooManyRequests(this.ctx, message, resetAt, h);
  }
}

/** Zoom's 429 for a spent per-second (per-minute for resource-intensive) limit; try again at `resetAt`. */
export function perSecondLimitError(
  ctx: SimContext,
  category: RateCategory,
  limit: number,
  resetAt: number,
): ZoomApiError {
  return tooManyRequests(
    ctx,
    'You have reached the maximum per-second rate limit for this API. Try again later.',
    resetAt,
    { category, type: ctx.options.limits.perSecondTypeHeader, limit, remaining: 0 },
  );
}

function tooManyRequests(ctx: SimContext, message: string, resetAt: number, h: RateHeaders): ZoomApiError {
  const now = ctx.clock.now();
  const retryAfter =
    ctx.options.retryAfterFormat === 'http-date'
      ? new Date(resetAt).toUTCString()
      : String(Math.max(1, Math.ceil((resetAt - now) / 1000)));
  return new ZoomApiError(429, 429, message, undefined, { 'Retry-After': retryAfter, ...headerValues(h) });
}

interface RateHeaders {
  category: RateCategory;
  type: string;
  limit: number;
  remaining: number;
}

function headerValues(h: RateHeaders): Record<string, string> {
  return {
    'X-RateLimit-Category': h.category,
    'X-RateLimit-Type': h.type,
    'X-RateLimit-Limit': String(h.limit),
    'X-RateLimit-Remaining': String(h.remaining),
  };
}

function setHeaders(res: Response, h: RateHeaders): void {
  for (const [name, value] of Object.entries(headerValues(h))) res.setHeader(name, value);
}

/** Route middleware: counts the request against the caller's account. */
export function rateLimit(limiter: RateLimiter, category: RateCategory): RequestHandler {
  return (_req, res, next) => {
    limiter.hit(callerOf(res).account, category, res);
    next();
  };
}
