import { AppError, errors } from '../shared/errors';
import type { Queryable } from '../storage';
import { ZoomApiError, type ZoomCallOptions } from '../zoom';
import * as repo from './meetings.repo';
import { formatInstant, nextUtcMidnight, utcDay } from './meetings.time';

/**
 * A host's daily budget of meeting creates and updates at Zoom (100 a day, reset at 00:00 UTC), and
 * Zoom's refusals as the errors people read (with the reset time in their zone and language).
 */
export const DAILY_LIMIT = 100;
export const DAILY_WARNING = 80;

/** Who the reset time is said to. */
interface Viewer {
  timeZone: string;
  locale: string;
}

const resetText = (now: number, viewer: Viewer): string =>
  formatInstant(nextUtcMidnight(now), viewer.timeZone, viewer.locale);

/**
 * Takes one of the host's daily create/update requests before Zoom is asked: refused at the
 * limit (with the reset time in the viewer's zone); from the 80th, what the page warns about.
 */
export async function reserveHostRequest(
  db: Queryable,
  schoolId: string,
  host: string,
  viewer: Viewer,
  now: number,
): Promise<{ count: number; resetsAt: Date } | undefined> {
  const count = await repo.reserveHostRequest(db, schoolId, host, utcDay(now), DAILY_LIMIT);
  if (count === undefined) throw errors.meetingDailyLimit({ reset: resetText(now, viewer) });
  return count >= DAILY_WARNING ? { count, resetsAt: nextUtcMidnight(now) } : undefined;
}

/**
 * Each retry of a create or update that Zoom may have counted (its send before failed after
 * reaching Zoom: a 5xx, time-out or dropped connection) takes another of the host's requests; a
 * retry after a 429 or 401, which Zoom refused unprocessed, uses the one already taken.
 */
export function sendsCounted(reserve: () => Promise<unknown>): ZoomCallOptions {
  return {
    beforeRetry: async ({ mayHaveCounted }) => {
      if (mayHaveCounted) await reserve();
    },
  };
}

/** Zoom's refusal as the error the person sees (nothing was changed). */
export function zoomRefusal(error: unknown, viewer: Viewer, now: number): unknown {
  if (error instanceof AppError) return error;
  if (!(error instanceof ZoomApiError)) return error;
  switch (error.kind) {
    case 'daily_limit':
      return errors.meetingDailyLimit({ reset: resetText(now, viewer) }, error);
    case 'account_daily_limit':
      return errors.zoomAccountDailyLimit({ reset: resetText(now, viewer) }, error);
    case 'rate_limited':
      return errors.zoomBusy({}, error);
    case 'missing_scopes':
    case 'unauthorized':
      return errors.zoomReconnectRequired(undefined, error);
    case 'server':
    case 'timeout':
    case 'network':
    case 'invalid_response':
      return errors.zoomUnavailable(undefined, error);
    default:
      if (error.code === 3002) return errors.meetingInProgress({}, error);
      return errors.meetingRefused({ message: error.zoomMessage }, error);
  }
}
