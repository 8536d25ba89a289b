import request from 'supertest';
import { sql } from 'drizzle-orm';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../../src/admin';
import { queryRows } from '../../../src/storage';
import {
  cookiesOf,
  createConsoleHarness,
  freshSignIn,
  get,
  loginForm,
  PASSWORD,
  post,
  postLogin,
  sessionCount,
  setPassword,
  signIn,
  type ConsoleHarness,
} from './console.harness';

/**
 * Issue 11, item 2: signing in to the operator console. A wrong password is refused (the limits on
 * tries are in auth.limits.test.ts); posts without the session's form token change nothing;
 * sessions end when idle, when old, at logout and when the password changes; no secret reaches a
 * log.
 */
describe('signing in to the operator console', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await createConsoleHarness({ TRUST_PROXY: '1' });
  });
  afterAll(() => h.close());
  beforeEach(() => freshSignIn(h));

  it('with the right password, a session cookie is set (HttpOnly, Secure, SameSite=Strict, Path=/admin) and the pages open', async () => {
    const form = await loginForm(h.app);
    const res = await postLogin(h.app, form, { password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/schools');
    const session = cookiesOf(res).zoom_admin;
    expect(session?.raw).toMatch(
      /^zoom_admin=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/admin; Expires=.*; HttpOnly; Secure; SameSite=Strict$/,
    );
    const page = await request(h.app)
      .get('/admin/schools')
      .set('Cookie', session?.pair ?? '')
      .accept('html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Schools</h1>');
    // Only the session id's hash is stored.
    const rows = await queryRows<{ id_hash: string }>(
      h.database.db,
      sql`select id_hash from operator_sessions`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id_hash).not.toContain(session?.pair.split('=')[1]);
  });

  it('when the password is wrong, it is refused with a page that says so, and no session is made', async () => {
    const form = await loginForm(h.app);
    const res = await postLogin(h.app, form, { password: 'not the password at all' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('operator_login_failed');
    expect(cookiesOf(res).zoom_admin).toBeUndefined();
    expect(await sessionCount(h)).toBe(0);
    const unknown = await postLogin(h.app, form, { username: 'nobody', password: PASSWORD });
    expect(unknown.status).toBe(401);
  });

  it('a sign-in without the sign-in page’s form token is refused', async () => {
    const form = await loginForm(h.app);
    const noToken = await request(h.app)
      .post('/admin/login')
      .set('Cookie', form.cookie)
      .type('form')
      .accept('json')
      .send({ username: 'operator', password: PASSWORD });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error).toMatchObject({ id: 'operator_csrf_invalid' });
    const noCookie = await request(h.app)
      .post('/admin/login')
      .type('form')
      .accept('json')
      .send({ _csrf: form.csrf, password: PASSWORD });
    expect(noCookie.status).toBe(403);
    expect(await sessionCount(h)).toBe(0);
  });

  it('a post without the session’s form token, or with another session’s, changes nothing', async () => {
    const mine = await signIn(h.app);
    const other = await signIn(h.app);
    await h.built.invites.create({ school: 'Token High', expiresInMs: 3_600_000 });
    const [school] = await h.built.admin.schools();
    const invites = async () =>
      Number(
        (
          await queryRows<{ n: string }>(h.database.db, sql`select count(*) as n from registration_invites`)
        )[0]?.n,
      );
    const before = await invites();
    const forms: Array<Record<string, string>> = [
      { days: '3' },
      { days: '3', _csrf: other.csrf },
      { days: '3', _csrf: 'forged' },
    ];
    for (const form of forms) {
      const res = await post(h.app, mine, `/admin/schools/${school?.id}/invites`, form).accept('json');
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ id: 'operator_csrf_invalid' });
    }
    const logout = await post(h.app, mine, '/admin/logout', {});
    expect(logout.status).toBe(403);
    expect(await invites()).toBe(before);
    expect(await sessionCount(h)).toBe(2);
    // With it, the same post works.
    const ok = await post(h.app, mine, `/admin/schools/${school?.id}/invites`, {
      days: '3',
      _csrf: mine.csrf,
    });
    expect(ok.status).toBe(200);
    expect(await invites()).toBe(before + 1);
  });

  it('a session idle for 30 minutes has expired; one in use lives 8 hours at most', async () => {
    const idle = await signIn(h.app);
    const busy = await signIn(h.app);
    h.clock.now += SESSION_IDLE_MS - 60_000;
    expect((await get(h.app, idle, '/admin/schools')).status).toBe(200);
    h.clock.now += SESSION_IDLE_MS - 60_000;
    expect((await get(h.app, idle, '/admin/schools')).status).toBe(200);
    h.clock.now += SESSION_IDLE_MS;
    const expired = await get(h.app, idle, '/admin/schools');
    expect(expired.status).toBe(303);
    expect(expired.headers.location).toBe('/admin/login');
    expect((await get(h.app, idle, '/admin/schools').accept('json')).status).toBe(401);

    // `busy` was used at sign-in only so far: it is idle too. A fresh one used every 20 minutes:
    expect((await get(h.app, busy, '/admin/schools')).status).toBe(303);
    const kept = await signIn(h.app);
    const signedInAt = h.clock.now;
    while (h.clock.now + 20 * 60_000 < signedInAt + SESSION_MAX_MS) {
      h.clock.now += 20 * 60_000;
      expect((await get(h.app, kept, '/admin/schools')).status).toBe(200);
    }
    h.clock.now = signedInAt + SESSION_MAX_MS;
    expect((await get(h.app, kept, '/admin/schools')).status).toBe(303);
    expect(await sessionCount(h)).toBe(0);
  });

  it('signing out ends the session', async () => {
    const session = await signIn(h.app);
    const res = await post(h.app, session, '/admin/logout', { _csrf: session.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/login');
    expect(cookiesOf(res).zoom_admin?.raw).toMatch(/^zoom_admin=; Path=\/admin; Expires=Thu, 01 Jan 1970/);
    expect((await get(h.app, session, '/admin/schools')).status).toBe(303);
    expect(await sessionCount(h)).toBe(0);
  });

  it('changing the password ends every session of the operator, and only the new password signs in', async () => {
    const first = await signIn(h.app);
    const second = await signIn(h.app);
    expect(await setPassword(h.built, 'a brand new passphrase')).toEqual({ sessionsEnded: 2 });
    expect((await get(h.app, first, '/admin/schools')).status).toBe(303);
    expect((await get(h.app, second, '/admin/schools')).status).toBe(303);
    const old = await postLogin(h.app, await loginForm(h.app), { password: PASSWORD });
    expect(old.status).toBe(401);
    await signIn(h.app, 'a brand new passphrase');
  });

  it('the console may not be framed, cached or indexed', async () => {
    const page = await request(h.app).get('/admin/login').accept('html');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).not.toMatch(/frame-ancestors[^;]*'self'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('never logs the password, its hash, the session id or a form token', async () => {
    const session = await signIn(h.app);
    await postLogin(h.app, await loginForm(h.app), { password: 'wrong password, logged?' });
    await post(h.app, session, '/admin/logout', { _csrf: session.csrf });
    const hash =
      (
        await queryRows<{ password_hash: string }>(
          h.database.db,
          sql`select password_hash from operator_accounts`,
        )
      )[0]?.password_hash ?? '';
    const all = h.logs.join('');
    expect(all).toContain('operator signed in');
    for (const secret of [
      PASSWORD,
      'wrong password, logged?',
      hash,
      hash.split('$')[3] ?? 'x',
      session.id,
      session.csrf,
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('the console behind HTTPS', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await createConsoleHarness({ PUBLIC_URL: 'https://zoom-lti.example' });
  });
  afterAll(() => h.close());

  it('names its cookies __Host- (Path=/, Secure, HttpOnly, SameSite=Strict)', async () => {
    const page = await request(h.app).get('/admin/login').accept('html');
    const login = cookiesOf(page)['__Host-zoom_admin_login'];
    expect(login?.raw).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await request(h.app)
      .post('/admin/login')
      .set('Cookie', login?.pair ?? '')
      .type('form')
      .send({ _csrf: csrf, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(cookiesOf(res)['__Host-zoom_admin']?.raw).toMatch(
      /; Path=\/; Expires=.*; HttpOnly; Secure; SameSite=Strict$/,
    );
  });
});
