import crypto from 'node:crypto';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/** The webhook endpoints as mounted in the real app, over the real database. */
describe('Zoom webhooks in the app', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness();
  });
  afterAll(() => h.close());

  const deliver = (path: string, secret: string, body: unknown, timestamp?: string) =>
    h.deliver(path, secret, body, timestamp);

  it('app_deauthorized deletes the account’s tokens and marks it disconnected, once even if repeated', async () => {
    expect((await h.connectOAuth()).status).toBe(200);
    const event = {
      event: 'app_deauthorized',
      event_ts: Date.now(),
      payload: {
        account_id: h.account.account_id,
        user_id: 'u1',
        client_id: h.app_.client_id,
        deauthorization_time: new Date().toISOString(),
      },
    };
    const first = await deliver('/zoom/webhook', h.app_.webhook_secret_token, event);
    expect(first.status).toBe(200);
    expect(await h.connectionRow()).toMatchObject({
      status: 'disconnected',
      last_error: 'app_deauthorized',
      access_token_sealed: null,
      refresh_token_sealed: null,
    });
    const again = await deliver(
      '/zoom/webhook',
      h.app_.webhook_secret_token,
      event,
      String(Math.floor(Date.now() / 1000) + 1),
    );
    expect(again.status).toBe(200);
    const rows = await queryRows<{ count: string | number }>(
      h.database.db,
      sql`select count(*) as count from zoom_webhook_deliveries`,
    );
    expect(Number(rows[0]?.count)).toBe(1);
  });

  it('refuses a forged signature and a stale timestamp, changing nothing', async () => {
    expect((await h.connectOAuth()).status).toBe(200);
    const event = {
      event: 'app_deauthorized',
      event_ts: Date.now(),
      payload: { account_id: h.account.account_id },
    };
    expect((await deliver('/zoom/webhook', 'not-the-secret', event)).status).toBe(401);
    const stale = String(Math.floor(Date.now() / 1000) - 6 * 60);
    expect((await deliver('/zoom/webhook', h.app_.webhook_secret_token, event, stale)).status).toBe(401);
    expect(await h.connectionRow()).toMatchObject({ status: 'connected' });
  });

  it('a school on its own S2S app validates its own webhook URL with its own secret', async () => {
    const other = await h.addLms({ profile: 'canvas', school: 'Own app school' });
    const account = await h.zoom.createAccount({ plan: 'pro' });
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: account.account_id });
    const ltik = await h.adminLtik(other);
    await request(h.app)
      .post('/lti/zoom/s2s')
      .type('form')
      .send({
        ltik,
        csrf: h.formToken(ltik),
        accountId: account.account_id,
        clientId: s2s.client_id,
        clientSecret: s2s.client_secret,
        webhookSecretToken: 'own-app-webhook-secret',
      });
    const row = (await h.connectionRow('Own app school')) as { webhook_id: string };
    const plainToken = crypto.randomBytes(8).toString('hex');
    const validation = { event: 'endpoint.url_validation', event_ts: Date.now(), payload: { plainToken } };
    const answer = await deliver(`/zoom/webhook/${row.webhook_id}`, 'own-app-webhook-secret', validation);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      plainToken,
      encryptedToken: crypto.createHmac('sha256', 'own-app-webhook-secret').update(plainToken).digest('hex'),
    });
    expect(
      (await deliver(`/zoom/webhook/${row.webhook_id}`, h.app_.webhook_secret_token, validation)).status,
    ).toBe(401);
    expect((await deliver('/zoom/webhook/unknown-id', 'own-app-webhook-secret', validation)).status).toBe(
      404,
    );
  });
});
