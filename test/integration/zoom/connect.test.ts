import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';
import { TOOL_URL } from '../../support/lti-harness';

describe('connecting a school’s Zoom account', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness();
  });
  afterAll(() => h.close());

  async function resetConnections() {
    await h.database.db.execute(sql`delete from zoom_connections`);
  }

  describe('account-level OAuth (Marketplace app)', () => {
    beforeEach(resetConnections);

    it('an admin connects end to end: consent, callback, account and scopes recorded, tokens sealed', async () => {
      const ltik = await h.adminLtik();
      const page = await request(h.app).get(`/lti/zoom?ltik=${ltik}`).accept('html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Connect Zoom');

      const start = await request(h.app)
        .post('/lti/zoom/oauth')
        .type('form')
        .send({ ltik, csrf: h.formToken(ltik) });
      expect(start.status).toBe(303);
      const authorize = new URL(String(start.headers.location));
      expect(authorize.origin + authorize.pathname).toBe(`${h.zoom.baseUrl}/oauth/authorize`);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${TOOL_URL}/zoom/oauth/callback`);
      expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const done = await h.connectOAuth({ ltik });
      expect(done.status).toBe(200);
      expect(done.text).toContain('Zoom is connected');
      const row = await h.connectionRow();
      expect(row).toMatchObject({
        kind: 'oauth',
        status: 'connected',
        zoom_account_id: h.account.account_id,
      });
      expect(row?.scopes).toEqual(expect.arrayContaining(['user:read:admin', 'meeting:write:admin']));
      expect(String(row?.access_token_sealed)).toMatch(/^v1\./);
      expect(String(row?.refresh_token_sealed)).toMatch(/^v1\./);

      const after = await request(h.app).get(`/lti/zoom?ltik=${ltik}`).accept('html');
      expect(after.text).toContain('data-status="connected"');
      expect(after.text).toContain(h.account.account_id);
    });

    it('refuses a callback whose state was tampered with, changing nothing', async () => {
      const ltik = await h.adminLtik();
      const start = await request(h.app)
        .post('/lti/zoom/oauth')
        .type('form')
        .send({ ltik, csrf: h.formToken(ltik) });
      const state = new URL(String(start.headers.location)).searchParams.get('state') ?? '';
      const page = await request(h.app).get(`/zoom/oauth/callback?code=abc&state=${state}x`).accept('html');
      expect(page.status).toBe(400);
      expect(page.text).toContain('This Zoom connection attempt cannot be completed');
      expect(await h.connectionRow()).toBeUndefined();
    });

    it('refuses a replayed callback', async () => {
      const { authorizeUrl, cookie } = await h.startConnect();
      const callback = await h.consentAt(authorizeUrl);
      expect((await request(h.app).get(callback).set('Cookie', cookie)).status).toBe(200);
      const replay = await request(h.app).get(callback).set('Cookie', cookie).accept('html');
      expect(replay.status).toBe(400);
      expect(replay.text).toMatch(/already used or has expired/);
    });

    it('refuses an expired state', async () => {
      const ltik = await h.adminLtik();
      const start = await request(h.app)
        .post('/lti/zoom/oauth')
        .type('form')
        .send({ ltik, csrf: h.formToken(ltik) });
      const state = new URL(String(start.headers.location)).searchParams.get('state') ?? '';
      await h.database.db.execute(sql`update zoom_oauth_states set expires_at = now() - interval '1 second'`);
      const page = await request(h.app).get(`/zoom/oauth/callback?code=abc&state=${state}`).accept('html');
      expect(page.status).toBe(400);
      expect(page.text).toContain('This Zoom connection attempt cannot be completed');
    });

    it('says so when the Zoom admin declines, with a way back', async () => {
      const page = await h.connectOAuth({ decline: true });
      expect(page.status).toBe(400);
      expect(page.text).toContain('Zoom access was not granted');
      expect(page.text).toMatch(/href="\/lti\/zoom\?ltik=/);
      expect(await h.connectionRow()).toBeUndefined();
    });

    it('refuses a Zoom account already connected to another school', async () => {
      expect((await h.connectOAuth()).status).toBe(200);
      const other = await h.addLms({ profile: 'canvas', school: 'Other school' });
      const page = await h.connectOAuth({ ltik: await h.adminLtik(other) });
      expect(page.status).toBe(409);
      expect(page.text).toContain('This Zoom account belongs to another school');
      expect(await h.connectionRow('Other school')).toBeUndefined();
      expect(await h.connectionRow()).toMatchObject({ status: 'connected' });
    });

    it('only an administrator may manage the connection; without a launch nothing is shown', async () => {
      const instructor = (await h.launch(h.lms.users.instructor.id)).ltik;
      const forbidden = await request(h.app).get(`/lti/zoom?ltik=${instructor}`).accept('html');
      expect(forbidden.status).toBe(403);
      const refused = await request(h.app)
        .post('/lti/zoom/oauth')
        .type('form')
        .send({ ltik: instructor, csrf: h.formToken(instructor) });
      expect(refused.status).toBe(403);
      expect((await request(h.app).get('/lti/zoom').accept('html')).status).toBe(401);
      expect((await request(h.app).post('/lti/zoom/disconnect').type('form').send({})).status).toBe(401);
    });

    it('disconnect revokes at Zoom and deletes the tokens', async () => {
      expect((await h.connectOAuth()).status).toBe(200);
      const ltik = await h.adminLtik();
      h.zoom.clearRequests();
      const response = await request(h.app)
        .post('/lti/zoom/disconnect')
        .type('form')
        .send({ ltik, csrf: h.formToken(ltik), confirm: 'yes' });
      expect(response.status).toBe(303);
      expect(h.zoom.requests({ path: '/oauth/revoke' })).toHaveLength(1);
      const row = await h.connectionRow();
      expect(row).toMatchObject({
        status: 'disconnected',
        access_token_sealed: null,
        refresh_token_sealed: null,
      });
      const page = await request(h.app).get(String(response.headers.location)).accept('html');
      expect(page.text).toContain('revoked at Zoom');
      expect(page.text).toContain('Connect Zoom');
    });
  });

  describe('the school’s own Server-to-Server app', () => {
    beforeEach(resetConnections);

    it('verifies the credentials with a token request and one user lookup, then connects', async () => {
      const s2s = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
      const ltik = await h.adminLtik();
      h.zoom.clearRequests();
      const response = await request(h.app)
        .post('/lti/zoom/s2s')
        .type('form')
        .send({
          ltik,
          csrf: h.formToken(ltik),
          accountId: h.account.account_id,
          clientId: s2s.client_id,
          clientSecret: s2s.client_secret,
          webhookSecretToken: 'school-own-webhook-secret',
        });
      expect(response.status).toBe(303);
      const paths = h.zoom.requests().map((entry) => `${entry.method} ${entry.path}`);
      expect(paths.filter((path) => path === 'POST /oauth/token')).toHaveLength(1);
      expect(paths.filter((path) => path.startsWith('GET /v2/users/'))).toHaveLength(1);
      const row = await h.connectionRow();
      expect(row).toMatchObject({
        kind: 's2s',
        status: 'connected',
        zoom_account_id: h.account.account_id,
        s2s_client_id: s2s.client_id,
      });
      const page = await request(h.app).get(String(response.headers.location)).accept('html');
      expect(page.text).toContain(`/zoom/webhook/${String(row?.webhook_id)}`);
    });

    it('refuses credentials Zoom does not accept, storing nothing', async () => {
      const s2s = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
      const ltik = await h.adminLtik();
      const response = await request(h.app)
        .post('/lti/zoom/s2s')
        .type('form')
        .accept('html')
        .send({
          ltik,
          csrf: h.formToken(ltik),
          accountId: h.account.account_id,
          clientId: s2s.client_id,
          clientSecret: 'wrong-secret-value',
        });
      expect(response.status).toBe(400);
      expect(response.text).toContain('Zoom refused these credentials');
      expect(await h.connectionRow()).toBeUndefined();
    });

    it('refuses a malformed form with a message naming the fields', async () => {
      const ltik = await h.adminLtik();
      const response = await request(h.app)
        .post('/lti/zoom/s2s')
        .type('form')
        .accept('html')
        .send({ ltik, csrf: h.formToken(ltik), accountId: 'x' });
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/accountId must be the Account ID/);
      expect(response.text).toMatch(/clientId is required/);
      expect(await h.connectionRow()).toBeUndefined();
    });
  });
});

describe('connecting through an app that lacks scopes', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness({ scopes: ['user:read:admin', 'meeting:read:admin'] });
  });
  afterAll(() => h.close());

  it('is refused with the missing scopes named, and nothing is stored', async () => {
    const page = await h.connectOAuth();
    expect(page.status).toBe(400);
    expect(page.text).toContain('Zoom did not grant everything the tool needs');
    expect(page.text).toContain('user:write:admin, meeting:write:admin');
    expect(await h.connectionRow()).toBeUndefined();
  });
});
