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
  const call = (method: string, path: string, body?: object, signal = AbortSignal.timeout(10_000)) =>
    fetch(`${sim.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  const refresh = (refreshToken: string | undefined) =>
    request(sim.app)
      .post('/oauth/token')
      .set('Authorization', basic(t.client_id, t.client_secret))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: refreshToken ?? '' });

  /** Checks every 20 ms until `check` holds (a loaded machine may take a while to deliver a request). */
  const eventually = async (check: () => boolean, withinMs: number) => {
    const until = Date.now() + withinMs;
    while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    return check();
  };
  const topics = () => sim.meetings(t.account_id).map((m) => m.topic);

  it('commit_then_delay makes the change at once and sends its answer only after ms', async () => {
    sim.injectFault({
      match: { method: 'POST', path: CREATE },
      kind: 'commit_then_delay',
      ms: 1500,
      count: 1,
    });
    const started = Date.now();
    let answered = false;
    const answer = call('POST', '/v2/users/me/meetings', { topic: 'Late answer', type: 2 }).finally(() => {
      answered = true;
    });
    // Made before anyone was told.
    expect(await eventually(() => topics().length > 0, 1000)).toBe(true);
    expect(answered).toBe(false);
    expect(topics()).toEqual(['Late answer']);
    const res = await answer;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1480);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { topic: string }).topic).toBe('Late answer');
    expect(sim.requests({ path: '/v2/users/me/meetings' }).map((r) => r.status)).toEqual([201]);
    // count: 1 — the next create is answered at once.
    const next = Date.now();
    expect((await call('POST', '/v2/users/me/meetings', { topic: 'On time', type: 2 })).status).toBe(201);
    expect(Date.now() - next).toBeLessThan(1000);
  });

  it('commit_then_delay: a client that gave up first gets nothing, the change stays made, and the log says no answer', async () => {
    sim.injectFault({
      match: { method: 'POST', path: CREATE },
      kind: 'commit_then_delay',
      ms: 3000,
      count: 1,
    });
    const giveUp = new AbortController();
    const given = call('POST', '/v2/users/me/meetings', { topic: 'Given up', type: 2 }, giveUp.signal);
    // The client gives up once the change is made, long before the answer is due.
    expect(await eventually(() => topics().length > 0, 2000)).toBe(true);
    giveUp.abort();
    await expect(given).rejects.toThrow();
    expect(topics()).toEqual(['Given up']);
    const statuses = () => sim.requests({ path: '/v2/users/me/meetings' }).map((r) => r.status);
    // Logged when the answer was due (3 s): 0, nobody took it.
    expect(await eventually(() => statuses()[0] !== null && statuses()[0] !== undefined, 6000)).toBe(true);
    expect(statuses()).toEqual([0]);
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
