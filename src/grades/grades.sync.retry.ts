import { retryAfterMs } from './grades.headers';

/**
 * When the grades job runs again after the LMS did not take a run (429, 5xx, no answer, past the
 * AGS client's own short retries): at the LMS's `Retry-After` when it gave one, else after a pause
 * as long as the LMS has been unavailable (30 s at first, doubling, at most an hour); never past 3
 * days after it first failed, when the job stops (the course keeps saying the LMS is unavailable;
 * the next change of its grades tries again). A score post is safe to repeat, so nothing is lost.
 */
export const GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60_000;
export const MIN_BACKOFF_MS = 30_000;
export const MAX_BACKOFF_MS = 60 * 60_000;

/** The time to run again, or undefined to stop; `firstFailedAt` is when the LMS first failed (this time if new). */
export function nextRunAt(
  now: number,
  firstFailedAt: number,
  retryAfter: number | undefined,
): number | undefined {
  const waited = Math.max(0, now - firstFailedAt);
  if (waited >= GIVE_UP_AFTER_MS) return undefined;
  const backoff = Math.min(MAX_BACKOFF_MS, Math.max(MIN_BACKOFF_MS, waited));
  const delay = Math.min(retryAfter ?? backoff, GIVE_UP_AFTER_MS - waited);
  return now + Math.max(1_000, delay);
}

/**
 * A fetch for the AGS client that remembers the `Retry-After` of the last answer if it was a 429 or
 * a 5xx (the client waits for short ones itself; a longer one is the job's next run).
 */
export function rememberingRetryAfter(
  base: typeof fetch,
  now: () => number,
): { fetch: typeof fetch; retryAfter: () => number | undefined } {
  let last: number | undefined;
  return {
    fetch: async (input, init) => {
      const response = await base(input, init);
      last =
        response.status === 429 || response.status >= 500
          ? retryAfterMs(response.headers.get('retry-after'), now())
          : undefined;
      return response;
    },
    retryAfter: () => last,
  };
}
