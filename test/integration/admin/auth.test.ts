import crypto from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../../src/admin';
import { HASHES_AT_ONCE, HASHES_WAITING } from '../../../src/admin/admin.auth';
import { ADDRESS_FAILURES_ALLOWED, LOGIN_FAILURES_ALLOWED } from '../../../src/admin/admin.limiter';
import { queryRows } from '../../../src/storage';
import {
  cookiesOf,
  createConsoleHarness,
  get,
  loginForm,
  PASSWORD,
  post,
  postLogin,
  setPassword,
  signIn,
  type ConsoleHarness,
} from './console.harness';

/**
 * Issue 11, item 2, and issue 17, item 5: signing in to the operator console. A wrong password is
 * refused; the sixth wrong try within a minute from one address for one name (or too many from one
 * address for any) is refused even with the right password, but nobody else's guesses lock the
 * operator out; concurrent guesses hash no more passwords than the count allows, two at a time;
 * posts without the session's form token change nothing; sessions end when idle, when old, at
 * logout and when the password changes; no secret reaches a log.
 */
describe('signing in to the operator console', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await createConsoleHarness({ TRUST_PROXY: '1' });
  });
  afterAll(() => h.close());
  // Each test starts signed out, with the first password, no failure counted and the real time.
  beforeEach(async () => {
    await h.database.db.execute(sql`delete from operator_login_limits`);
    await setPassword(h.built, PASSWORD);
    h.clock.now = Date.now();
  });

  const sessionCount = async () =>
    Number(
      (await queryRows<{ n: string }>(h.database.db, sql`select count(*) as n from operator_sessions`))[0]?.n,
    );

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
    expect(await sessionCount()).toBe(0);
    const unknown = await postLogin(h.app, form, { username: 'nobody', password: PASSWORD });
    expect(unknown.status).toBe(401);
  });

  it('the sixth wrong try from one address for one operator within a minute is refused with 429 and Retry-After, even with the right password', async () => {
    const form = await loginForm(h.app);
    const from = { 'X-Forwarded-For': '203.0.113.1' };
    for (let attempt = 1; attempt <= LOGIN_FAILURES_ALLOWED; attempt += 1) {
      const res = await postLogin(h.app, form, { password: `wrong password ${attempt}` }, from);
      expect(res.status).toBe(401);
    }
    const sixth = await postLogin(h.app, form, { password: PASSWORD }, from);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(sixth.text).toContain('Too many failed sign-ins');
    expect(sixth.text).toContain(`You can try again in ${sixth.headers['retry-after']} second`);
    expect(sixth.text).toContain('role="alert"');
    expect(cookiesOf(sixth).zoom_admin).toBeUndefined();
    expect(await sessionCount()).toBe(0);
    const json = await postLogin(h.app, form, { password: PASSWORD }, from).accept('json');
    expect(json.status).toBe(429);
    expect(json.body.error).toMatchObject({ id: 'operator_login_limited' });
    // The operator from another address is not locked out by them.
    const owner = await postLogin(h.app, form, { password: PASSWORD }, { 'X-Forwarded-For': '192.0.2.10' });
    expect(owner.status).toBe(303);
  });

  it('after 50 wrong guesses for the operator from 50 other addresses, the right password from a fresh address signs in', async () => {
    const form = await loginForm(h.app);
    // Eight at a time (fewer than the hashes that may wait), each from its own address.
    for (let first = 1; first <= 50; first += 8) {
      const batch = Array.from({ length: Math.min(8, 51 - first) }, (_, n) =>
        postLogin(
          h.app,
          form,
          { password: 'a wrong guess!!' },
          { 'X-Forwarded-For': `203.0.113.${first + n}` },
        ),
      );
      expect((await Promise.all(batch)).map((res) => res.status)).toEqual(batch.map(() => 401));
    }
    const owner = await postLogin(h.app, form, { password: PASSWORD }, { 'X-Forwarded-For': '192.0.2.77' });
    expect(owner.status).toBe(303);
    expect(await sessionCount()).toBe(1);
  });

  it(`after ${ADDRESS_FAILURES_ALLOWED} wrong tries from one address, the next is refused, whatever operator name it tries`, async () => {
    // Real accounts (at the tests' low scrypt cost): an unknown name is checked against a full-cost decoy.
    for (let n = 1; n <= ADDRESS_FAILURES_ALLOWED; n += 1) await setPassword(h.built, PASSWORD, `guess${n}`);
    const form = await loginForm(h.app);
    const from = { 'X-Forwarded-For': '198.51.100.7' };
    for (let attempt = 1; attempt <= ADDRESS_FAILURES_ALLOWED; attempt += 1) {
      const res = await postLogin(
        h.app,
        form,
        { username: `guess${attempt}`, password: 'wrong password!!' },
        from,
      );
      expect(res.status).toBe(401);
    }
    expect((await postLogin(h.app, form, { password: PASSWORD }, from)).status).toBe(429);
    // Another address still signs in: the operator is not locked out by someone else's guesses.
    expect(
      (await postLogin(h.app, form, { password: PASSWORD }, { 'X-Forwarded-For': '198.51.100.8' })).status,
    ).toBe(303);
  });

  it('behind one proxy (TRUST_PROXY=1), a spoofed leftmost X-Forwarded-For does not change the address the limiter counts', async () => {
    const form = await loginForm(h.app);
    // The client writes the first entry; the proxy appends the address it saw.
    for (let attempt = 1; attempt <= LOGIN_FAILURES_ALLOWED; attempt += 1) {
      const res = await postLogin(
        h.app,
        form,
        { password: 'wrong password!!' },
        { 'X-Forwarded-For': `10.6.6.${attempt}, 203.0.113.50` },
      );
      expect(res.status).toBe(401);
    }
    const spoofed = await postLogin(
      h.app,
      form,
      { password: PASSWORD },
      { 'X-Forwarded-For': '192.0.2.1, 203.0.113.50' },
    );
    expect(spoofed.status).toBe(429);
    const keys = (
      await queryRows<{ key: string }>(h.database.db, sql`select key from operator_login_limits order by key`)
    ).map((row) => row.key);
    expect(keys).toEqual([
      'operator-login-address:203.0.113.50',
      'operator-login-name:operator',
      'operator-login-pair:203.0.113.50|operator',
    ]);
    expect(h.logs.join('')).not.toMatch(/"ip":"10\.6\.6\./);
    // The proxy's own view of another client is another address.
    const other = await postLogin(
      h.app,
      form,
      { password: PASSWORD },
      { 'X-Forwarded-For': '203.0.113.50, 203.0.113.51' },
    );
    expect(other.status).toBe(303);
  });

  describe('many sign-ins at once', () => {
    let server: http.Server;
    beforeAll(async () => {
      server = http.createServer(h.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    afterEach(() => jest.restoreAllMocks());

    /** Wraps node's scrypt: counts runs and the most running together; `hold` keeps them from finishing until released. */
    function watchScrypt(hold = false) {
      const original = crypto.scrypt.bind(crypto);
      const held: Array<() => void> = [];
      const seen = {
        calls: 0,
        running: 0,
        most: 0,
        release() {
          hold = false;
          for (const finish of held.splice(0)) finish();
        },
      };
      jest.spyOn(crypto, 'scrypt').mockImplementation(((
        password: crypto.BinaryLike,
        salt: crypto.BinaryLike,
        length: number,
        options: crypto.ScryptOptions,
        done: (error: Error | null, key: Buffer) => void,
      ) => {
        seen.calls += 1;
        seen.running += 1;
        seen.most = Math.max(seen.most, seen.running);
        original(password, salt, length, options, (error, key) => {
          const finish = () => {
            seen.running -= 1;
            done(error, key);
          };
          if (hold) held.push(finish);
          else finish();
        });
      }) as typeof crypto.scrypt);
      return seen;
    }

    const attempt = (form: { cookie: string; csrf: string }, password: string, from: string) =>
      request(server)
        .post('/admin/login')
        .set('Cookie', form.cookie)
        .set('X-Forwarded-For', from)
        .type('form')
        .accept('json')
        .send({ _csrf: form.csrf, username: 'operator', password });

    it('40 concurrent wrong guesses from one address hash at most five passwords, two at a time; the rest are refused with 429', async () => {
      const form = await loginForm(h.app);
      const seen = watchScrypt();
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, n) => attempt(form, `wrong guess number ${n}`, '198.51.100.40')),
      );
      const statuses = answers.map((res) => res.status);
      expect(seen.calls).toBe(LOGIN_FAILURES_ALLOWED);
      expect(seen.most).toBeLessThanOrEqual(HASHES_AT_ONCE);
      expect(statuses.filter((status) => status === 401)).toHaveLength(LOGIN_FAILURES_ALLOWED);
      expect(statuses.filter((status) => status === 429)).toHaveLength(40 - LOGIN_FAILURES_ALLOWED);
    });

    it('when more sign-ins wait for a hash than may, the others are answered 503 with Retry-After and hash nothing', async () => {
      const form = await loginForm(h.app);
      const seen = watchScrypt(true);
      const total = HASHES_AT_ONCE + HASHES_WAITING + 12;
      const answers: request.Response[] = [];
      const all = Array.from({ length: total }, (_, n) =>
        attempt(form, `wrong guess number ${n}`, `203.0.113.${100 + n}`).then((res) => {
          answers.push(res);
          return res;
        }),
      );
      // Two hashes are held running and eight wait: every other sign-in is answered without one.
      const waitFor = async (check: () => boolean) => {
        for (let tries = 0; tries < 600 && !check(); tries += 1) await new Promise((r) => setTimeout(r, 50));
        expect(check()).toBe(true);
      };
      await waitFor(() => answers.length === total - HASHES_AT_ONCE - HASHES_WAITING);
      expect(seen.running).toBe(HASHES_AT_ONCE);
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('1');
        expect(res.body.error).toMatchObject({ id: 'operator_login_busy' });
      }
      seen.release();
      const statuses = (await Promise.all(all)).map((res) => res.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(HASHES_AT_ONCE + HASHES_WAITING);
      expect(seen.calls).toBe(HASHES_AT_ONCE + HASHES_WAITING);
      expect(seen.most).toBe(HASHES_AT_ONCE);
      // The refused ones were not counted as failures: their addresses sign in at once.
      expect((await attempt(await loginForm(h.app), PASSWORD, '203.0.113.100')).status).toBe(303);
    });
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
    expect(await sessionCount()).toBe(0);
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
    expect(await sessionCount()).toBe(2);
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
    expect(await sessionCount()).toBe(0);
  });

  it('signing out ends the session', async () => {
    const session = await signIn(h.app);
    const res = await post(h.app, session, '/admin/logout', { _csrf: session.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/login');
    expect(cookiesOf(res).zoom_admin?.raw).toMatch(/^zoom_admin=; Path=\/admin; Expires=Thu, 01 Jan 1970/);
    expect((await get(h.app, session, '/admin/schools')).status).toBe(303);
    expect(await sessionCount()).toBe(0);
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

describe('the console behind proxies named by address (TRUST_PROXY=loopback, 10.0.0.0/8)', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await createConsoleHarness({ TRUST_PROXY: 'loopback, 10.0.0.0/8' });
  });
  afterAll(() => h.close());

  it('counts the first address from the right that is not one of them, whatever the client wrote before it', async () => {
    const form = await loginForm(h.app);
    for (const spoofed of ['192.0.2.1', '10.9.9.9', '127.0.0.1']) {
      const res = await postLogin(
        h.app,
        form,
        { password: 'wrong password!!' },
        { 'X-Forwarded-For': `${spoofed}, 198.51.100.5, 10.0.0.7` },
      );
      expect(res.status).toBe(401);
    }
    const keys = (
      await queryRows<{ key: string }>(
        h.database.db,
        sql`select key from operator_login_limits where key like 'operator-login-address:%'`,
      )
    ).map((row) => row.key);
    expect(keys).toEqual(['operator-login-address:198.51.100.5']);
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
