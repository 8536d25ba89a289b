import express from 'express';
import request from 'supertest';
import { createLogger } from '../../../src/shared/logger';
import type { Tx } from '../../../src/storage';
import { zoomWebhookRoutes } from '../../../src/zoom/zoom.webhooks.routes';
import type { ZoomWebhookEvent } from '../../../src/zoom/zoom.webhooks.schema';
import {
  signZoomWebhook,
  urlValidationAnswer,
  type WebhookSource,
  type WebhookTargets,
} from '../../../src/zoom/zoom.webhooks.service';

/**
 * Fixed vectors for Zoom's webhook scheme, computed once with openssl, outside the code under test:
 *
 *   x-zm-signature = 'v0=' + hex HMAC-SHA256(secret token, 'v0:{x-zm-request-timestamp}:{raw body}')
 *   encryptedToken = hex HMAC-SHA256(secret token, plainToken)
 *
 *   printf 'v0:%s:%s' "$TIMESTAMP" "$RAW" | openssl dgst -sha256 -hmac "$SECRET"
 *   printf '%s' "$PLAIN_TOKEN" | openssl dgst -sha256 -hmac "$SECRET"
 *
 * The plainToken is the example of Zoom's "Validate your webhook endpoint" page; Zoom publishes no
 * secret with it, so the secret and the expected hex values are ours. The event body has spaces and
 * a non-ASCII character, so the signature only matches over the raw UTF-8 bytes as received.
 */
const SECRET = 'Tq8mX2rZkWp4vN7cYb3JdA';
const TIMESTAMP = '1894006800'; // 2030-01-07T09:00:00Z, in seconds

const EVENT_RAW =
  '{"event": "meeting.updated", "event_ts": 1894006800000, "payload": {"account_id": "AAAAAAAAAAAAAAAAAAAAAA", "object": {"id": 85746065432, "topic": "Café"}}}';
const EVENT_SIGNATURE = 'v0=f871b4afc8a9205e6517c9f560fd1791e556a8dcfe76c408f73fe9e48bf1a770';

const PLAIN_TOKEN = 'qgg8vlvZRS6UYooatFL8Aw';
const ENCRYPTED_TOKEN = '3c89d38c64978daf58925c898d0b4aafaa6e9b721d80abc498923c443481bdf8';
const VALIDATION_RAW =
  '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1894006800000,"event":"endpoint.url_validation"}';
const VALIDATION_SIGNATURE = 'v0=8e27c8b56de81b3a9cd0d15d4626b4e2c1968ce3059218455cb6fbb3f8c780d3';

describe('Zoom webhook signing against fixed vectors', () => {
  it('when the event vector is signed, the x-zm-signature is the precomputed one', () => {
    expect(signZoomWebhook(SECRET, TIMESTAMP, EVENT_RAW)).toBe(EVENT_SIGNATURE);
  });

  it('when the event vector arrives as raw bytes, the x-zm-signature is the precomputed one', () => {
    expect(signZoomWebhook(SECRET, TIMESTAMP, Buffer.from(EVENT_RAW, 'utf8'))).toBe(EVENT_SIGNATURE);
  });

  it('when the url_validation vector is signed, the x-zm-signature is the precomputed one', () => {
    expect(signZoomWebhook(SECRET, TIMESTAMP, VALIDATION_RAW)).toBe(VALIDATION_SIGNATURE);
  });

  it("when Zoom's example plainToken is answered, the encryptedToken is the precomputed one", () => {
    expect(urlValidationAnswer(SECRET, PLAIN_TOKEN)).toEqual({
      plainToken: PLAIN_TOKEN,
      encryptedToken: ENCRYPTED_TOKEN,
    });
  });
});

describe('Zoom webhook route against fixed vectors', () => {
  let events: Array<{ event: ZoomWebhookEvent; source: WebhookSource }>;
  let app: express.Express;

  beforeEach(() => {
    events = [];
    const targets: WebhookTargets = {
      marketplaceSecret: () => SECRET,
      schoolEndpoint: async () => undefined,
      handleOnce: async (_delivery, handle) => {
        await handle({} as Tx);
        return true;
      },
      deauthorize: async () => {
        throw new Error('no deauthorization in these vectors');
      },
      dispatch: async (_tx, event, source) => {
        events.push({ event, source });
      },
    };
    app = express();
    // The route's clock stands at the vector's timestamp, so the fixed timestamp is fresh.
    app.use(
      zoomWebhookRoutes(targets, {
        logger: createLogger({ level: 'silent' }),
        now: () => Number(TIMESTAMP) * 1000,
      }),
    );
  });

  const post = (raw: string, signature: string) =>
    request(app)
      .post('/zoom/webhook')
      .set('content-type', 'application/json')
      .set('x-zm-request-timestamp', TIMESTAMP)
      .set('x-zm-signature', signature)
      .send(raw);

  it('when the event vector arrives with its literal headers, it is accepted and handed over', async () => {
    const res = await post(EVENT_RAW, EVENT_SIGNATURE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(events).toEqual([
      {
        source: { kind: 'marketplace' },
        event: expect.objectContaining({
          event: 'meeting.updated',
          payload: expect.objectContaining({ object: { id: 85746065432, topic: 'Café' } }),
        }),
      },
    ]);
  });

  it('when the url_validation vector arrives with its literal headers, the precomputed encryptedToken is answered', async () => {
    const res = await post(VALIDATION_RAW, VALIDATION_SIGNATURE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ plainToken: PLAIN_TOKEN, encryptedToken: ENCRYPTED_TOKEN });
  });

  it('when the event vector is re-serialized (same JSON, other bytes), its signature is refused', async () => {
    const res = await post(JSON.stringify(JSON.parse(EVENT_RAW)), EVENT_SIGNATURE);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'zoom_webhook_signature_invalid' });
    expect(events).toEqual([]);
  });
});
