import request from 'supertest';
import { launchOf } from '../../../src/lti';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

const CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';

/**
 * What a launch tells the pages after it: a return link only when it is http(s), the LMS's locale,
 * and, for the content picker, its deep-linking settings, which the provider can answer with
 * content items the LMS verifies.
 */
describe('the launch as the pages see it', () => {
  let lti: LtiHarness;
  beforeAll(async () => {
    lti = await createLtiHarness({ profile: 'moodle' });
    lti.built.lti.protectedRouter.get('/test/launch-context', (_req, res) => {
      const { returnUrl, locale, deepLinking, messageType } = launchOf(res);
      res.json({
        returnUrl: returnUrl ?? null,
        locale: locale ?? null,
        deepLinking: deepLinking ?? null,
        messageType,
      });
    });
    lti.built.lti.protectedRouter.get('/test/deep-link-answer', (_req, res, next) => {
      lti.built.lti
        .deepLinkingResponse(
          res,
          [{ type: 'ltiResourceLink', title: 'Biology: weekly class', custom: { meeting: 'm-1' } }],
          {
            message: 'Meeting added',
          },
        )
        .then((answer) =>
          res.render('deep-linking-return', {
            title: 'Adding the meeting',
            message: 'Taking you back to your course…',
            button: 'Add to the course',
            ...answer,
          }),
        )
        .catch(next);
    });
  });
  afterAll(() => lti.close());

  async function launchWith(
    claims: (c: Record<string, unknown>) => void,
    messageType?: 'LtiDeepLinkingRequest',
  ) {
    const { login, idToken, state } = await lti.authorize(
      lti.lms.users.instructor.id,
      messageType ? { messageType } : undefined,
      { claims },
    );
    const posted = await lti.postLaunch({ id_token: idToken, state }, login.cookie);
    expect(posted.status).toBe(303);
    const location = String(posted.headers.location);
    return { location, ltik: new URL(location, 'http://x').searchParams.get('ltik') ?? '' };
  }

  const context = async (ltik: string) =>
    (await request(lti.app).get(`/lti/test/launch-context?ltik=${encodeURIComponent(ltik)}`)).body as Record<
      string,
      unknown
    >;

  it.each([
    ['javascript:alert(document.cookie)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['vbscript:msgbox(1)'],
    ['not a url'],
  ])('when the LMS sends the return URL %s, no "Back to the course" link is rendered', async (returnUrl) => {
    const { location, ltik } = await launchWith((c) => {
      c[`${CLAIM}launch_presentation`] = { return_url: returnUrl, locale: 'en' };
    });
    const page = await request(lti.app).get(location).accept('html');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Back to the course');
    expect(page.text).not.toMatch(/javascript:|data:text|vbscript:/);
    expect((await context(ltik)).returnUrl).toBeNull();
  });

  it('when the return URL is https, the page links back to it in the top window', async () => {
    const { location } = await launchWith((c) => {
      c[`${CLAIM}launch_presentation`] = {
        return_url: 'https://moodle.example/course/view.php?id=7',
        locale: 'en',
      };
    });
    const page = await request(lti.app).get(location).accept('html');
    expect(page.text).toContain(
      '<a href="https://moodle.example/course/view.php?id=7" target="_top">Back to the course</a>',
    );
  });

  it('carries the locale the LMS sent', async () => {
    const { ltik } = await launchWith((c) => {
      c[`${CLAIM}launch_presentation`] = { locale: 'es-MX' };
    });
    expect(await context(ltik)).toMatchObject({ locale: 'es-MX', returnUrl: null });
  });

  it('carries the deep-linking settings of a content-picker launch', async () => {
    const { ltik } = await launchWith(() => undefined, 'LtiDeepLinkingRequest');
    expect(await context(ltik)).toMatchObject({
      messageType: 'LtiDeepLinkingRequest',
      deepLinking: {
        returnUrl: expect.stringMatching(new RegExp(`^${lti.lms.baseUrl}/`)),
        acceptTypes: expect.arrayContaining(['ltiResourceLink']),
        acceptMultiple: expect.any(Boolean),
      },
    });
  });

  it('answers a content-picker launch with a resource link the LMS accepts', async () => {
    const { ltik } = await launchWith(() => undefined, 'LtiDeepLinkingRequest');
    const page = await request(lti.app)
      .get(`/lti/test/deep-link-answer?ltik=${encodeURIComponent(ltik)}`)
      .accept('html');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(
      new RegExp(`form-action[^;]*${new URL(lti.lms.baseUrl).origin.replace(/[.:/]/g, '\\$&')}`),
    );
    const action = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const jwt = /name="JWT" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    expect(action.startsWith(lti.lms.baseUrl)).toBe(true);
    const posted = await fetch(action.replace(/&amp;/g, '&'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ JWT: jwt }).toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(200);
    expect(lti.lms.deepLinkingReturns.at(-1)?.contentItems).toEqual([
      { type: 'ltiResourceLink', title: 'Biology: weekly class', custom: { meeting: 'm-1' } },
    ]);
  });

  it('refuses to answer a launch that did not come from the content picker', async () => {
    const { ltik } = await launchWith(() => undefined);
    const answer = await request(lti.app)
      .get(`/lti/test/deep-link-answer?ltik=${encodeURIComponent(ltik)}`)
      .accept('json');
    expect(answer.status).toBe(400);
    expect(answer.body.error.detail).toMatch(/content picker/);
  });
});
