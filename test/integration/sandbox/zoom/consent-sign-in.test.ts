import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { basic, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

const REDIRECT = 'https://tool.example/zoom/callback';

/**
 * The consent page as a browser signed in to Zoom sees it: off in the simulator by default (a real
 * browser may be signed in as anyone), on in the sandbox (`oauth.consentSignIns`).
 */
describe('Zoom simulator: the consent page of a signed-in browser', () => {
  let sim: ZoomSimulator;
  let school: Tenant;

  beforeAll(async () => {
    sim = await startSimulator();
    school = await tenant(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const authorizeQuery = () =>
    new URLSearchParams({
      response_type: 'code',
      client_id: school.client_id,
      redirect_uri: REDIRECT,
      state: 'st-1',
    }).toString();

  it('offers no signed-in Zoom user unless configured (a real browser may be signed in as anyone)', async () => {
    const res = await request(sim.app).get(`/oauth/authorize?${authorizeQuery()}`);
    expect(res.text).not.toContain('Continue as');
    expect(res.text).not.toContain('Signed in to Zoom');
  });

  it('as the sandbox’s browser, signed in to Zoom: offers each account’s owner, and Continue as one authorizes for its account', async () => {
    const sandbox = await startSimulator({ oauth: { consentSignIns: true } });
    try {
      const first = await tenant(sandbox);
      const other = await sandbox.createAccount({ plan: 'pro' });
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: first.client_id,
        redirect_uri: REDIRECT,
        state: 'st-2',
      }).toString();
      const page = await request(sandbox.app).get(`/oauth/authorize?${query}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<h2 id="signed-in-heading">Signed in to Zoom</h2>');
      for (const email of [first.admin_email, other.admin_email])
        expect(page.text).toContain(
          `<button type="submit" name="email" value="${email}">Continue as ${email}</button>`,
        );
      // The email form stays for anyone else.
      expect(page.text).toContain('<input id="email" name="email" type="email"');

      // The button's form: the hidden approve and the button's email.
      const chosen = await request(sandbox.app)
        .post(`/oauth/authorize?${query}`)
        .type('form')
        .send({ decision: 'approve', email: other.admin_email });
      expect(chosen.status).toBe(302);
      const code = new URL(chosen.headers.location as string).searchParams.get('code') ?? '';
      const exchanged = await request(sandbox.app)
        .post('/oauth/token')
        .set('Authorization', basic(first.client_id, first.client_secret))
        .type('form')
        .send({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
      expect(exchanged.status).toBe(200);
      const me = await request(sandbox.app)
        .get('/v2/users/me')
        .set('Authorization', `Bearer ${exchanged.body.access_token as string}`);
      expect(me.body).toMatchObject({ email: other.admin_email, account_id: other.account_id });
    } finally {
      await sandbox.stop();
    }
  });
});
