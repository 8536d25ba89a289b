import crypto from 'node:crypto';
import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, HookReceiver, startSimulator, T0, type Tenant, tenant } from './zoom-sim.helpers';

describe('Zoom simulator: webhooks', () => {
  let sim: ZoomSimulator;
  let hooks: HookReceiver;
  let url: string;
  let t: Tenant;

  beforeAll(async () => {
    // Long enough that a first delivery on a loaded machine (a new connection, cold code) is not
    // taken for a receiver that did not answer; the timeout test below waits longer than this.
    sim = await startSimulator({ webhooks: { timeoutMs: 1_500 } });
    hooks = new HookReceiver();
    url = await hooks.start();
  });
  afterAll(async () => {
    await sim.stop();
    await hooks.stop();
  });
  beforeEach(async () => {
    sim.reset();
    hooks.received = [];
    hooks.status = 200;
    hooks.delayMs = 0;
    hooks.answer = null;
    t = await tenant(sim, { plan: 'pro', managed_domain: 'school.edu' }, { webhook_url: url });
  });

  const sign = (secret: string, timestamp: string, raw: string) =>
    `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${raw}`).digest('hex')}`;

  it('signs each delivery: x-zm-signature = v0=HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")', async () => {
    const m = await api(sim, t.token, 'post', '/users/me/meetings', { topic: 'Signed', type: 2 });
    await sim.flushWebhooks();
    const [hook] = hooks.events('meeting.created');
    expect(hook).toBeDefined();
    const timestamp = hook?.headers['x-zm-request-timestamp'] as string;
    expect(timestamp).toBe(String(T0 / 1000));
    expect(hook?.headers['x-zm-signature']).toBe(sign(t.webhook_secret_token, timestamp, hook?.raw ?? ''));
    expect(hook?.headers['content-type']).toContain('application/json');
    expect(hook?.body).toMatchObject({
      event: 'meeting.created',
      event_ts: T0,
      payload: { account_id: t.account_id, object: { id: m.body.id, topic: 'Signed' } },
    });
  });

  it('can stamp deliveries in milliseconds instead', async () => {
    const ms = await startSimulator({ webhooks: { timestampUnit: 'milliseconds' } });
    const t2 = await tenant(ms, { plan: 'pro' }, { webhook_url: url });
    await api(ms, t2.token, 'post', '/users/me/meetings', { type: 2 });
    await ms.flushWebhooks();
    const hook = hooks.received.at(-1);
    expect(hook?.headers['x-zm-request-timestamp']).toBe(String(T0));
    expect(hook?.headers['x-zm-signature']).toBe(sign(t2.webhook_secret_token, String(T0), hook?.raw ?? ''));
    await ms.stop();
  });

  it('runs the endpoint.url_validation handshake and reports the result', async () => {
    hooks.answer = (hook) => {
      const plainToken = (hook.body.payload as { plainToken: string }).plainToken;
      const encryptedToken = crypto
        .createHmac('sha256', t.webhook_secret_token)
        .update(plainToken)
        .digest('hex');
      return { status: 200, body: JSON.stringify({ plainToken, encryptedToken }) };
    };
    const ok = await request(sim.app).post(`/_sim/apps/${t.client_id}/webhook-validation`);
    expect(ok.body).toEqual({ ok: true, status: 200, reason: null });
    expect(hooks.received[0]?.body.event).toBe('endpoint.url_validation');
    hooks.answer = (hook) => ({
      status: 200,
      body: JSON.stringify({
        plainToken: (hook.body.payload as { plainToken: string }).plainToken,
        encryptedToken: 'x',
      }),
    });
    const bad = await sim.validateWebhook(t.client_id);
    expect(bad.ok).toBe(false);
    expect(bad.reason).toContain('encryptedToken');
  });

  it('retries a failed delivery after 5, 20 and 60 minutes of simulated time, then gives up', async () => {
    hooks.status = 500;
    await api(sim, t.token, 'post', '/users/me/meetings', { type: 2 });
    await sim.flushWebhooks();
    const attempts = () => hooks.events('meeting.created').length;
    expect(attempts()).toBe(1);
    await sim.advanceClock(4 * 60 + 59);
    expect(attempts()).toBe(1);
    await sim.advanceClock(1);
    expect(attempts()).toBe(2);
    await sim.advanceClock(19 * 60);
    expect(attempts()).toBe(2);
    await sim.advanceClock(60);
    expect(attempts()).toBe(3);
    await sim.advanceClock(60 * 60);
    expect(attempts()).toBe(4);
    await sim.advanceClock(24 * 3600);
    expect(attempts()).toBe(4);
    const stamps = hooks
      .events('meeting.created')
      .map((h) => Number(h.headers['x-zm-request-timestamp']) - T0 / 1000);
    expect(stamps).toEqual([0, 300, 1500, 5100]);
    expect(sim.webhookDeliveries({ event: 'meeting.created' }).map((d) => d.status)).toEqual([
      500, 500, 500, 500,
    ]);
  });

  it('counts only 200 or 204 within the timeout as delivered (one clock jump runs every due retry)', async () => {
    hooks.delayMs = 2_500;
    await api(sim, t.token, 'post', '/users/me/meetings', { type: 2 });
    await sim.flushWebhooks();
    const [first] = sim.webhookDeliveries({ event: 'meeting.created' });
    expect(first).toMatchObject({ ok: false, status: null });
    hooks.delayMs = 0;
    hooks.status = 202;
    await sim.advanceClock(5 * 60);
    hooks.status = 204;
    await sim.advanceClock(3 * 3600);
    expect(sim.webhookDeliveries({ event: 'meeting.created' }).map((d) => d.ok)).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('emits the events the tool uses, to apps installed on (or belonging to) that account only', async () => {
    const stranger = await tenant(sim, { plan: 'pro' }, { webhook_url: `${url}?stranger` });
    const s2s = await sim.createApp({
      kind: 's2s',
      account_id: t.account_id,
      webhook_url: `${url}?s2s`,
      events: ['meeting.deleted'],
    });
    const user = await api(sim, t.token, 'post', '/users', {
      action: 'create',
      user_info: { email: 'new@school.edu', type: 1 },
    });
    sim.activateUser(user.body.id);
    const m = await api(sim, t.token, 'post', '/users/me/meetings', {
      type: 2,
      settings: { auto_recording: 'cloud' },
    });
    await api(sim, t.token, 'patch', `/meetings/${m.body.id}`, { topic: 'Renamed' });
    sim.endMeeting(m.body.id, { participants: 2 });
    const other = await api(sim, t.token, 'post', '/users/me/meetings', { type: 2 });
    await api(sim, t.token, 'delete', `/meetings/${other.body.id}`);
    await sim.flushWebhooks();
    const mine = sim.webhookDeliveries({ client_id: t.client_id }).map((d) => d.event);
    expect(mine).toEqual([
      'user.created',
      'user.activated',
      'meeting.created',
      'meeting.updated',
      'meeting.started',
      'meeting.participant_joined',
      'meeting.participant_joined',
      'meeting.participant_left',
      'meeting.participant_left',
      'meeting.ended',
      'recording.completed',
      'meeting.created',
      'meeting.deleted',
    ]);
    expect(sim.webhookDeliveries({ client_id: stranger.client_id })).toEqual([]);
    expect(sim.webhookDeliveries({ client_id: s2s.client_id }).map((d) => d.event)).toEqual([
      'meeting.deleted',
    ]);
    const updated = hooks.events('meeting.updated')[0]?.body.payload as {
      object: Record<string, unknown>;
      old_object: Record<string, unknown>;
    };
    expect(updated.object).toMatchObject({ id: m.body.id, topic: 'Renamed' });
    expect(updated.old_object).toMatchObject({ id: m.body.id, topic: 'Zoom meeting' });
    const completed = hooks.events('recording.completed')[0]?.body;
    expect(completed?.download_token).toEqual(expect.any(String));
    expect(
      (completed?.payload as { object: { recording_files: unknown[] } }).object.recording_files,
    ).toHaveLength(2);
  });

  it('sends app_deauthorized {account_id, user_id, client_id, deauthorization_time} and kills the tokens', async () => {
    const res = await request(sim.app)
      .post(`/_sim/apps/${t.client_id}/deauthorize`)
      .send({ account_id: t.account_id });
    expect(res.status).toBe(200);
    const [hook] = hooks.events('app_deauthorized');
    expect(hook?.body.payload).toMatchObject({
      account_id: t.account_id,
      user_id: sim.users(t.account_id)[0]?.id,
      client_id: t.client_id,
      deauthorization_time: new Date(T0).toISOString(),
    });
    expect((await api(sim, t.token, 'get', '/users/me')).status).toBe(401);
  });
});
