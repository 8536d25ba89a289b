import crypto from 'node:crypto';
import { createLogger } from '../../../src/shared/logger';
import {
  deliveryKey,
  signZoomWebhook,
  urlValidationAnswer,
  ZoomWebhookService,
  zoomTimestampMs,
  type WebhookTargets,
} from '../../../src/zoom/zoom.webhooks.service';
import { zoomWebhookEnvelope } from '../../../src/zoom/zoom.webhooks.schema';

describe('Zoom webhook verification helpers', () => {
  it("signs like Zoom: v0= + hex HMAC-SHA256(secret, 'v0:{timestamp}:{raw body}') over the raw bytes", () => {
    const raw = Buffer.from('{"event":"meeting.updated","payload":{"topic":"Caf\u00e9"}}', 'utf8');
    const expected = crypto.createHmac('sha256', 's3cret').update(`v0:1700000000:${raw.toString('utf8')}`);
    expect(signZoomWebhook('s3cret', '1700000000', raw)).toBe(`v0=${expected.digest('hex')}`);
    expect(signZoomWebhook('s3cret', '1700000000', raw)).not.toBe(
      signZoomWebhook('s3cret', '1700000001', raw),
    );
  });

  it('reads x-zm-request-timestamp as milliseconds above 1e12, seconds otherwise', () => {
    expect(zoomTimestampMs('1894006800')).toBe(1_894_006_800_000);
    expect(zoomTimestampMs('1894006800123')).toBe(1_894_006_800_123);
  });

  it('answers url validation with the token and its hex HMAC-SHA256 under the secret', () => {
    expect(urlValidationAnswer('abc', 'token-1')).toEqual({
      plainToken: 'token-1',
      encryptedToken: crypto.createHmac('sha256', 'abc').update('token-1').digest('hex'),
    });
  });

  it('keys a delivery by the sha256 of its raw body', () => {
    expect(deliveryKey(Buffer.from('{}'))).toBe(crypto.createHash('sha256').update('{}').digest('hex'));
    expect(deliveryKey(Buffer.from('{}'))).not.toBe(deliveryKey(Buffer.from('{ }')));
  });

  it('keeps unknown envelope fields for later features', () => {
    const event = zoomWebhookEnvelope.parse({
      event: 'recording.completed',
      event_ts: 1,
      download_token: 'dl',
      payload: { account_id: 'a', object: { uuid: 'u' }, extra: true },
    });
    expect(event).toMatchObject({ download_token: 'dl', payload: { extra: true, object: { uuid: 'u' } } });
  });

  it('refuses a negative clock tolerance', () => {
    const targets = {} as WebhookTargets;
    expect(
      () =>
        new ZoomWebhookService(targets, { logger: createLogger({ level: 'silent' }), toleranceSeconds: -1 }),
    ).toThrow(RangeError);
  });
});
