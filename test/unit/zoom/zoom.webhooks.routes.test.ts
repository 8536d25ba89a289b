import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { createLogger } from '../../../src/shared/logger';
import { zoomWebhookRoutes } from '../../../src/zoom/zoom.webhooks.routes';
import {
  deauthorized,
  FakeTargets,
  MARKETPLACE_SECRET,
  meetingUpdated,
  MINUTE,
  SCHOOL,
  SCHOOL_SECRET,
  sha256,
  sign,
  T0,
} from './zoom.webhooks.fakes';

describe('Zoom webhook endpoints', () => {
  let server: http.Server;
  let base: string;
  let targets: FakeTargets;
  let now: number;
  let logLines: string[];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        logLines.push(String(chunk));
        callback();
      },
    });
    const app = express();
    app.use(
      zoomWebhookRoutes(
        {
          marketplaceSecret: () => targets.marketplaceSecret(),
          schoolEndpoint: (id) => targets.schoolEndpoint(id),
          handleOnce: (delivery, handle) => targets.handleOnce(delivery, handle),
          deauthorize: (tx, payload, source) => targets.deauthorize(tx, payload, source),
          dispatch: (tx, event, source) => targets.dispatch(tx, event, source),
        },
        { logger: createLogger({ level: 'info', destination }), now: () => now },
      ),
    );
    app.use(express.json());
    server = await new Promise<http.Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    targets = new FakeTargets();
    now = T0;
    logLines = [];
  });

  interface DeliverOptions {
    secret?: string;
    timestamp?: string | null;
    signature?: string | null;
    path?: string;
    contentType?: string;
  }

  /** Posts `raw` as Zoom would: signed with `secret` at `timestamp` (default: now, in ms). */
  function deliver(raw: string, options: DeliverOptions = {}) {
    const timestamp = options.timestamp === undefined ? String(now) : options.timestamp;
    const call = request(base)
      .post(options.path ?? '/zoom/webhook')
      .set('content-type', options.contentType ?? 'application/json; charset=utf-8');
    if (timestamp !== null) call.set('x-zm-request-timestamp', timestamp);
    const signature =
      options.signature === undefined
        ? sign(options.secret ?? MARKETPLACE_SECRET, timestamp ?? '', raw)
        : options.signature;
    if (signature !== null) call.set('x-zm-signature', signature);
    return call.send(raw);
  }

  const schoolPath = `/zoom/webhook/${SCHOOL.webhookId}`;

  it('when a correctly signed event arrives, it is handed over once and recorded as handled', async () => {
    const raw = meetingUpdated();
    const res = await deliver(raw);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(targets.events).toHaveLength(1);
    expect(targets.events[0]?.source).toEqual({ kind: 'marketplace' });
    expect(targets.events[0]?.event).toMatchObject({
      event: 'meeting.updated',
      event_ts: T0,
      payload: { account_id: 'acct-1', operator: 'a@school.edu', object: { topic: 'Biology 101' } },
    });
    expect(targets.calls).toEqual(['claim', 'dispatch']);
    expect([...targets.handled]).toEqual([
      [sha256(raw), { event: 'meeting.updated', zoomAccountId: 'acct-1' }],
    ]);
  });

  it.each([
    ['signed with another secret', () => deliver(meetingUpdated(), { secret: 'not-the-secret' })],
    [
      'with a tampered body',
      () =>
        deliver(meetingUpdated('acct-2'), {
          signature: sign(MARKETPLACE_SECRET, String(now), meetingUpdated()),
        }),
    ],
    ['without x-zm-signature', () => deliver(meetingUpdated(), { signature: null })],
    ['without x-zm-request-timestamp', () => deliver(meetingUpdated(), { timestamp: null })],
    ['with a signature that is not v0=hex', () => deliver(meetingUpdated(), { signature: 'v1=abc' })],
    [
      'with a timestamp other than the one signed',
      () =>
        deliver(meetingUpdated(), {
          timestamp: String(now + 1),
          signature: sign(MARKETPLACE_SECRET, String(now), meetingUpdated()),
        }),
    ],
  ])('when an event arrives %s, it is refused with 401 and nothing is touched', async (_case, send) => {
    const res = await send();
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'zoom_webhook_signature_invalid' });
    expect(targets.calls).toEqual([]);
  });

  it.each([
    ['6 minutes old', T0 - 6 * MINUTE],
    ['6 minutes in the future', T0 + 6 * MINUTE],
    ['6 minutes old, in seconds', (T0 - 6 * MINUTE) / 1000],
  ])('when a correctly signed event is stamped %s, it is refused as stale', async (_case, stamp) => {
    const res = await deliver(meetingUpdated(), { timestamp: String(stamp) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'zoom_webhook_timestamp_stale' });
    expect(targets.calls).toEqual([]);
  });

  it('accepts timestamps in seconds and up to 5 minutes of clock skew either way', async () => {
    expect((await deliver(meetingUpdated('a'), { timestamp: String(T0 / 1000) })).status).toBe(200);
    expect((await deliver(meetingUpdated('b'), { timestamp: String(T0 - 5 * MINUTE) })).status).toBe(200);
    expect((await deliver(meetingUpdated('c'), { timestamp: String((T0 + 5 * MINUTE) / 1000) })).status).toBe(
      200,
    );
    expect(targets.events.map((e) => e.event.payload.account_id)).toEqual(['a', 'b', 'c']);
  });

  it('when Zoom resends a delivery (same body, new timestamp and signature), it is handled once', async () => {
    const raw = meetingUpdated();
    expect((await deliver(raw)).body).toEqual({ received: true });
    now = T0 + 5 * MINUTE;
    const retry = await deliver(raw, { timestamp: String(Math.floor(now / 1000)) });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: true, duplicate: true });
    expect(targets.events).toHaveLength(1);
    expect(targets.calls).toEqual(['claim', 'dispatch', 'claim']);
  });

  it('answers endpoint.url_validation with HMAC-SHA256(secret, plainToken), every time, touching nothing', async () => {
    const raw = JSON.stringify({
      payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
      event_ts: T0,
      event: 'endpoint.url_validation',
    });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const res = await deliver(raw);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
        encryptedToken: crypto
          .createHmac('sha256', MARKETPLACE_SECRET)
          .update('qgg8vlvZRS6UYooatFL8Aw')
          .digest('hex'),
      });
    }
    expect(targets.calls).toEqual([]);
    const forged = await deliver(raw, { secret: 'guess' });
    expect(forged.status).toBe(401);
    expect(forged.body).not.toHaveProperty('encryptedToken');
  });

  it("a school's endpoint verifies with that school's secret, and the two secrets are not interchangeable", async () => {
    const raw = meetingUpdated(SCHOOL.zoomAccountId);
    const ok = await deliver(raw, { path: schoolPath, secret: SCHOOL_SECRET });
    expect(ok.status).toBe(200);
    expect(targets.events.map((e) => e.source)).toEqual([
      { kind: 'school', connectionId: SCHOOL.connectionId },
    ]);

    const marketplaceAtSchool = await deliver(meetingUpdated(SCHOOL.zoomAccountId, 'x'), {
      path: schoolPath,
      secret: MARKETPLACE_SECRET,
    });
    const schoolAtMarketplace = await deliver(meetingUpdated(SCHOOL.zoomAccountId, 'y'), {
      secret: SCHOOL_SECRET,
    });
    expect([marketplaceAtSchool.status, schoolAtMarketplace.status]).toEqual([401, 401]);
    expect(targets.events).toHaveLength(1);

    const plainToken = 'school-token';
    const validation = await deliver(
      JSON.stringify({ event: 'endpoint.url_validation', event_ts: T0, payload: { plainToken } }),
      { path: schoolPath, secret: SCHOOL_SECRET },
    );
    expect(validation.body.encryptedToken).toBe(
      crypto.createHmac('sha256', SCHOOL_SECRET).update(plainToken).digest('hex'),
    );
  });

  it("when a school's endpoint receives an event naming another account, it is refused with 403", async () => {
    const res = await deliver(deauthorized('acct-other-school'), { path: schoolPath, secret: SCHOOL_SECRET });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'zoom_webhook_account_mismatch' });
    expect(targets.calls).toEqual([]);
  });

  it('an unknown school webhook id is 404 whether or not the request is signed, saying nothing more', async () => {
    const signed = await deliver(meetingUpdated(), {
      path: '/zoom/webhook/wh_unknown',
      secret: SCHOOL_SECRET,
    });
    const unsigned = await deliver(meetingUpdated(), { path: '/zoom/webhook/wh_unknown', signature: null });
    for (const res of [signed, unsigned]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'not_found' });
    }
    expect(targets.calls).toEqual([]);
  });

  it('app_deauthorized deauthorizes the account for the endpoint it came to', async () => {
    expect((await deliver(deauthorized('acct-9'))).status).toBe(200);
    expect(
      (await deliver(deauthorized(SCHOOL.zoomAccountId), { path: schoolPath, secret: SCHOOL_SECRET })).status,
    ).toBe(200);
    expect(targets.deauthorized).toEqual([
      { zoomAccountId: 'acct-9', source: { kind: 'marketplace' } },
      { zoomAccountId: SCHOOL.zoomAccountId, source: { kind: 'school', connectionId: SCHOOL.connectionId } },
    ]);
    expect(targets.events).toEqual([]);
    expect([...targets.handled.values()].map((d) => d.event)).toEqual([
      'app_deauthorized',
      'app_deauthorized',
    ]);
  });

  it.each([
    ['an event handler', meetingUpdated()],
    ['deauthorize', deauthorized('acct-9')],
  ])('when %s fails, Zoom gets 500, nothing is recorded, and the retry is handled', async (_case, raw) => {
    targets.failures = 1;
    const first = await deliver(raw);
    expect(first.status).toBe(500);
    expect(first.body).toEqual({ error: 'zoom_webhook_handler_failed' });
    expect(targets.handled.size).toBe(0);

    now = T0 + 5 * MINUTE;
    const retry = await deliver(raw);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: true });
    expect(targets.events.length + targets.deauthorized.length).toBe(1);
    expect([...targets.handled.keys()]).toEqual([sha256(raw)]);
  });

  it.each([
    ['malformed JSON', '{"event": "meeting.updated", '],
    ['JSON that is not an envelope', JSON.stringify({ event: 'meeting.updated', payload: {} })],
    [
      'a payload that is not an object',
      JSON.stringify({ event: 'meeting.updated', event_ts: T0, payload: 'x' }),
    ],
    [
      'app_deauthorized without an account id',
      JSON.stringify({ event: 'app_deauthorized', event_ts: T0, payload: {} }),
    ],
    [
      'url_validation without a plainToken',
      JSON.stringify({ event: 'endpoint.url_validation', event_ts: T0, payload: {} }),
    ],
  ])('when a correctly signed body is %s, it is refused with 400', async (_case, raw) => {
    const res = await deliver(raw);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'zoom_webhook_body_invalid' });
    expect(targets.calls).toEqual([]);
  });

  it('refuses a body that is not JSON (415) or larger than 1 MB (413)', async () => {
    const notJson = await deliver('event=meeting.updated', {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(notJson.status).toBe(415);
    expect(notJson.body).toEqual({ error: 'zoom_webhook_not_json' });
    const huge = JSON.stringify({
      event: 'meeting.updated',
      event_ts: T0,
      payload: { pad: 'x'.repeat(1_100_000) },
    });
    const tooLarge = await deliver(huge);
    expect(tooLarge.status).toBe(413);
    expect(targets.calls).toEqual([]);
  });

  it('answers 503 on the Marketplace endpoint while its secret is not configured', async () => {
    targets.marketplace = undefined;
    const res = await deliver(meetingUpdated());
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'zoom_webhook_not_configured' });
    expect(targets.calls).toEqual([]);
  });

  it('logs event, account and outcome, never the body, secret or signature', async () => {
    const raw = meetingUpdated('acct-logged', 'Secret Topic 42');
    const signature = sign(MARKETPLACE_SECRET, String(now), raw);
    await deliver(raw, { signature });
    await deliver(raw, { signature: sign('wrong', String(now), raw) });
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual([
      expect.objectContaining({ event: 'meeting.updated', zoomAccountId: 'acct-logged', outcome: 'handled' }),
      expect.objectContaining({
        endpoint: 'marketplace',
        outcome: 'refused',
        reason: 'zoom_webhook_signature_invalid',
      }),
    ]);
    const text = logLines.join('');
    for (const secret of [MARKETPLACE_SECRET, signature.slice(3), 'Secret Topic 42', 'a@school.edu']) {
      expect(text).not.toContain(secret);
    }
  });
});
