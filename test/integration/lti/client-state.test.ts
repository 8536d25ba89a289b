import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { describeInBrowser, launchChromium } from '../../support/browser';
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

/** The launch the confirmation page posts back (its form's fields), as its script would fill it. */
function confirmationForm(html: string): Record<string, string> {
  const form =
    /<form method="post" action="\/lti\/launch" data-lti-state-form hidden>([\s\S]*?)<\/form>/.exec(html);
  expect(form).not.toBeNull();
  const fields: Record<string, string> = {};
  for (const input of form![1]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields[input[1]!] = input[2]!;
  return fields;
}

/** Posts the confirmation as the page's script does: from the tool's own page, with what the browser kept. */
function postConfirmation(
  lti: LtiHarness,
  html: string,
  kept: { state: string; nonce: string },
  site = 'same-origin',
) {
  return request(lti.app)
    .post('/lti/launch')
    .type('form')
    .accept('html')
    .set('Sec-Fetch-Site', site)
    .send({ ...confirmationForm(html), kept_state: kept.state, kept_nonce: kept.nonce });
}

/** No ltik in an answer: not in its page, not in a redirect. */
function expectNoLtik(answer: request.Response) {
  expect(answer.text).not.toMatch(/ltik/i);
  expect(answer.headers.location ?? '').not.toMatch(/ltik/i);
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

    it('a launch without the cookie answers a page that reads the stored state back, and no ltik exists yet', async () => {
      const sessionsBefore = await lti.sessionCount();
      const { idToken, state, login } = await lti.authorize(lti.lms.users.learner.id);
      const posted = await lti.postLaunch({ id_token: idToken, state });
      expect(posted.status).toBe(200);
      expect(posted.headers['cache-control']).toBe('no-store');
      expectNoLtik(posted);
      const page = storedStatePage(posted.text)!;
      expect(page).toMatchObject({ action: 'verify', store: 'platform', target: '_parent' });
      expect(page.entries).toEqual([
        { key: `lti_state_${state}`, value: state },
        { key: `lti_nonce_${login.nonce}`, value: login.nonce },
      ]);
      expect(confirmationForm(posted.text)).toEqual({
        id_token: idToken,
        state,
        kept_state: '',
        kept_nonce: '',
      });
      expect(await lti.sessionCount()).toBe(sessionsBefore);

      // The page posts back what the browser kept: the login's own state and nonce. Only now the ltik.
      const confirmed = await postConfirmation(lti, posted.text, { state, nonce: login.nonce });
      expect(confirmed.status).toBe(303);
      expect(confirmed.headers.location).toMatch(/^\/lti\/course\?ltik=/);
      expect(await lti.sessionCount()).toBeGreaterThan(sessionsBefore);
      const course = await request(lti.app).get(String(confirmed.headers.location)).accept('html');
      expect(course.status).toBe(200);
      expect(course.text).toContain(`Hello, ${lti.lms.users.learner.name}`);
      expect(await stateCheckRecorded(lti, lti.lms.users.learner.name)).toBe('platform-storage');
    });

    it.each([
      ['kept nothing', () => ({ state: '', nonce: '' })],
      [
        'kept another login’s state',
        (s: { state: string; nonce: string }) => ({ ...s, state: `${s.state}x` }),
      ],
      [
        'kept another login’s nonce',
        (s: { state: string; nonce: string }) => ({ ...s, nonce: `${s.nonce}x` }),
      ],
    ])('when the browser %s, the launch is refused and no ltik is minted anywhere', async (_name, keptOf) => {
      const sessionsBefore = await lti.sessionCount();
      const { idToken, state, login } = await lti.authorize(lti.lms.users.instructor.id);
      const posted = await lti.postLaunch({ id_token: idToken, state });
      expect(posted.status).toBe(200);
      const refused = await postConfirmation(lti, posted.text, keptOf({ state, nonce: login.nonce }));
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('lti_state_unconfirmed');
      expect(refused.text).toContain('did not start in this browser');
      expectNoLtik(refused);
      expect(await lti.sessionCount()).toBe(sessionsBefore);
      // Its state was taken: the same launch cannot be confirmed again, even with the right values.
      const again = await postConfirmation(lti, posted.text, { state, nonce: login.nonce });
      expect(again.status).toBe(400);
      expectNoLtik(again);
      expect(await lti.sessionCount()).toBe(sessionsBefore);
    });

    it('a confirmation posted from another site is refused, even with the right values', async () => {
      const sessionsBefore = await lti.sessionCount();
      const { idToken, state, login } = await lti.authorize(lti.lms.users.ta.id);
      const posted = await lti.postLaunch({ id_token: idToken, state });
      const refused = await postConfirmation(lti, posted.text, { state, nonce: login.nonce }, 'cross-site');
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('lti_state_unconfirmed');
      expectNoLtik(refused);
      expect(await lti.sessionCount()).toBe(sessionsBefore);
    });

    it('a launch that brings its cookie back goes straight to the course page', async () => {
      const { idToken, state, login } = await lti.authorize(lti.lms.users.instructor.id);
      const posted = await lti.postLaunch({ id_token: idToken, state }, login.cookie);
      expect(posted.status).toBe(303);
      expect(posted.headers.location).toMatch(/^\/lti\/course\?ltik=/);
      expect(await stateCheckRecorded(lti, lti.lms.users.instructor.name)).toBeUndefined();
    });

    it('the same launch posted again once confirmed is refused: its state was used', async () => {
      const { idToken, state, login } = await lti.authorize(lti.lms.users.ta.id);
      const posted = await lti.postLaunch({ id_token: idToken, state });
      expect((await postConfirmation(lti, posted.text, { state, nonce: login.nonce })).status).toBe(303);
      const again = await lti.postLaunch({ id_token: idToken, state });
      expect(again.status).toBe(400);
      expect(again.text).toMatch(/already used or expired/);
      expectNoLtik(again);
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
      expectNoLtik(posted);
      const confirm = storedStatePage(posted.text)!;
      expect(confirm).toMatchObject({ action: 'verify', store: 'window' });
      const [keptState, keptNonce] = confirm.entries.map((entry) => entry.value);
      const confirmed = await postConfirmation(lti, posted.text, { state: keptState!, nonce: keptNonce! });
      expect(confirmed.status).toBe(303);
      const course = await request(lti.app).get(String(confirmed.headers.location)).accept('html');
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

/**
 * The confirmation page's own script, run in Chromium: at top level the window's storage keeps the
 * login's state (as the login page's script stored it); the launch page reads it back and posts it,
 * and the tool opens only when it matches.
 */
describeInBrowser('the confirmation page in Chromium (window storage)', () => {
  let lti: LtiHarness;
  let browser: Browser;
  beforeAll(async () => {
    lti = await createLtiHarness({ profile: 'moodle' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await lti?.close();
  });

  /** A top-level login (window storage), then the LMS's answer posted by this browser to the tool. */
  async function launchInBrowser(userId: string, keep: 'kept' | 'lost') {
    const top = await request(lti.app)
      .get(`/lti/login?${new URLSearchParams(lti.lms.loginInitiation(userId)).toString()}`)
      .set('Sec-Fetch-Dest', 'document');
    const stored = storedStatePage(top.text)!;
    expect(stored).toMatchObject({ action: 'store', store: 'window' });
    const answer = await lti.lms.authorize(stored.next);
    const context = await browser.newContext();
    const page = await context.newPage();
    const answers: string[] = [];
    page.on('response', (response) => answers.push(`${response.status()} ${response.url()}`));
    await page.goto(`${lti.listeningUrl}/healthz`);
    if (keep === 'kept') {
      // What the login page's script stored in this window (its entries).
      await page.evaluate((entries) => {
        const storage = (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } })
          .sessionStorage;
        for (const entry of entries) storage.setItem(entry.key, entry.value);
      }, stored.entries);
    }
    // The LMS's auto-posted form, as this browser posts it.
    await page.evaluate(
      ({ action, fields }) => {
        interface Element {
          type: string;
          name: string;
          value: string;
          method: string;
          action: string;
          appendChild(child: Element): void;
          submit(): void;
        }
        const doc = (
          globalThis as unknown as { document: { createElement(tag: string): Element; body: Element } }
        ).document;
        const form = doc.createElement('form');
        form.method = 'post';
        form.action = action;
        for (const [name, value] of Object.entries(fields)) {
          const input = doc.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.appendChild(input);
        }
        doc.body.appendChild(form);
        form.submit();
      },
      {
        action: `${lti.listeningUrl}/lti/launch`,
        fields: { id_token: answer.fields.id_token, state: answer.fields.state },
      },
    );
    return { page, context, answers };
  }

  it('the page reads the kept state back, posts it, and the course page opens', async () => {
    const sessionsBefore = await lti.sessionCount();
    const { page, context } = await launchInBrowser(lti.lms.users.learner.id, 'kept');
    await page.waitForURL(/\/lti\/course\?ltik=/, { timeout: 20_000 });
    await page.getByRole('heading', { level: 1, name: `Hello, ${lti.lms.users.learner.name}` }).waitFor();
    expect(await lti.sessionCount()).toBeGreaterThan(sessionsBefore);
    expect(await stateCheckRecorded(lti, lti.lms.users.learner.name)).toBe('window-storage');
    // What was kept is removed once read.
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length,
      ),
    ).toBe(0);
    await context.close();
  }, 60_000);

  it('without the kept state, the page posts what it found and the tool refuses, minting no ltik', async () => {
    const sessionsBefore = await lti.sessionCount();
    const { page, context, answers } = await launchInBrowser(lti.lms.users.instructor.id, 'lost');
    await page.getByText('lti_state_unconfirmed').first().waitFor({ timeout: 20_000 });
    expect(page.url()).toBe(`${lti.listeningUrl}/lti/launch`);
    expect(await page.content()).not.toMatch(/ltik/i);
    expect(answers.filter((answer) => /ltik/i.test(answer))).toEqual([]);
    expect(answers.filter((answer) => answer.endsWith('/lti/launch')).map((a) => a.split(' ')[0])).toEqual([
      '200',
      '400',
    ]);
    expect(await lti.sessionCount()).toBe(sessionsBefore);
    await context.close();
  }, 60_000);
});
