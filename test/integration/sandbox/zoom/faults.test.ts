import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { basic, startSimulator, T0, type Tenant, tenant } from './zoom-sim.helpers';

describe('Zoom simulator: faults and the request log', () => {
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

  /** Real HTTP to the listening simulator (faults act on sockets). */
  const call = (method: string, path: string, body?: object, token = t.token, timeoutMs = 2000) =>
    fetch(`${sim.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });

  it('latency delays the answer, then the request proceeds', async () => {
    sim.injectFault({ match: { method: 'GET', path: '/v2/users' }, kind: 'latency', ms: 250, count: 1 });
    const started = Date.now();
    const res = await call('GET', '/v2/users/me');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('status5xx answers the status without doing anything, count times', async () => {
    sim.injectFault({ match: { path: '/v2/users/me/meetings' }, kind: 'status5xx', status: 503, count: 1 });
    const failed = await call('POST', '/v2/users/me/meetings', { type: 2 });
    expect(failed.status).toBe(503);
    expect(sim.meetings(t.account_id)).toHaveLength(0);
    expect((await call('POST', '/v2/users/me/meetings', { type: 2 })).status).toBe(201);
  });

  it('timeout never answers (the change is not made); with ms the socket is then closed', async () => {
    sim.injectFault({ match: { path: '/v2/users/me/meetings' }, kind: 'timeout', count: 1 });
    await expect(call('POST', '/v2/users/me/meetings', { type: 2 }, t.token, 300)).rejects.toThrow();
    expect(sim.meetings(t.account_id)).toHaveLength(0);
    sim.injectFault({ match: { path: '/v2/users/me' }, kind: 'timeout', ms: 100, count: 1 });
    await expect(call('GET', '/v2/users/me')).rejects.toThrow();
    expect(sim.requests({ path: '/v2/users/me' }).map((r) => r.status)).toEqual([0, 0]);
  });

  it('commit_then_drop makes the change, then drops the connection without an answer', async () => {
    sim.injectFault({
      match: { method: 'POST', path: '^/v2/users/[^/]+/meetings$' },
      kind: 'commit_then_drop',
      count: 1,
    });
    await expect(call('POST', '/v2/users/me/meetings', { topic: 'Half-done', type: 2 })).rejects.toThrow();
    expect(sim.meetings(t.account_id).map((m) => m.topic)).toEqual(['Half-done']);
    const [entry] = sim.requests({ method: 'POST' });
    expect(entry).toMatchObject({ status: 0, account_id: t.account_id, client_id: t.client_id });
    const refresh = sim.issueTokens(t.client_id, t.account_id);
    sim.injectFault({ match: { path: '/oauth/token' }, kind: 'commit_then_drop', count: 1 });
    await expect(
      fetch(`${sim.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: basic(t.client_id, t.client_secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: `grant_type=refresh_token&refresh_token=${refresh.refresh_token}`,
      }),
    ).rejects.toThrow();
    const reuse = await request(sim.app)
      .post('/oauth/token')
      .set('Authorization', basic(t.client_id, t.client_secret))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: refresh.refresh_token ?? '' });
    expect(reuse.status).toBe(400);
  });

  it('revoke_tokens kills the account’s access tokens (and refresh tokens with tokens: all)', async () => {
    const other = await tenant(sim, { plan: 'pro' });
    sim.injectFault({ match: { account_id: t.account_id }, kind: 'revoke_tokens', count: 1 });
    expect((await call('GET', '/v2/users/me', undefined, other.token)).status).toBe(200);
    const res = await call('GET', '/v2/users/me');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 124, message: 'Invalid access token.' });
    const refreshed = await request(sim.app)
      .post('/oauth/token')
      .set('Authorization', basic(t.client_id, t.client_secret))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: t.refresh_token ?? '' });
    expect(refreshed.status).toBe(200);
    sim.injectFault({ match: { account_id: t.account_id }, kind: 'revoke_tokens', tokens: 'all', count: 1 });
    expect((await call('GET', '/v2/users/me', undefined, refreshed.body.access_token)).status).toBe(401);
    const dead = await request(sim.app)
      .post('/oauth/token')
      .set('Authorization', basic(t.client_id, t.client_secret))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token });
    expect(dead.status).toBe(400);
  });

  it('faults are set and cleared through /_sim/faults', async () => {
    const set = await request(sim.app)
      .post('/_sim/faults')
      .send({ match: { path: '/v2/' }, kind: 'status5xx' });
    expect(set.status).toBe(201);
    expect((await call('GET', '/v2/users/me')).status).toBe(500);
    expect((await call('GET', '/v2/users/me')).status).toBe(500);
    expect((await request(sim.app).delete('/_sim/faults')).status).toBe(204);
    expect((await call('GET', '/v2/users/me')).status).toBe(200);
    const bad = await request(sim.app).post('/_sim/faults').send({ kind: 'meteor' });
    expect(bad.status).toBe(400);
  });

  it('logs method, path, query, account, client, status and time — never secrets', async () => {
    await call('GET', '/v2/users/me/meetings?type=scheduled&page_size=5');
    await call('GET', '/v2/users/me', undefined, 'forged');
    await request(sim.app)
      .post(`/oauth/revoke?token=${t.token}`)
      .set('Authorization', basic(t.client_id, t.client_secret));
    await request(sim.app).get('/_sim/clock');
    const log = await request(sim.app).get('/_sim/requests');
    expect(log.body.requests).toEqual([
      {
        seq: 1,
        method: 'GET',
        path: '/v2/users/me/meetings',
        query: { type: 'scheduled', page_size: '5' },
        account_id: t.account_id,
        client_id: t.client_id,
        status: 200,
        error_code: null,
        at: new Date(T0).toISOString(),
      },
      expect.objectContaining({
        seq: 2,
        path: '/v2/users/me',
        account_id: null,
        status: 401,
        error_code: 124,
      }),
      expect.objectContaining({
        seq: 3,
        path: '/oauth/revoke',
        query: { token: '[redacted]' },
        client_id: t.client_id,
        status: 200,
      }),
    ]);
    const text = JSON.stringify(log.body);
    for (const secret of [t.token, t.client_secret, t.refresh_token ?? ''])
      expect(text).not.toContain(secret);
    expect(
      (await request(sim.app).get('/_sim/requests?since=2')).body.requests.map((r: { seq: number }) => r.seq),
    ).toEqual([3]);
    await sim.advanceClock(60);
    await call('GET', '/v2/users/me');
    const late = sim.requests({ since: new Date(T0 + 30_000).toISOString() });
    expect(late).toEqual([
      expect.objectContaining({
        seq: 4,
        status: 401,
        error_code: 124,
        at: new Date(T0 + 60_000).toISOString(),
      }),
    ]);
    expect(sim.requests({ account_id: t.account_id }).map((r) => r.seq)).toEqual([1, 3, 4]);
    expect((await request(sim.app).get('/_sim/requests?since=yesterday')).status).toBe(400);
    expect((await request(sim.app).delete('/_sim/requests')).status).toBe(204);
    expect(sim.requests()).toEqual([]);
  });
});
