import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';
import { storedStatePage } from '../../support/lti-login';

const TOOL_ORIGIN = 'http://localhost:3000';

/** How a user's last launch proved its state (recorded on ltijs' id token document). */
async function stateCheckRecorded(lti: LtiHarness, name: string): Promise<unknown> {
  const rows = await queryRows<{ doc: Record<string, unknown> }>(
    lti.database.db,
    sql`select doc from ltijs_documents where collection = 'idtoken' and doc->'userInfo'->>'name' = ${name}`,
  );
  expect(rows).toHaveLength(1);
  return rows[0]?.doc.stateCheck;
}

function cookieOf(setCookie: string[] | string | undefined, name: string): string | undefined {
  const line = ([] as string[]).concat(setCookie ?? []).find((candidate) => candidate.startsWith(`${name}=`));
  return line?.split(';')[0];
}

/**
 * Launches whose cookie does not come back: the browser keeps the login's state in the LMS's
 * platform storage (Canvas) or its own window (top level), and a framed login without platform
 * storage (Moodle) first checks that its cookie comes back, offering a new window when it does not.
 */
describe('launches without the state cookie', () => {
  describe('Canvas: platform storage (lti_storage_target)', () => {
    let lti: LtiHarness;
    beforeAll(async () => {
      lti = await createLtiHarness({ profile: 'canvas' });
    });
    afterAll(() => lti.close());

    it("the login answers a page that stores the state and nonce in the LMS's frame, then goes to the LMS", async () => {
      const answer = await request(lti.app)
        .post('/lti/login')
        .type('form')
        .send(lti.lms.loginInitiation(lti.lms.users.learner.id));
      expect(answer.status).toBe(200);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(cookieOf(answer.headers['set-cookie'], 'state')).toBeUndefined();
      expect(String(answer.headers['set-cookie'])).toMatch(/^state[A-Za-z0-9_-]+=.*Partitioned/);
      expect(answer.text).toContain('<script src="/assets/lti-state.js"></script>');
      const page = storedStatePage(answer.text)!;
      expect(page).toMatchObject({
        action: 'store',
        store: 'platform',
        target: '_parent',
        origin: new URL(lti.lms.authUrl).origin,
      });
      const next = new URL(page.next);
      expect(`${next.origin}${next.pathname}`).toBe(lti.lms.authUrl);
      const state = next.searchParams.get('state')!;
      const nonce = next.searchParams.get('nonce')!;
      expect(page.entries).toEqual([
        { key: `lti_state_${state}`, value: state },
        { key: `lti_nonce_${nonce}`, value: nonce },
      ]);
    });

    it('a launch without the cookie answers a page that confirms the stored state before the course page', async () => {
      const { idToken, state, login } = await lti.authorize(lti.lms.users.learner.id);
      const posted = await lti.postLaunch({ id_token: idToken, state });
      expect(posted.status).toBe(200);
      expect(posted.headers.location).toBeUndefined();
      expect(posted.headers['cache-control']).toBe('no-store');
      const page = storedStatePage(posted.text)!;
      expect(page).toMatchObject({ action: 'verify', store: 'platform', target: '_parent' });
      expect(page.entries).toEqual([
        { key: `lti_state_${state}`, value: state },
        { key: `lti_nonce_${login.nonce}`, value: login.nonce },
      ]);
      expect(page.next).toMatch(/^\/lti\/course\?ltik=/);
      const course = await request(lti.app).get(page.next).accept('html');
      expect(course.status).toBe(200);
      expect(course.text).toContain(`Hello, ${lti.lms.users.learner.name}`);
      expect(await stateCheckRecorded(lti, lti.lms.users.learner.name)).toBe('platform-storage');
    });

    it('a launch that brings its cookie back goes straight to the course page', async () => {
      const { idToken, state, login } = await lti.authorize(lti.lms.users.instructor.id);
      const posted = await lti.postLaunch({ id_token: idToken, state }, login.cookie);
      expect(posted.status).toBe(303);
      expect(posted.headers.location).toMatch(/^\/lti\/course\?ltik=/);
      expect(await stateCheckRecorded(lti, lti.lms.users.instructor.name)).toBeUndefined();
    });

    it('the same launch posted again is refused: its state was used', async () => {
      const { idToken, state } = await lti.authorize(lti.lms.users.ta.id);
      expect((await lti.postLaunch({ id_token: idToken, state })).status).toBe(200);
      const again = await lti.postLaunch({ id_token: idToken, state });
      expect(again.status).toBe(400);
      expect(again.text).toMatch(/already used or expired/);
    });
  });

  describe('Moodle: no platform storage', () => {
    let lti: LtiHarness;
    beforeAll(async () => {
      lti = await createLtiHarness({ profile: 'moodle' });
    });
    afterAll(() => lti.close());

    const framedLogin = (userId: string, cookie?: string) => {
      const test = request(lti.app).post('/lti/login').type('form').set('Sec-Fetch-Dest', 'iframe');
      if (cookie) test.set('Cookie', cookie);
      return test.send(lti.lms.loginInitiation(userId));
    };

    it('a framed login first checks, in the same frame, that its cookie comes back', async () => {
      const login = await framedLogin(lti.lms.users.learner.id);
      expect(login.status).toBe(302);
      expect(String(login.headers.location)).toMatch(/^\/lti\/login\/check\?c=/);
      const stateCookie = String(login.headers['set-cookie']).split(';')[0]!;

      const kept = await request(lti.app).get(String(login.headers.location)).set('Cookie', stateCookie);
      expect(kept.status).toBe(302);
      expect(String(kept.headers.location).startsWith(lti.lms.authUrl)).toBe(true);
      const keptCookie = cookieOf(kept.headers['set-cookie'], 'lti_cookies_kept');
      expect(String(kept.headers['set-cookie'])).toMatch(
        /lti_cookies_kept=.*HttpOnly.*Secure.*Partitioned|lti_cookies_kept=.*Partitioned/i,
      );

      // Cookies work in this frame: the next login goes straight to the LMS.
      const next = await framedLogin(lti.lms.users.learner.id, keptCookie);
      expect(next.status).toBe(302);
      expect(String(next.headers.location).startsWith(lti.lms.authUrl)).toBe(true);
    });

    it('when the cookie does not come back, it offers a new window, which logs in again at top level and lands', async () => {
      const initiation = lti.lms.loginInitiation(lti.lms.users.instructor.id);
      const login = await request(lti.app)
        .post('/lti/login')
        .type('form')
        .set('Sec-Fetch-Dest', 'iframe')
        .send(initiation);
      const blocked = await request(lti.app).get(String(login.headers.location)).accept('html');
      expect(blocked.status).toBe(200);
      expect(blocked.text).toContain('Open in a new window');
      const link = /<a class="button primary" href="([^"]+)" target="_blank" rel="noopener">/.exec(
        blocked.text,
      );
      expect(link).not.toBeNull();
      const relaunch = new URL(link![1]!.replace(/&amp;/g, '&'), TOOL_ORIGIN);
      expect(relaunch.pathname).toBe('/lti/login');
      expect(Object.fromEntries(relaunch.searchParams)).toEqual(initiation);

      // The new window: a top-level login keeps the state in the window, since no cookie may come back either.
      const top = await request(lti.app)
        .get(`${relaunch.pathname}${relaunch.search}`)
        .set('Sec-Fetch-Dest', 'document');
      expect(top.status).toBe(200);
      const stored = storedStatePage(top.text)!;
      expect(stored).toMatchObject({ action: 'store', store: 'window' });
      // The LMS's single-use login hint was not spent by the framed attempt.
      const answer = await lti.lms.authorize(stored.next);
      const posted = await lti.postLaunch({ id_token: answer.fields.id_token, state: answer.fields.state });
      expect(posted.status).toBe(200);
      const confirm = storedStatePage(posted.text)!;
      expect(confirm).toMatchObject({ action: 'verify', store: 'window' });
      const course = await request(lti.app).get(confirm.next).accept('html');
      expect(course.status).toBe(200);
      expect(course.text).toContain(`Hello, ${lti.lms.users.instructor.name}`);
      expect(await stateCheckRecorded(lti, lti.lms.users.instructor.name)).toBe('window-storage');
    });

    it('a tampered check link is refused and goes nowhere', async () => {
      const login = await framedLogin(lti.lms.users.learner.id);
      const location = String(login.headers.location);
      const tampered = location.replace(
        /c=([A-Za-z0-9_-])/,
        (_match, first: string) => `c=${first === 'A' ? 'B' : 'A'}`,
      );
      const answer = await request(lti.app).get(tampered).accept('html');
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/broken or has expired/);
      expect(answer.headers.location).toBeUndefined();
    });

    it('a login that says nothing of its frame goes straight to the LMS, as before', async () => {
      const login = await lti.login(lti.lms.users.learner.id);
      expect(login.status).toBe(302);
      expect(login.location.startsWith(lti.lms.authUrl)).toBe(true);
    });
  });
});
