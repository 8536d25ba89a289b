import request from 'supertest';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';
import { startRegisteredLms } from '../../support/lms';
import { TOOL_URL } from '../../support/lti-harness';
import { adminPage, runSelfCheck, statuses } from './self-check.helpers';

const FULL_SCOPES = ['user:read:admin', 'user:write:admin', 'meeting:read:admin', 'meeting:write:admin'];

/** The simulator's control API, over HTTP as an operator would use it. */
async function control(h: ZoomHarness, path: string, body: unknown): Promise<void> {
  const answer = await fetch(`${h.zoom.baseUrl}/_sim${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
}

describe('the school admin’s self-check, against the Zoom simulator (Marketplace app)', () => {
  let h: ZoomHarness;
  let ltik: string;
  beforeAll(async () => {
    h = await createZoomHarness();
    ltik = await h.adminLtik();
  });
  afterAll(() => h.close());

  it('before Zoom is connected, the connection fails with how to connect and Zoom’s checks are not run', async () => {
    h.zoom.clearRequests();
    const { response, checks } = await runSelfCheck(h.app, ltik);
    expect(response.status).toBe(200);
    expect(statuses(checks)).toEqual({
      connection: 'fail',
      scopes: 'skipped',
      token: 'skipped',
      lookup: 'skipped',
      clock: 'skipped',
      email: 'pass',
      browser: 'pass',
    });
    expect(checks.connection?.text).toContain('What to do: Connect Zoom below');
    expect(h.zoom.requests()).toEqual([]);
    // The page's test cookie is set as the launch's state cookie is: kept in a cross-site frame when partitioned.
    const { probeSetCookie } = await adminPage(h.app, ltik);
    expect(probeSetCookie.split('; ').slice(1).sort()).toEqual(
      expect.arrayContaining(['HttpOnly', 'Partitioned', 'Path=/lti/zoom', 'SameSite=None', 'Secure']),
    );
  });

  it('is refused to learners and instructors (403), without a launch (401), and without the form token (403)', async () => {
    for (const user of [h.lms.users.learner, h.lms.users.instructor]) {
      const other = (await h.launch(user.id)).ltik;
      const refused = await request(h.app)
        .post('/lti/zoom/self-check')
        .type('form')
        .accept('html')
        .send({ ltik: other, csrf: (await adminPage(h.app, ltik)).csrf });
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('Only a school administrator can manage the Zoom connection.');
    }
    const noLaunch = await request(h.app).post('/lti/zoom/self-check').type('form').accept('html').send({});
    expect(noLaunch.status).toBe(401);
    const noToken = await request(h.app)
      .post('/lti/zoom/self-check')
      .type('form')
      .accept('html')
      .send({ ltik });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('csrf_invalid');
  });

  it('on a healthy connection every check passes, with one user lookup through the client', async () => {
    expect((await h.connectOAuth({ ltik })).status).toBe(200);
    h.zoom.clearRequests();
    const { response, checks } = await runSelfCheck(h.app, ltik);
    expect(statuses(checks)).toEqual({
      connection: 'pass',
      scopes: 'pass',
      token: 'pass',
      lookup: 'pass',
      clock: 'pass',
      email: 'pass',
      browser: 'pass',
    });
    expect(response.text).toContain('data-overall="pass"');
    expect(response.text).toContain('role="status"');
    expect(checks.connection?.text).toContain(h.account.account_id);
    expect(checks.lookup?.text).toContain(h.account.admin_email);
    expect(checks.browser?.text).toContain('This browser keeps the tool’s cookies in the course frame.');
    expect(checks.email?.text).toContain(h.lms.users.admin.email);
    expect(h.zoom.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/users/me']);
  });

  it('a browser that does not keep the tool’s cookies in the frame gets a warning, not a failure', async () => {
    const { checks } = await runSelfCheck(h.app, ltik, { keepsCookies: false });
    expect(checks.browser).toEqual({
      status: 'warn',
      text: expect.stringContaining(
        'launches here use the LMS’s platform storage (Canvas) or open in a new window (Moodle)',
      ),
    });
    expect(checks.browser?.text).toContain('does not keep the tool’s cookies');
  });

  it('when Zoom’s clock is 10 minutes ahead, the clock fails and says to synchronise this server’s clock', async () => {
    await control(h, '/clock/advance', { seconds: 600 });
    const { checks } = await runSelfCheck(h.app, ltik);
    expect(checks.clock?.status).toBe('fail');
    expect(checks.clock?.text).toContain('about 10 minutes behind Zoom’s');
    expect(checks.clock?.text).toContain('Synchronise this server’s clock (NTP');
    expect(checks.token?.status).toBe('pass');
    expect(checks.lookup?.status).toBe('pass');
  });

  it('when Zoom revokes the tool’s tokens, the token check fails and says to reconnect; the page shows it', async () => {
    await control(h, '/faults', {
      kind: 'revoke_tokens',
      tokens: 'all',
      count: 1,
      match: { path: '/v2/users', account_id: h.account.account_id },
    });
    const { response, checks } = await runSelfCheck(h.app, ltik);
    expect(checks.token?.status).toBe('fail');
    expect(checks.token?.text).toContain('Zoom refused the tool’s access');
    expect(checks.token?.text).toContain('What to do: Reconnect Zoom: press “Connect Zoom” below');
    expect(checks.lookup?.status).toBe('skipped');
    // The token store's rule, not the self-check's: a refused renewal marks the connection.
    expect(await h.connectionRow()).toMatchObject({
      status: 'reconnect_required',
      last_error: 'zoom_invalid_grant',
    });
    expect(response.text).toContain('data-status="reconnect_required"');
    expect(response.text).toContain('Connect Zoom');

    const again = await runSelfCheck(h.app, ltik);
    expect(again.checks.connection?.status).toBe('fail');
    expect(again.checks.connection?.text).toContain('Reconnect Zoom');
  });
});

describe('the self-check on a school’s own Server-to-Server app', () => {
  let h: ZoomHarness;
  let ltik: string;
  beforeAll(async () => {
    h = await createZoomHarness();
    ltik = await h.adminLtik();
  });
  afterAll(() => h.close());

  it('names a scope the app lacks and where to add it in Zoom; once added there, the next run passes', async () => {
    const app = await h.zoom.createApp({
      kind: 's2s',
      account_id: h.account.account_id,
      scopes: FULL_SCOPES.filter((scope) => scope !== 'meeting:write:admin'),
    });
    const connected = await request(h.app)
      .post('/lti/zoom/s2s')
      .type('form')
      .send({
        ltik,
        csrf: h.formToken(ltik),
        accountId: h.account.account_id,
        clientId: app.client_id,
        clientSecret: app.client_secret,
      });
    expect(connected.status).toBe(303);

    const { checks } = await runSelfCheck(h.app, ltik);
    expect(checks.scopes?.status).toBe('fail');
    expect(checks.scopes?.text).toContain('Zoom did not grant: meeting:write:admin.');
    expect(checks.scopes?.text).toContain(
      'open Manage › your Server-to-Server app › Scopes, add meeting:write:admin',
    );
    expect(checks.lookup?.status).toBe('pass');
    expect(checks.lookup?.text).toContain(h.lms.users.admin.email);

    await control(h, `/apps/${app.client_id}/scopes`, { scopes: FULL_SCOPES });
    const fixed = await runSelfCheck(h.app, ltik);
    expect(statuses(fixed.checks)).toMatchObject({ scopes: 'pass', token: 'pass', lookup: 'pass' });
  });

  it('a launch without an email fails the email check with the LMS setting to change', async () => {
    const quiet = await startRegisteredLms(h.built.tenants, {
      profile: 'moodle',
      toolUrl: TOOL_URL,
      school: 'quiet school',
      shareEmail: false,
    });
    try {
      const quietLtik = (await h.launch(quiet.users.admin.id, undefined, quiet)).ltik;
      const { checks } = await runSelfCheck(h.app, quietLtik);
      expect(checks.email?.status).toBe('fail');
      expect(checks.email?.text).toContain('did not include your email address');
      expect(checks.email?.text).toContain('“Share launcher’s email with tool” to Always');
      // That school has no Zoom connection: the other school's is never read.
      expect(checks.connection?.status).toBe('fail');
    } finally {
      await quiet.stop();
    }
  });

  it('in Spanish for a Spanish launch', async () => {
    const es = (await h.launch(h.lms.users.admin.id, { locale: 'es-MX' })).ltik;
    const { response, checks } = await runSelfCheck(h.app, es);
    expect(response.text).toContain('Ejecutar la autocomprobación de nuevo');
    expect(checks.connection?.text).toContain('Conectado a la cuenta de Zoom');
    expect(checks.connection?.text).toContain('Correcto');
  });
});
