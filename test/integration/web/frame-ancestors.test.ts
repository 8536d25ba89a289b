import request from 'supertest';
import type { LmsEmulator } from '../../../src/sandbox/lms';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

/**
 * Which LMS may frame a page (CSP `frame-ancestors`) and receive its forms (`form-action`): the LMS
 * origins of the school of that page's own launch, never another school's. A registration made for
 * one school (a fake LMS an invite holder set up, say) adds its origin to that school's pages only.
 * Pages with no launch may be framed by the tool itself only.
 */
describe('frame-ancestors and form-action follow the launch’s school', () => {
  let h: LtiHarness;
  let other: LmsEmulator;
  const FAKE_LMS = 'https://fake-lms.example';

  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle' });
    other = await h.addLms({ profile: 'canvas', school: 'Other school' });
    await h.built.tenants.addPlatform({
      issuer: FAKE_LMS,
      clientId: 'fake-client',
      loginUrl: `${FAKE_LMS}/auth`,
      tokenUrl: `${FAKE_LMS}/token`,
      jwksUrl: `${FAKE_LMS}/jwks`,
      deployments: ['1'],
      school: 'Third school',
      frameOrigins: ['https://fake-lms-admin.example'],
    });
  });
  afterAll(() => h.close());

  const originOf = (url: string) => new URL(url).origin;
  const directive = (csp: unknown, name: string) =>
    (
      String(csp)
        .split(';')
        .map((part) => part.trim())
        .find((part) => part.startsWith(`${name} `)) ?? ''
    )
      .split(' ')
      .slice(1);
  /** A token shaped like an ltik naming `claims`, with a signature nobody made. */
  const forgedLtik = (claims: Record<string, string>) =>
    [{ alg: 'HS256', typ: 'JWT' }, claims]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .concat('c2lnbmF0dXJl')
      .join('.');

  it('school A’s course page lists A’s LMS only, in frame-ancestors and form-action', async () => {
    const { course } = await h.launch(h.lms.users.instructor.id);
    expect(course.status).toBe(200);
    const csp = course.headers['content-security-policy'];
    const mine = originOf(h.lms.authUrl);
    const others = [
      originOf(other.authUrl),
      originOf(other.issuer),
      FAKE_LMS,
      'https://fake-lms-admin.example',
    ];
    expect(directive(csp, 'frame-ancestors')).toEqual(["'self'", mine]);
    expect(directive(csp, 'form-action')).toContain(mine);
    for (const origin of others) {
      expect(directive(csp, 'frame-ancestors')).not.toContain(origin);
      expect(directive(csp, 'form-action')).not.toContain(origin);
    }
  });

  it('school B’s course page lists B’s LMS origins and not A’s', async () => {
    const { course } = await h.launch(other.users.learner.id, undefined, other);
    expect(course.status).toBe(200);
    const ancestors = directive(course.headers['content-security-policy'], 'frame-ancestors');
    expect(ancestors).toEqual(expect.arrayContaining(["'self'", originOf(other.authUrl)]));
    expect(ancestors).not.toContain(originOf(h.lms.authUrl));
    expect(ancestors).not.toContain(FAKE_LMS);
  });

  it('a login is framed by the LMS it names (its page may show in the frame), not by others', async () => {
    const login = await request(h.app)
      .post('/lti/login')
      .type('form')
      .send(h.lms.loginInitiation(h.lms.users.learner.id));
    expect(directive(login.headers['content-security-policy'], 'frame-ancestors')).toEqual([
      "'self'",
      originOf(h.lms.authUrl),
    ]);
  });

  it('the login’s cookie check in the frame (Moodle, no cookie came back) is framed by that LMS only', async () => {
    const login = await request(h.app)
      .post('/lti/login')
      .set('Sec-Fetch-Dest', 'iframe')
      .type('form')
      .send(h.lms.loginInitiation(h.lms.users.learner.id));
    expect(login.status).toBe(302);
    const check = await request(h.app).get(String(login.headers.location)).accept('html');
    expect(check.status).toBe(200);
    expect(check.text).toContain('Open in a new window');
    expect(directive(check.headers['content-security-policy'], 'frame-ancestors')).toEqual([
      "'self'",
      originOf(h.lms.authUrl),
    ]);
  });

  it('a refused ltik’s page is framed by the LMS it names only', async () => {
    const refused = await request(h.app)
      .get('/lti/course')
      .query({ ltik: forgedLtik({ platformUrl: h.lms.issuer, clientId: h.lms.clientId }) })
      .accept('html');
    expect(refused.status).toBe(401);
    expect(directive(refused.headers['content-security-policy'], 'frame-ancestors')).toEqual([
      "'self'",
      originOf(h.lms.authUrl),
    ]);
  });

  it.each([
    ['the product page', '/'],
    ['the health check', '/healthz'],
    ['a protected page without a launch', '/lti/course'],
    [
      'a page outside the LTI paths naming an LMS',
      `/?ltik=${forgedLtik({ platformUrl: FAKE_LMS })}&iss=${FAKE_LMS}`,
    ],
  ])('%s: framed by the tool itself only', async (_name, path) => {
    const page = await request(h.app).get(path).accept('html');
    const csp = page.headers['content-security-policy'];
    expect(directive(csp, 'frame-ancestors')).toEqual(["'self'"]);
    expect(String(csp)).not.toContain(originOf(h.lms.authUrl));
    expect(String(csp)).not.toContain(FAKE_LMS);
  });
});
