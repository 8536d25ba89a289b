import { classify } from '../../../src/provisioning/provisioning.zoom';
import { ZoomApiError, type ZoomErrorKind } from '../../../src/zoom/zoom.client.errors';

/**
 * Zoom's limits hold a person's provisioning back ('queued': the retry job tries again after the
 * reset) whichever limit it was: the account's per-second pace, a host's daily meeting writes, or
 * the account's daily limit of the category (which user lookups and creates meet on a Free plan).
 */
describe('provisioning held back by Zoom’s limits', () => {
  const table: Array<[ZoomErrorKind, number, string]> = [
    ['rate_limited', 429, 'queued'],
    ['daily_limit', 429, 'queued'],
    ['account_daily_limit', 429, 'queued'],
    ['server', 503, 'zoom_unavailable'],
    ['missing_scopes', 400, 'zoom_reconnect_required'],
  ];

  it.each(table)('a %s answer (HTTP %i) is %s', (kind, status, outcome) => {
    const error = new ZoomApiError({ status, kind, zoomMessage: 'Zoom said so.' });
    expect(classify(error)).toBe(outcome);
  });
});
