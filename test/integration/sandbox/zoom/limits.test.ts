import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, startSimulator, T0, tenant } from './zoom-sim.helpers';

describe('Zoom simulator: rate limits', () => {
  let sim: ZoomSimulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => sim.reset());

  it('answers 429 with Zoom’s headers past the per-second limit of the plan and category', async () => {
    const t = await tenant(sim, { plan: 'free' });
    for (let i = 0; i < 4; i += 1) expect((await api(sim, t.token, 'get', '/users/me')).status).toBe(200);
    const res = await api(sim, t.token, 'get', '/users/me');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      code: 429,
      message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
    });
    expect(res.headers).toMatchObject({
      'retry-after': '1',
      'x-ratelimit-category': 'Light',
      'x-ratelimit-type': 'QPS',
      'x-ratelimit-limit': '4',
      'x-ratelimit-remaining': '0',
    });
    await sim.advanceClock(1);
    expect((await api(sim, t.token, 'get', '/users/me')).status).toBe(200);
  });

  it('shares the limit between every app of the account, and categories are counted apart', async () => {
    const t = await tenant(sim, { plan: 'free' });
    const second = await sim.createApp({ kind: 'oauth' });
    const t2 = sim.issueTokens(second.client_id, t.account_id).access_token;
    for (const token of [t.token, t2, t.token, t2])
      expect((await api(sim, token, 'get', '/users/me')).status).toBe(200);
    expect((await api(sim, t2, 'get', '/users/me')).status).toBe(429);
    const create = await api(sim, t.token, 'post', '/users/me/meetings', { type: 2 });
    expect(create.status).toBe(201);
    expect((await api(sim, t.token, 'post', '/users/me/meetings', { type: 2 })).status).toBe(201);
    const third = await api(sim, t.token, 'post', '/users/me/meetings', { type: 2 });
    expect(third.status).toBe(429);
    expect(third.headers['x-ratelimit-category']).toBe('Medium');
  });

  it('can answer Retry-After as an HTTP date and say Per-second-limit', async () => {
    const dated = await startSimulator({
      retryAfterFormat: 'http-date',
      limits: { perSecondTypeHeader: 'Per-second-limit' },
    });
    const t = await tenant(dated, { plan: 'free' });
    let res = await api(dated, t.token, 'get', '/users/me');
    for (let i = 0; i < 4; i += 1) res = await api(dated, t.token, 'get', '/users/me');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe(new Date(T0 + 1000).toUTCString());
    expect(res.headers['x-ratelimit-type']).toBe('Per-second-limit');
    await dated.stop();
  });

  it('caps free plans per day (scaled here) and announces the remaining budget', async () => {
    const t = await tenant(sim, { plan: 'free' });
    sim.setLimits(t.account_id, { scale: 0.001 }); // Light: 6 a day, 1 a second
    const remaining: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const ok = await api(sim, t.token, 'get', '/users/me');
      expect(ok.status).toBe(200);
      remaining.push(ok.headers['x-ratelimit-remaining'] as string);
      await sim.advanceClock(1);
    }
    expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
    const res = await api(sim, t.token, 'get', '/users/me');
    expect(res.status).toBe(429);
    expect(res.headers['x-ratelimit-type']).toBe('Daily-limit');
    expect(res.headers['x-ratelimit-limit']).toBe('6');
    expect(Number(res.headers['retry-after'])).toBe(
      Math.ceil((Date.parse('2030-01-08T00:00:00Z') - sim.now()) / 1000),
    );
    await sim.advanceClock(15 * 3600);
    const fresh = sim.issueTokens(t.client_id, t.account_id).access_token;
    expect((await api(sim, fresh, 'get', '/users/me')).status).toBe(200);
  });

  it('shares a daily cap between heavy requests on paid plans', async () => {
    const t = await tenant(sim, { plan: 'pro' });
    sim.setLimits(t.account_id, { scale: 0.0001 }); // heavy + resource-intensive: 3 a day
    const m = await api(sim, t.token, 'post', '/users/me/meetings', { type: 2 });
    sim.endMeeting(m.body.id);
    for (let i = 0; i < 3; i += 1) {
      expect((await api(sim, t.token, 'get', `/report/meetings/${m.body.id}/participants`)).status).toBe(200);
      await sim.advanceClock(1);
    }
    const res = await api(sim, t.token, 'get', `/report/meetings/${m.body.id}/participants`);
    expect(res.status).toBe(429);
    expect(res.headers).toMatchObject({ 'x-ratelimit-category': 'Heavy', 'x-ratelimit-type': 'Daily-limit' });
    expect((await api(sim, t.token, 'get', '/users/me')).status).toBe(200);
  });

  it('limits each user to 100 meeting create/update requests a day, reset at 00:00 UTC', async () => {
    const t = await tenant(sim, { plan: 'business', managed_domain: 'school.edu' });
    const other = (
      await api(sim, t.token, 'post', '/users', {
        action: 'autoCreate',
        user_info: { email: 'o@school.edu', type: 2 },
      })
    ).body;
    const first = await api(sim, t.token, 'post', '/users/me/meetings', { type: 2 });
    for (let i = 1; i < 100; i += 1) {
      const res =
        i % 2 === 0
          ? await api(sim, t.token, 'post', '/users/me/meetings', { type: 2 })
          : await api(sim, t.token, 'patch', `/meetings/${first.body.id}`, { topic: `v${i}` });
      expect(res.status).toBeLessThan(300);
      if (i % 50 === 0) await sim.advanceClock(1);
    }
    const refused = await api(sim, t.token, 'patch', `/meetings/${first.body.id}`, { topic: 'one too many' });
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(
      /daily rate limit \(100\) of Meeting Create\/Update API requests .* GMT 00:00:00/,
    );
    expect(refused.headers).toMatchObject({
      'x-ratelimit-type': 'Daily-limit',
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '0',
    });
    expect(Number(refused.headers['retry-after'])).toBe(
      Math.ceil((Date.parse('2030-01-08T00:00:00Z') - sim.now()) / 1000),
    );
    expect((await api(sim, t.token, 'post', `/users/${other.id}/meetings`, { type: 2 })).status).toBe(201);
    expect((await api(sim, t.token, 'get', `/meetings/${first.body.id}`)).status).toBe(200);
    await sim.advanceClock((Date.parse('2030-01-08T00:00:00Z') - sim.now()) / 1000);
    const token = sim.issueTokens(t.client_id, t.account_id).access_token;
    expect((await api(sim, token, 'post', '/users/me/meetings', { type: 2 })).status).toBe(201);
  });

  it('can be disabled per account through the control endpoint', async () => {
    const t = await tenant(sim, { plan: 'free' });
    const set = await request(sim.app).post(`/_sim/accounts/${t.account_id}/limits`).send({ enabled: false });
    expect(set.body.limits).toMatchObject({ enabled: false });
    for (let i = 0; i < 10; i += 1) expect((await api(sim, t.token, 'get', '/users/me')).status).toBe(200);
  });
});
