import crypto from 'node:crypto';
import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, basic, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

const REDIRECT = 'https://tool.example/zoom/callback';

describe('Zoom simulator: OAuth', () => {
  let sim: ZoomSimulator;
  let school: Tenant;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(async () => {
    sim.reset();
    school = await tenant(sim);
  });

  const authorizeQuery = (extra: Record<string, string> = {}) =>
    new URLSearchParams({
      response_type: 'code',
      client_id: school.client_id,
      redirect_uri: REDIRECT,
      state: 'st-1',
      ...extra,
    }).toString();

  async function authorize(email: string, extra: Record<string, string> = {}) {
    return request(sim.app)
      .post(`/oauth/authorize?${authorizeQuery(extra)}`)
      .type('form')
      .send({ email, decision: 'approve' });
  }

  async function codeFor(extra: Record<string, string> = {}): Promise<string> {
    const res = await authorize(school.admin_email, extra);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.searchParams.get('state')).toBe('st-1');
    return location.searchParams.get('code') ?? '';
  }

  const token = (form: Record<string, string>, auth = basic(school.client_id, school.client_secret)) =>
    request(sim.app).post('/oauth/token').set('Authorization', auth).type('form').send(form);

  it('shows an accessible consent page with a labelled email field, Authorize and Decline', async () => {
    const res = await request(sim.app).get(`/oauth/authorize?${authorizeQuery()}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toMatch(/<label for="email">[^<]+<\/label>/);
    expect(res.text).toContain('<input id="email" name="email" type="email"');
    expect(res.text).toMatch(/<button type="submit" name="decision" value="approve">Authorize<\/button>/);
    expect(res.text).toMatch(/value="decline" formnovalidate>Decline<\/button>/);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('The app <strong>Zoom for your LMS (sandbox)</strong> asks');
    expect(res.text).not.toContain(`<strong>${school.client_id}</strong>`);
  });

  it('names the app as its Marketplace name says, given when it was created', async () => {
    const named = await sim.createApp({ kind: 'oauth', name: 'Zoom for Moodle', redirect_uri: REDIRECT });
    const res = await request(sim.app).get(
      `/oauth/authorize?${authorizeQuery({ client_id: named.client_id })}`,
    );
    expect(res.text).toContain('The app <strong>Zoom for Moodle</strong> asks');
  });

  it('after a wrong email, shows the form again with why and the typed email, and a right one then authorizes', async () => {
    const wrong = await authorize('typo@nowhere.edu');
    expect(wrong.status).toBe(403);
    expect(wrong.headers.location).toBeUndefined();
    expect(wrong.text).toContain(
      '<title>Error: No active Zoom user with this email – Zoom (simulator)</title>',
    );
    expect(wrong.text).toMatch(
      /<div id="email-error" role="alert"><p><strong>No active Zoom user with this email\.<\/strong> There is no active Zoom user with the email &#34;typo@nowhere.edu&#34;\./,
    );
    expect(wrong.text).toContain(
      'aria-describedby="email-error email-help" value="typo@nowhere.edu" aria-invalid="true"',
    );
    expect(wrong.text).toContain(`action="/oauth/authorize?${authorizeQuery().replace(/&/g, '&#38;')}"`);
    expect(wrong.text).toContain('value="approve">Authorize</button>');

    const retried = await authorize(school.admin_email);
    expect(retried.status).toBe(302);
    expect(new URL(retried.headers.location as string).searchParams.get('code')).toBeTruthy();
  });

  it('a typed email is shown back as text, never as markup', async () => {
    const res = await authorize('"><script>alert(1)</script>');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('value="&#34;&#62;&#60;script&#62;');
  });

  it('when the user declines, it redirects with error=access_denied and the state', async () => {
    const res = await request(sim.app)
      .post(`/oauth/authorize?${authorizeQuery()}`)
      .type('form')
      .send({ decision: 'decline' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-1');
  });

  it('when a non-admin signs in, it is refused with a page saying so', async () => {
    const other = await sim.createAccount({ plan: 'pro', managed_domain: 'member.edu' });
    const t2 = sim.issueTokens(school.client_id, other.account_id);
    const created = await api(sim, t2.access_token, 'post', '/users', {
      action: 'autoCreate',
      user_info: { email: 'prof@member.edu', type: 1 },
    });
    expect(created.status).toBe(201);
    const res = await authorize('prof@member.edu');
    expect(res.status).toBe(403);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('Only a Zoom admin can authorize this app');
    expect(res.text).toContain('Ask your Zoom account owner or an admin to authorize the app.');
    expect(res.text).toContain('value="prof@member.edu" aria-invalid="true"');
    expect((await authorize('nobody@nowhere.edu')).status).toBe(403);
  });

  it('when redirect_uri differs from the app’s, it answers error 4709 without redirecting', async () => {
    const res = await request(sim.app).get(
      `/oauth/authorize?${authorizeQuery({ redirect_uri: `${REDIRECT}/other` })}`,
    );
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('4709');
  });

  it('exchanges a code once, binds the token to the installing account and answers Zoom’s token shape', async () => {
    const code = await codeFor();
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      refresh_token: expect.any(String),
      expires_in: 3599,
      scope:
        'user:read:admin user:write:admin meeting:read:admin meeting:write:admin recording:read:admin recording:write:admin report:read:admin',
      api_url: sim.baseUrl,
    });
    expect(res.body.access_token.length).toBeGreaterThan(255);
    const me = await api(sim, res.body.access_token, 'get', '/users/me');
    expect(me.body.account_id).toBe(school.account_id);
    const again = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(again.status).toBe(400);
    expect(sim.requests({ path: '/oauth/token' }).at(-1)?.error_code).toBe(4734);
  });

  it('refuses an expired code with 4733 after five minutes', async () => {
    const code = await codeFor();
    await sim.advanceClock(301);
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ reason: 'Authorization code expired.', error: 'invalid_grant' });
    expect(sim.requests({ path: '/oauth/token' }).at(-1)?.error_code).toBe(4733);
  });

  it('verifies PKCE S256 when a challenge was given', async () => {
    const verifier = crypto.randomBytes(32).toString('base64url');
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    const code = await codeFor({ code_challenge: challenge, code_challenge_method: 'S256' });
    const wrong = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: 'nope',
    });
    expect(wrong.status).toBe(400);
    const missing = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(missing.status).toBe(400);
    const right = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(right.status).toBe(200);
  });

  it('refuses a token request whose redirect_uri differs from the authorize one (4709)', async () => {
    const code = await codeFor();
    const res = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://evil.example/cb',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(sim.requests({ path: '/oauth/token' }).at(-1)?.error_code).toBe(4709);
  });

  it('rotates refresh tokens: the old one dies at once with 400 invalid_grant "Invalid Token!"', async () => {
    const first = await token({ grant_type: 'refresh_token', refresh_token: school.refresh_token ?? '' });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(school.refresh_token);
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: school.refresh_token ?? '' });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual({ reason: 'Invalid Token!', error: 'invalid_grant' });
    const next = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(next.status).toBe(200);
  });

  it('lets the exact OAuth error body be configured', async () => {
    const custom = await startSimulator({
      oauth: {
        errorBody: (e) => ({ code: e.code, reason: e.reason, error: e.error }),
        errors: { invalid_refresh_token: { reason: 'Invalid refresh token.' } },
      },
    });
    const t = await tenant(custom);
    const res = await request(custom.app)
      .post('/oauth/token')
      .set('Authorization', basic(t.client_id, t.client_secret))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: 'unknown' });
    expect(res.body).toEqual({ code: 4711, reason: 'Invalid refresh token.', error: 'invalid_grant' });
    await custom.stop();
  });

  it('answers 4702/4704 for a bad client, 4705 for an unsupported grant, 4700 for an empty token', async () => {
    const unknown = await token({ grant_type: 'refresh_token', refresh_token: 'x' }, basic('nobody', 'x'));
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('invalid_client');
    const wrongSecret = await token(
      { grant_type: 'refresh_token', refresh_token: 'x' },
      basic(school.client_id, 'wrong'),
    );
    expect(wrongSecret.status).toBe(401);
    expect((await token({ grant_type: 'client_credentials' })).body.error).toBe('unsupported_grant_type');
    expect((await token({ grant_type: 'refresh_token' })).status).toBe(400);
    const codes = sim.requests({ path: '/oauth/token' }).map((r) => r.error_code);
    expect(codes).toEqual([4702, 4704, 4705, 4700]);
  });

  it('refuses a disabled app with 4717 and a refresh after deauthorization with 4741', async () => {
    await sim.deauthorize(school.client_id, school.account_id);
    const revoked = await token({ grant_type: 'refresh_token', refresh_token: school.refresh_token ?? '' });
    expect(revoked.status).toBe(400);
    expect(sim.requests().at(-1)?.error_code).toBe(4741);
    sim.setAppDisabled(school.client_id, true);
    const disabled = await token({ grant_type: 'refresh_token', refresh_token: 'x' });
    expect(disabled.status).toBe(400);
    expect(sim.requests().at(-1)?.error_code).toBe(4717);
  });

  it('answers 4735 when the installing admin is gone', async () => {
    sim.deactivateUser(school.admin_email);
    const res = await token({ grant_type: 'refresh_token', refresh_token: school.refresh_token ?? '' });
    expect(res.status).toBe(400);
    expect(sim.requests().at(-1)?.error_code).toBe(4735);
  });

  it('when a token request sends grant_type in the form body, the request log records it', async () => {
    const res = await token({ grant_type: 'refresh_token', refresh_token: school.refresh_token ?? '' });
    expect(res.status).toBe(200);
    expect(sim.requests({ path: '/oauth/token' })).toEqual([
      expect.objectContaining({ query: {}, grant_type: 'refresh_token', status: 200 }),
    ]);
  });

  it('when a token request sends grant_type in the query, the request log records it', async () => {
    const s2s = await sim.createApp({ kind: 's2s', account_id: school.account_id });
    const res = await request(sim.app)
      .post(`/oauth/token?grant_type=account_credentials&account_id=${school.account_id}`)
      .set('Authorization', basic(s2s.client_id, s2s.client_secret));
    expect(res.status).toBe(200);
    expect(sim.requests({ path: '/oauth/token' })).toEqual([
      expect.objectContaining({ grant_type: 'account_credentials', status: 200 }),
    ]);
  });

  it('when a token request sends no grant_type, the request log records null; other requests carry none', async () => {
    expect((await token({ refresh_token: 'x' })).status).toBe(400);
    await api(sim, school.token, 'get', '/users/me');
    const [tokenEntry, apiEntry] = sim.requests();
    expect(tokenEntry).toEqual(expect.objectContaining({ path: '/oauth/token', grant_type: null }));
    expect(apiEntry).not.toHaveProperty('grant_type');
  });

  it('issues one-hour S2S tokens without refresh token; a new one kills the previous', async () => {
    const s2s = await sim.createApp({ kind: 's2s', account_id: school.account_id });
    const auth = basic(s2s.client_id, s2s.client_secret);
    const first = await request(sim.app)
      .post(`/oauth/token?grant_type=account_credentials&account_id=${school.account_id}`)
      .set('Authorization', auth);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toBeUndefined();
    expect(first.body.expires_in).toBe(3599);
    expect((await api(sim, first.body.access_token, 'get', `/users/${school.admin_email}`)).status).toBe(200);
    const second = await request(sim.app)
      .post('/oauth/token')
      .set('Authorization', auth)
      .type('form')
      .send({ grant_type: 'account_credentials', account_id: school.account_id });
    expect(second.status).toBe(200);
    const old = await api(sim, first.body.access_token, 'get', `/users/${school.admin_email}`);
    expect(old.status).toBe(401);
    expect(old.body).toEqual({ code: 124, message: 'Invalid access token.' });
    expect(sim.tokensIssued({ client_id: s2s.client_id, kind: 's2s' })).toBe(2);
    const wrongAccount = await request(sim.app)
      .post('/oauth/token?grant_type=account_credentials&account_id=other')
      .set('Authorization', auth);
    expect(wrongAccount.status).toBe(400);
  });

  it('refuses /users/me with an S2S token (configurable)', async () => {
    const s2s = await sim.createApp({ kind: 's2s', account_id: school.account_id });
    const t = sim.issueTokens(s2s.client_id, school.account_id);
    const me = await api(sim, t.access_token, 'get', '/users/me');
    expect(me.status).toBe(404);
    expect(me.body).toEqual({ code: 1001, message: 'User does not exist: me.' });
    const lenient = await startSimulator({ api: { s2sUsersMe: 'owner' } });
    const { account_id, admin_email } = await lenient.createAccount({ plan: 'pro' });
    const app = await lenient.createApp({ kind: 's2s', account_id });
    const res = await api(
      lenient,
      lenient.issueTokens(app.client_id, account_id).access_token,
      'get',
      '/users/me',
    );
    expect(res.body.email).toBe(admin_email);
    await lenient.stop();
  });

  it('revokes a token: {"status":"success"}, then the API answers 124', async () => {
    const res = await request(sim.app)
      .post(`/oauth/revoke?token=${encodeURIComponent(school.token)}`)
      .set('Authorization', basic(school.client_id, school.client_secret));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'success' });
    expect((await api(sim, school.token, 'get', '/users/me')).status).toBe(401);
    expect(sim.requests({ path: '/oauth/revoke' })[0]?.query.token).toBe('[redacted]');
  });

  it('answers "Access token is expired." after an hour and a missing scope with HTTP 400 code 4711', async () => {
    await sim.advanceClock(3600);
    const expired = await api(sim, school.token, 'get', '/users/me');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ code: 124, message: 'Access token is expired.' });
    const narrow = await sim.createApp({ kind: 'oauth', redirect_uri: REDIRECT, scopes: 'user:read:admin' });
    const t = sim.issueTokens(narrow.client_id, school.account_id);
    const res = await api(sim, t.access_token, 'post', `/users/me/meetings`, { topic: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(4711);
    expect(res.body.message).toMatch(/^Invalid access token, does not contain scopes:\[meeting:write:admin/);
    const granular = await sim.createApp({
      kind: 'oauth',
      scopes: ['meeting:write:meeting:admin', 'user:read:user:admin'],
    });
    const g = sim.issueTokens(granular.client_id, school.account_id);
    expect(
      (await api(sim, g.access_token, 'post', `/users/${school.admin_email}/meetings`, { topic: 'x' }))
        .status,
    ).toBe(201);
  });

  it('binds OAuth tokens to the installing account (another account’s user is 1010)', async () => {
    const other = await sim.createAccount({ plan: 'pro' });
    const res = await api(sim, school.token, 'get', `/users/${other.admin_email}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(1010);
  });
});
