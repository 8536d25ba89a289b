import {
  classifyTransportError,
  classifyZoomError,
  nextUtcMidnight,
  parseRetryAfter,
  rateCategoryOf,
  zoomErrorFromAnswer,
  type ZoomErrorKind,
} from '../../../src/zoom/zoom.client.errors';

const NOW = Date.parse('2030-01-07T09:00:00.250Z');

describe('Retry-After parsing', () => {
  it('reads delay-seconds relative to now', () => {
    expect(parseRetryAfter('1', NOW)).toBe(NOW + 1000);
    expect(parseRetryAfter(' 30 ', NOW)).toBe(NOW + 30_000);
    expect(parseRetryAfter('0', NOW)).toBe(NOW);
    expect(parseRetryAfter('1.5', NOW)).toBe(NOW + 1500);
  });

  it('reads an HTTP date as an absolute time', () => {
    expect(parseRetryAfter('Mon, 07 Jan 2030 09:00:05 GMT', NOW)).toBe(Date.parse('2030-01-07T09:00:05Z'));
    expect(parseRetryAfter('Tue, 08 Jan 2030 00:00:00 GMT', NOW)).toBe(Date.parse('2030-01-08T00:00:00Z'));
  });

  it('treats a date in the past as now', () => {
    expect(parseRetryAfter('Mon, 07 Jan 2030 08:59:00 GMT', NOW)).toBe(NOW);
  });

  it('gives undefined when missing or unreadable, so the caller picks its default', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('2030', NOW)).toBe(NOW + 2_030_000);
  });

  it('knows the next 00:00 UTC', () => {
    expect(nextUtcMidnight(NOW)).toBe(Date.parse('2030-01-08T00:00:00Z'));
    expect(nextUtcMidnight(Date.parse('2030-01-08T00:00:00Z'))).toBe(Date.parse('2030-01-09T00:00:00Z'));
  });
});

describe('error classification', () => {
  const table: Array<[number, number | undefined, string, string | undefined, ZoomErrorKind]> = [
    [404, 1001, 'User does not exist: a@b.edu.', undefined, 'not_found'],
    [404, 3001, 'Meeting 123 is not found or has expired.', undefined, 'not_found'],
    [400, 1001, 'User does not exist: a@b.edu.', undefined, 'not_found'],
    [404, 404, 'Not Found', undefined, 'not_found'],
    [409, 1005, 'User already in the account: a@b.edu', undefined, 'conflict'],
    [400, 1005, 'Email a@b.edu has already been used.', undefined, 'conflict'],
    [409, 1009, 'The user a@b.edu already holds an active account.', undefined, 'conflict'],
    [400, 300, 'Validation Failed.', undefined, 'invalid_request'],
    [400, 1010, 'User not belong to this account', undefined, 'invalid_request'],
    [
      400,
      4711,
      'Invalid access token, does not contain scopes:[user:read:admin].',
      undefined,
      'missing_scopes',
    ],
    [401, 124, 'Invalid access token.', undefined, 'unauthorized'],
    [401, 124, 'Access token is expired.', undefined, 'unauthorized'],
    [403, 403, 'Forbidden', undefined, 'forbidden'],
    [400, 200, 'You can add max 10 paid users.', undefined, 'forbidden'],
    [429, 429, 'You have reached the maximum per-second rate limit for this API.', 'QPS', 'rate_limited'],
    [429, 429, 'Too many requests', 'Per-second-limit', 'rate_limited'],
    [
      429,
      429,
      'You have reached the maximum daily rate limit for this API.',
      'Daily-limit',
      'account_daily_limit',
    ],
    [429, 429, 'Too many requests', 'Daily-limit', 'account_daily_limit'],
    [
      429,
      429,
      'You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.',
      'Daily-limit',
      'daily_limit',
    ],
    [
      429,
      429,
      'You have exceeded the daily rate limit (100) of Meeting Create/Update API',
      undefined,
      'daily_limit',
    ],
    [500, 500, 'Internal Server Error', undefined, 'server'],
    [503, undefined, 'HTTP 503', undefined, 'server'],
    [302, undefined, 'HTTP 302', undefined, 'invalid_response'],
  ];

  it.each(table)('HTTP %i code %p (%s, %p) → %s', (status, code, message, type, kind) => {
    expect(classifyZoomError(status, code, message, type)).toBe(kind);
  });

  it('tells timeouts from other socket errors', () => {
    expect(classifyTransportError('ECONNABORTED')).toBe('timeout');
    expect(classifyTransportError('ETIMEDOUT')).toBe('timeout');
    expect(classifyTransportError('ECONNRESET')).toBe('network');
    expect(classifyTransportError('ECONNREFUSED')).toBe('network');
    expect(classifyTransportError(undefined)).toBe('network');
  });

  it('maps X-RateLimit-Category to the pacer categories', () => {
    expect(rateCategoryOf('Light')).toBe('light');
    expect(rateCategoryOf('Medium')).toBe('medium');
    expect(rateCategoryOf('Resource-intensive')).toBe('resource_intensive');
    expect(rateCategoryOf('Resource-Intensive')).toBe('resource_intensive');
    expect(rateCategoryOf('Gigantic')).toBeUndefined();
    expect(rateCategoryOf(undefined)).toBeUndefined();
  });
});

describe('errors built from Zoom answers', () => {
  const answer = (status: number, body: unknown, headers: Record<string, unknown> = {}) =>
    zoomErrorFromAnswer({ status, headers, body, nowMs: NOW, method: 'GET', path: '/users/{userId}' });

  it("keeps Zoom's code, message and field errors", () => {
    const error = answer(400, {
      code: 300,
      message: 'Validation Failed.',
      errors: [{ field: 'user_info.email', message: 'Invalid field.' }],
    });
    expect(error).toMatchObject({
      status: 400,
      code: 300,
      zoomMessage: 'Validation Failed.',
      kind: 'invalid_request',
    });
    expect(error.fieldErrors).toEqual([{ field: 'user_info.email', message: 'Invalid field.' }]);
    expect(error.message).toContain('GET /users/{userId}');
  });

  it('survives a body that is not Zoom JSON', () => {
    const error = answer(502, '<html>Bad gateway</html>');
    expect(error).toMatchObject({ status: 502, code: undefined, kind: 'server' });
    expect(error.zoomMessage).toMatch(/HTTP 502/);
  });

  it('gives a per-second 429 its Retry-After and category', () => {
    const error = answer(
      429,
      {
        code: 429,
        message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
      },
      { 'retry-after': '1', 'x-ratelimit-type': 'QPS', 'x-ratelimit-category': 'Light' },
    );
    expect(error).toMatchObject({ kind: 'rate_limited', retryAt: NOW + 1000, category: 'Light' });
  });

  it('waits one second on a per-second 429 without Retry-After', () => {
    expect(answer(429, { code: 429, message: 'Too many requests.' }).retryAt).toBe(NOW + 1000);
  });

  it('dates a daily limit with Retry-After, else the next 00:00 UTC', () => {
    const headers = { 'x-ratelimit-type': 'Daily-limit', 'retry-after': 'Tue, 08 Jan 2030 00:00:00 GMT' };
    const body = { code: 429, message: 'You have reached the maximum daily rate limit for this API.' };
    expect(answer(429, body, headers)).toMatchObject({
      kind: 'account_daily_limit',
      retryAt: Date.parse('2030-01-08T00:00:00Z'),
    });
    expect(answer(429, body, { 'x-ratelimit-type': 'Daily-limit' }).retryAt).toBe(nextUtcMidnight(NOW));
  });
});
