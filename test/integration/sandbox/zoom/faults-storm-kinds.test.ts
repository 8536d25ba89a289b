import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { basic, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

/** The fault kinds the fault storm needs beyond the basic ones: late answers and refresh-only revocation. */
describe('Zoom simulator: late answers and revoked refresh tokens', () => {
  let sim: ZoomSimulator;
  let t: Tenant;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(async () => {
    sim.reset();
    t = await tenant(sim, { plan: 'pro' });
  });

  const CREATE = '^/v2/users/[^/]+/meetings$';
  const call = (method: string, path: string, body?: object, timeoutMs = 3000) =>
    fetch(`${sim.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  const refresh = (refreshToken: string | undefined) =>
    request(sim.app)
      .post('/oauth/token')
      .set('Authorization', basic(t.client_id, t.client_secret))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: refreshToken ?? '' });

  it('commit_then_delay makes the change at once and sends its answer only after ms', async () => {
    sim.injectFault({
      match: { method: 'POST', path: CREATE },
      kind: 'commit_then_delay',
      ms: 400,
      count: 1,
    });
    const started = Date.now();
    const answer = call('POST', '/v2/users/me/meetings', { topic: 'Late answer', type: 2 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Made before anyone was told.
    expect(sim.meetings(t.account_id).map((m) => m.topic)).toEqual(['Late answer']);
    const res = await answer;
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { topic: string }).topic).toBe('Late answer');
    expect(sim.requests({ path: '/v2/users/me/meetings' }).map((r) => r.status)).toEqual([201]);
    // count: 1 — the next create is answered at once.
    const next = Date.now();
    expect((await call('POST', '/v2/users/me/meetings', { topic: 'On time', type: 2 })).status).toBe(201);
    expect(Date.now() - next).toBeLessThan(380);
  });

  it('commit_then_delay: a client that gave up first gets nothing, the change stays made, and the log says no answer', async () => {
    sim.injectFault({
      match: { method: 'POST', path: CREATE },
      kind: 'commit_then_delay',
      ms: 600,
      count: 1,
    });
    await expect(
      call('POST', '/v2/users/me/meetings', { topic: 'Given up', type: 2 }, 150),
    ).rejects.toThrow();
    expect(sim.meetings(t.account_id).map((m) => m.topic)).toEqual(['Given up']);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(sim.requests({ path: '/v2/users/me/meetings' }).map((r) => r.status)).toEqual([0]);
  });

  it('revoke_tokens with tokens: refresh leaves the access token working, and the next refresh answers 4741', async () => {
    sim.injectFault({
      match: { account_id: t.account_id },
      kind: 'revoke_tokens',
      tokens: 'refresh',
      count: 1,
    });
    expect((await call('GET', '/v2/users/me')).status).toBe(200);
    expect((await call('GET', '/v2/users/me')).status).toBe(200);
    const dead = await refresh(t.refresh_token);
    expect(dead.status).toBe(400);
    expect(dead.body).toMatchObject({ error: 'invalid_grant' });
    expect(sim.requests({ path: '/oauth/token' }).map((r) => r.error_code)).toEqual([4741]);
  });

  it('revoke_tokens with tokens: refresh only touches the matched account', async () => {
    const other = await tenant(sim, { plan: 'pro' });
    sim.injectFault({
      match: { account_id: t.account_id },
      kind: 'revoke_tokens',
      tokens: 'refresh',
      count: 1,
    });
    expect((await call('GET', '/v2/users/me')).status).toBe(200);
    const still = await request(sim.app)
      .post('/oauth/token')
      .set('Authorization', basic(other.client_id, other.client_secret))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: other.refresh_token ?? '' });
    expect(still.status).toBe(200);
  });

  it('the new kinds are accepted through /_sim/faults, and a bad token scope is refused', async () => {
    const late = await request(sim.app)
      .post('/_sim/faults')
      .send({ match: { path: CREATE }, kind: 'commit_then_delay', ms: 50, count: 1 });
    expect(late.status).toBe(201);
    const refreshOnly = await request(sim.app)
      .post('/_sim/faults')
      .send({ kind: 'revoke_tokens', tokens: 'refresh', count: 1 });
    expect(refreshOnly.status).toBe(201);
    const bad = await request(sim.app).post('/_sim/faults').send({ kind: 'revoke_tokens', tokens: 'some' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: 'invalid_request',
      issues: [expect.objectContaining({ path: 'tokens' })],
    });
  });
});
