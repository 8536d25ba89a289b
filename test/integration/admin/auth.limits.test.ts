import crypto from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { HASHES_AT_ONCE, HASHES_WAITING } from '../../../src/admin/admin.auth';
import { ADDRESS_FAILURES_ALLOWED, LOGIN_FAILURES_ALLOWED } from '../../../src/admin/admin.limiter';
import { queryRows } from '../../../src/storage';
import {
  cookiesOf,
  createConsoleHarness,
  freshSignIn,
  loginForm,
  PASSWORD,
  postLogin,
  sessionCount,
  setPassword,
  type ConsoleHarness,
} from './console.harness';

/**
 * Issue 17, item 5: the operator console's sign-in limits. The sixth wrong try within a minute from
 * one address for one name (or too many from one address for any name) is refused even with the
 * right password, but nobody else's guesses lock the operator out; concurrent guesses hash no more
 * passwords than the count allows, two at a time; the address counted is the one the trusted
 * proxies saw, never one the client wrote.
 */
describe("the operator console's sign-in limits", () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await createConsoleHarness({ TRUST_PROXY: '1' });
  });
  afterAll(() => h.close());
  beforeEach(() => freshSignIn(h));

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
    expect(await sessionCount(h)).toBe(0);
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
    expect(await sessionCount(h)).toBe(1);
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
