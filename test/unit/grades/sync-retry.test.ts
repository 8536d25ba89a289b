import {
  GIVE_UP_AFTER_MS,
  MAX_BACKOFF_MS,
  MIN_BACKOFF_MS,
  nextRunAt,
  rememberingRetryAfter,
} from '../../../src/grades/grades.sync.retry';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const MINUTE = 60_000;

describe('when the grades job runs again after the LMS did not answer', () => {
  it('waits 30 s at first, then as long as the LMS has been unavailable, at most an hour', () => {
    expect(nextRunAt(NOW, NOW, undefined)).toBe(NOW + MIN_BACKOFF_MS);
    expect(nextRunAt(NOW, NOW - 5 * MINUTE, undefined)).toBe(NOW + 5 * MINUTE);
    expect(nextRunAt(NOW, NOW - 10 * 60 * MINUTE, undefined)).toBe(NOW + MAX_BACKOFF_MS);
  });

  it('runs again when the LMS’s Retry-After says, however short or long, within the 3 days', () => {
    expect(nextRunAt(NOW, NOW - 10 * MINUTE, 5_000)).toBe(NOW + 5_000);
    expect(nextRunAt(NOW, NOW, 0)).toBe(NOW + 1_000);
    expect(nextRunAt(NOW, NOW, 2 * 60 * MINUTE)).toBe(NOW + 2 * 60 * MINUTE);
    expect(nextRunAt(NOW, NOW - GIVE_UP_AFTER_MS + MINUTE, 2 * 60 * MINUTE)).toBe(NOW + MINUTE);
  });

  it('stops 3 days after the LMS first failed', () => {
    expect(nextRunAt(NOW, NOW - GIVE_UP_AFTER_MS, undefined)).toBeUndefined();
    expect(nextRunAt(NOW, NOW - GIVE_UP_AFTER_MS - 1, 1_000)).toBeUndefined();
  });

  it('remembers the Retry-After of the last 429 or 5xx, and forgets it on any other answer', async () => {
    const answers = [
      new Response('', { status: 429, headers: { 'Retry-After': '120' } }),
      new Response('', { status: 200, headers: { 'Retry-After': '7' } }),
      new Response('', { status: 503, headers: { 'Retry-After': 'Mon, 07 Dec 2026 12:00:30 GMT' } }),
      new Response('', { status: 502 }),
    ];
    const watched = rememberingRetryAfter(
      async () => answers.shift()!,
      () => NOW,
    );
    expect(watched.retryAfter()).toBeUndefined();
    await watched.fetch('https://lms.example/');
    expect(watched.retryAfter()).toBe(120_000);
    await watched.fetch('https://lms.example/');
    expect(watched.retryAfter()).toBeUndefined();
    await watched.fetch('https://lms.example/');
    expect(watched.retryAfter()).toBe(30_000);
    await watched.fetch('https://lms.example/');
    expect(watched.retryAfter()).toBeUndefined();
  });
});
