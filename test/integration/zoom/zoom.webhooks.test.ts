import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { createZoomSimulator, fixedClock, type ZoomSimulator } from '../../../src/sandbox/zoom';
import { createLogger } from '../../../src/shared/logger';
import { zoomWebhookRoutes } from '../../../src/zoom/zoom.webhooks.routes';
import type { Tx } from '../../../src/storage';
import type { ZoomWebhookEvent } from '../../../src/zoom/zoom.webhooks.schema';
import type { WebhookSource, WebhookTargets } from '../../../src/zoom/zoom.webhooks.service';

/** Monday 2030-01-07 09:00:00 UTC: the simulator's clock, and ours (the endpoint reads the simulator's). */
const T0 = Date.parse('2030-01-07T09:00:00Z');
const SCHOOL_WEBHOOK_ID = 'wh_school_a';

describe('Zoom webhooks delivered by the Zoom simulator', () => {
  let sim: ZoomSimulator;
  let server: http.Server;
  let base: string;
  let marketplaceSecret: string | undefined;
  let school: { connectionId: string; zoomAccountId: string; secret: string } | undefined;
  let handled: Set<string>;
  let deauthorized: Array<{ zoomAccountId: string; source: WebhookSource }>;
  let events: Array<{ event: ZoomWebhookEvent; source: WebhookSource }>;
  let failures: number;

  const targets: WebhookTargets = {
    marketplaceSecret: () => marketplaceSecret,
    schoolEndpoint: async (id) => (id === SCHOOL_WEBHOOK_ID ? school : undefined),
    handleOnce: async (delivery, handle) => {
      if (handled.has(delivery.key)) return false;
      await handle({} as Tx);
      handled.add(delivery.key);
      return true;
    },
    deauthorize: async (_tx, payload, source) => {
      deauthorized.push({ zoomAccountId: payload.account_id, source });
    },
    dispatch: async (_tx, event, source) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('database unavailable');
      }
      events.push({ event, source });
    },
  };

  beforeAll(async () => {
    sim = createZoomSimulator({ clock: fixedClock(T0), host: '127.0.0.1' });
    await sim.start();
    const app = express();
    app.use(zoomWebhookRoutes(targets, { logger: createLogger({ level: 'silent' }), now: () => sim.now() }));
    server = await new Promise<http.Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await sim.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    sim.reset();
    marketplaceSecret = undefined;
    school = undefined;
    handled = new Set();
    deauthorized = [];
    events = [];
    failures = 0;
  });

  it('passes the url validation handshake and handles app_deauthorized from our Marketplace app', async () => {
    const { account_id } = await sim.createAccount({ plan: 'pro' });
    const app = await sim.createApp({ kind: 'oauth', webhook_url: `${base}/zoom/webhook` });
    marketplaceSecret = app.webhook_secret_token;

    expect(await sim.validateWebhook(app.client_id)).toEqual({ ok: true, status: 200, reason: null });

    sim.issueTokens(app.client_id, account_id);
    await sim.deauthorize(app.client_id, account_id);
    expect(deauthorized).toEqual([{ zoomAccountId: account_id, source: { kind: 'marketplace' } }]);
    expect(sim.webhookDeliveries({ event: 'app_deauthorized' }).map((d) => [d.status, d.ok])).toEqual([
      [200, true],
    ]);
  });

  it("takes a school's own S2S events with its secret; a failed handler gets Zoom's retry, handled once", async () => {
    const { account_id, admin_email } = await sim.createAccount({ plan: 'pro' });
    const app = await sim.createApp({
      kind: 's2s',
      account_id,
      webhook_url: `${base}/zoom/webhook/${SCHOOL_WEBHOOK_ID}`,
      events: ['meeting.created'],
    });
    school = { connectionId: 'conn-a', zoomAccountId: account_id, secret: app.webhook_secret_token };
    expect((await sim.validateWebhook(app.client_id)).ok).toBe(true);

    failures = 1;
    const token = sim.issueTokens(app.client_id, account_id).access_token;
    const created = await request(sim.baseUrl)
      .post(`/v2/users/${encodeURIComponent(admin_email)}/meetings`)
      .set('Authorization', `Bearer ${token}`)
      .send({ topic: 'Chemistry office hours', type: 2 });
    expect(created.status).toBe(201);
    await sim.flushWebhooks();
    expect(sim.webhookDeliveries({ event: 'meeting.created' }).map((d) => d.status)).toEqual([500]);
    expect(events).toEqual([]);

    await sim.advanceClock(5 * 60);
    const attempts = sim.webhookDeliveries({ event: 'meeting.created' });
    expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect(attempts[0]?.headers['x-zm-request-timestamp']).not.toBe(
      attempts[1]?.headers['x-zm-request-timestamp'],
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.source).toEqual({ kind: 'school', connectionId: 'conn-a' });
    expect(events[0]?.event).toMatchObject({
      event: 'meeting.created',
      payload: { account_id, object: { id: created.body.id, topic: 'Chemistry office hours' } },
    });
    expect(handled.size).toBe(1);
  });

  it('an app signing with another secret is refused, and Zoom reports the endpoint as failing', async () => {
    const app = await sim.createApp({ kind: 'oauth', webhook_url: `${base}/zoom/webhook` });
    marketplaceSecret = 'a-different-secret-token';
    expect(await sim.validateWebhook(app.client_id)).toEqual({ ok: false, status: 401, reason: 'HTTP 401' });
  });
});
