import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, basic, startSimulator, T0 } from './zoom-sim.helpers';

/**
 * What the tool's self-check must be able to break on purpose, through the control API: Zoom's
 * clock (its answers' `Date`), an app's scopes (edited in the Marketplace), its tokens (revoked).
 */
describe('Zoom simulator: the self-check’s breaking cases', () => {
  let sim: ZoomSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.reset());

  async function s2sApp(scopes: string[]) {
    const { body: account } = await request(sim.app).post('/_sim/accounts').send({ plan: 'pro' });
    const { body: app } = await request(sim.app)
      .post('/_sim/apps')
      .send({ kind: 's2s', account_id: account.account_id, scopes });
    const token = async () =>
      (
        await request(sim.app)
          .post(`/oauth/token?grant_type=account_credentials&account_id=${account.account_id}`)
          .set('Authorization', basic(app.client_id, app.client_secret))
      ).body as { access_token: string; scope: string };
    return { account, app, token };
  }

  it('answers carry Zoom’s clock in Date, which /_sim/clock/advance moves (10 minutes ahead)', async () => {
    const { token } = await s2sApp(['user:read:admin']);
    const { access_token: bearer } = await token();
    const before = await api(sim, bearer, 'get', '/users/nobody@example.com');
    expect(Date.parse(String(before.headers.date))).toBe(T0);
    expect((await request(sim.app).post('/_sim/clock/advance').send({ seconds: 600 })).status).toBe(200);
    const after = await api(sim, bearer, 'get', '/users/nobody@example.com');
    expect(Date.parse(String(after.headers.date))).toBe(T0 + 600_000);
    const oauth = await request(sim.app).post('/oauth/token');
    expect(Date.parse(String(oauth.headers.date))).toBe(T0 + 600_000);
  });

  it('an app’s scopes edited in the Marketplace: the S2S tokens issued afterwards carry them', async () => {
    const { app, token } = await s2sApp(['user:read:admin', 'meeting:read:admin']);
    const first = await token();
    expect(first.scope).toBe('user:read:admin meeting:read:admin');
    const edited = await request(sim.app)
      .post(`/_sim/apps/${app.client_id}/scopes`)
      .send({ scopes: 'meeting:read:admin' });
    expect(edited.status).toBe(200);
    expect(edited.body).toEqual({ client_id: app.client_id, scopes: ['meeting:read:admin'] });
    const second = await token();
    expect(second.scope).toBe('meeting:read:admin');
    const refused = await api(sim, second.access_token, 'get', '/users/nobody@example.com');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(4711);
    expect((await request(sim.app).post('/_sim/apps/nope/scopes').send({ scopes: [] })).status).toBe(404);
    expect((await request(sim.app).post(`/_sim/apps/${app.client_id}/scopes`).send({})).status).toBe(400);
  });

  it('an OAuth installation keeps the scopes its admin consented to when the app’s scopes change', async () => {
    const { body: account } = await request(sim.app).post('/_sim/accounts').send({ plan: 'pro' });
    const { body: app } = await request(sim.app)
      .post('/_sim/apps')
      .send({ kind: 'oauth', redirect_uri: 'https://tool.example/cb' });
    const installed = await request(sim.app)
      .post(`/_sim/apps/${app.client_id}/tokens`)
      .send({ account_id: account.account_id });
    await request(sim.app)
      .post(`/_sim/apps/${app.client_id}/scopes`)
      .send({ scopes: ['user:read:admin'] });
    const refreshed = await request(sim.app)
      .post('/oauth/token')
      .set('Authorization', basic(app.client_id, app.client_secret))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: installed.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.scope).toBe(installed.body.scope);
    expect(refreshed.body.scope).toContain('meeting:write:admin');
  });
});
