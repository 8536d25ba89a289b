import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, HookReceiver, startSimulator, T0 } from './zoom-sim.helpers';

describe('Zoom simulator: /_sim/ control endpoints', () => {
  let sim: ZoomSimulator;
  let hooks: HookReceiver;
  let url: string;

  beforeAll(async () => {
    sim = await startSimulator();
    hooks = new HookReceiver();
    url = await hooks.start();
  });
  afterAll(async () => {
    await sim.stop();
    await hooks.stop();
  });
  beforeEach(() => sim.reset());

  const control = () => request(sim.app);

  it('creates an account with an active licensed admin, and shows its state', async () => {
    const created = await control()
      .post('/_sim/accounts')
      .send({ plan: 'business', licensed_seats: 5, managed_domain: 'School.edu' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      account_id: expect.any(String),
      admin_email: expect.stringMatching(/@school\.edu$/),
    });
    const state = await control().get(`/_sim/accounts/${created.body.account_id}`);
    expect(state.body.account).toMatchObject({
      plan: 'business',
      licensed_seats: 5,
      managed_domain: 'school.edu',
    });
    expect(state.body.users).toEqual([
      expect.objectContaining({ email: created.body.admin_email, status: 'active', type: 2, role_id: '0' }),
    ]);
    expect((await control().post('/_sim/accounts').send({ plan: 'gold' })).status).toBe(400);
    expect((await control().get('/_sim/accounts/nope')).status).toBe(404);
    const dup = await control()
      .post('/_sim/accounts')
      .send({ plan: 'pro', admin_email: created.body.admin_email });
    expect(dup.status).toBe(409);
  });

  it('creates apps (s2s needs an account) and mints tokens for them', async () => {
    const { body: account } = await control().post('/_sim/accounts').send({ plan: 'pro' });
    expect((await control().post('/_sim/apps').send({ kind: 's2s' })).status).toBe(400);
    expect((await control().post('/_sim/apps').send({ kind: 's2s', account_id: 'nope' })).status).toBe(404);
    const app = await control()
      .post('/_sim/apps')
      .send({ kind: 'oauth', redirect_uri: 'https://tool.example/cb', webhook_url: url });
    expect(app.status).toBe(201);
    expect(app.body).toEqual({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      webhook_secret_token: expect.any(String),
    });
    const tokens = await control()
      .post(`/_sim/apps/${app.body.client_id}/tokens`)
      .send({ account_id: account.account_id });
    expect(tokens.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 3599,
      refresh_token: expect.any(String),
    });
    expect((await api(sim, tokens.body.access_token, 'get', '/users/me')).body.email).toBe(
      account.admin_email,
    );
    expect((await control().get(`/_sim/tokens?client_id=${app.body.client_id}`)).body).toEqual({ issued: 1 });
    expect((await control().post(`/_sim/apps/${app.body.client_id}/disable`).send({})).body).toEqual({
      client_id: app.body.client_id,
      disabled: true,
    });
    expect((await api(sim, tokens.body.access_token, 'get', '/users/me')).status).toBe(401);
  });

  it('activates and deactivates users by id or email', async () => {
    const { body: account } = await control().post('/_sim/accounts').send({ plan: 'pro' });
    const app = await control().post('/_sim/apps').send({ kind: 'oauth', webhook_url: url });
    const { body: tokens } = await control()
      .post(`/_sim/apps/${app.body.client_id}/tokens`)
      .send({ account_id: account.account_id });
    await api(sim, tokens.access_token, 'post', '/users', {
      action: 'create',
      user_info: { email: 'new@x.edu', type: 1 },
    });
    const activated = await control().post('/_sim/users/new@x.edu/activate');
    expect(activated.body.user).toMatchObject({ email: 'new@x.edu', status: 'active' });
    expect((await control().post('/_sim/users/new@x.edu/deactivate')).body.user.status).toBe('inactive');
    expect((await control().post('/_sim/users/ghost@x.edu/activate')).status).toBe(404);
    await sim.flushWebhooks();
    const deliveries = await control().get(`/_sim/webhooks?client_id=${app.body.client_id}`);
    expect(deliveries.body.deliveries.map((d: { event: string }) => d.event)).toEqual([
      'user.created',
      'user.activated',
      'user.deactivated',
    ]);
  });

  it('starts and ends meetings, with explicit participants', async () => {
    const { body: account } = await control().post('/_sim/accounts').send({ plan: 'pro' });
    const app = await control().post('/_sim/apps').send({ kind: 'oauth' });
    const { body: tokens } = await control()
      .post(`/_sim/apps/${app.body.client_id}/tokens`)
      .send({ account_id: account.account_id });
    const m = await api(sim, tokens.access_token, 'post', '/users/me/meetings', { type: 2 });
    expect((await control().post(`/_sim/meetings/${m.body.id}/start`)).body).toEqual({ status: 'started' });
    expect((await api(sim, tokens.access_token, 'get', `/meetings/${m.body.id}`)).body.status).toBe(
      'started',
    );
    const ended = await control()
      .post(`/_sim/meetings/${m.body.id}/end`)
      .send({
        participants: [{ name: 'Ada', email: 'ada@x.edu' }, { name: 'Guest' }],
        duration_minutes: 30,
        recording: true,
      });
    expect(ended.body.ended).toMatchObject({ uuid: m.body.uuid, start_time: T0 - 30 * 60_000, end_time: T0 });
    expect(ended.body.ended.participants.map((p: { name: string }) => p.name)).toEqual(['Ada', 'Guest']);
    expect(ended.body.ended.recording_files).toHaveLength(2);
    expect((await control().post('/_sim/meetings/999/end').send({})).status).toBe(404);
  });

  it('moves the clock and resets everything', async () => {
    expect((await control().get('/_sim/clock')).body).toEqual({ now: T0, iso: new Date(T0).toISOString() });
    expect((await control().post('/_sim/clock/advance').send({ seconds: 3600 })).body.now).toBe(
      T0 + 3_600_000,
    );
    expect((await control().post('/_sim/clock/advance').send({ seconds: -1 })).status).toBe(400);
    const { body: account } = await control().post('/_sim/accounts').send({ plan: 'pro' });
    expect((await control().post('/_sim/reset')).status).toBe(204);
    expect((await control().get(`/_sim/accounts/${account.account_id}`)).status).toBe(404);
    expect((await control().get('/_sim/clock')).body.now).toBe(T0);
    expect((await control().get('/_sim/nothing')).status).toBe(404);
  });

  it('requires x-sim-token when a control token is configured', async () => {
    const locked = await startSimulator({ controlToken: 'let-me-in' });
    expect((await request(locked.app).get('/_sim/clock')).status).toBe(401);
    expect((await request(locked.app).get('/_sim/clock').set('x-sim-token', 'let-me-in')).status).toBe(200);
    await locked.stop();
  });
});
