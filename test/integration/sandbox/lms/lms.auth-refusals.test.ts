import request from 'supertest';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../../src/sandbox/lms';
import { authRequestFor, refusal, toolEndpointsAt } from './lms.helpers';

/** The emulated LMSs' auth endpoints refuse what Moodle and Canvas refuse, with the OAuth error. */
const tool = toolEndpointsAt('http://localhost:3999');
const profiles: LmsProfileName[] = ['moodle', 'canvas'];

describe.each(profiles)('%s emulator refuses a bad authentication request', (profile) => {
  let lms: LmsEmulator;

  beforeAll(async () => {
    lms = createLmsEmulator({ profile, tool });
    await lms.start();
  });
  afterAll(() => lms.stop());

  const cases: [string, Record<string, string | undefined>, string, RegExp][] = [
    ['an unknown client_id', { client_id: 'someone-else' }, 'unauthorized_client', /client_id/],
    [
      'a redirect_uri that is not registered',
      { redirect_uri: 'http://localhost:3999/lti/other' },
      'invalid_request',
      /redirect_uri/,
    ],
    ['response_type code', { response_type: 'code' }, 'unsupported_response_type', /response_type/],
    ['a scope without openid', { scope: 'profile' }, 'invalid_scope', /scope/],
    ['response_mode query', { response_mode: 'query' }, 'invalid_request', /response_mode/],
    ['prompt login', { prompt: 'login' }, 'invalid_request', /prompt/],
    ['a missing nonce', { nonce: undefined }, 'invalid_request', /nonce/],
    ['a missing state', { state: undefined }, 'invalid_request', /state/],
    ['an unknown login_hint', { login_hint: '999999' }, 'login_required', /login_hint/],
    [
      'a login_hint of another user',
      { login_hint: 'LEARNER' },
      'invalid_request',
      /login_hint does not match/,
    ],
    ['a missing lti_message_hint', { lti_message_hint: undefined }, 'invalid_request', /lti_message_hint/],
  ];
  it.each(cases)('with %s', async (_name, overrides, error, description) => {
    const initiation = lms.loginInitiation(lms.users.instructor.id);
    const resolved = Object.fromEntries(
      Object.entries(overrides).map(([key, value]) => [
        key,
        value === 'LEARNER' ? lms.users.learner.id : value,
      ]),
    );
    const refused = await refusal(lms.authorize(authRequestFor(lms, initiation, tool.launchUrl, resolved)));
    expect(refused).toMatchObject({ status: 400, error });
    expect(refused.description).toMatch(description);
  });

  it('with a forged lti_message_hint', async () => {
    const initiation = lms.loginInitiation(lms.users.instructor.id);
    const hint = initiation.lti_message_hint!;
    const forged =
      profile === 'moodle'
        ? JSON.stringify({ cmid: 1, launchid: `ltilaunch1_${'0'.repeat(32)}` })
        : `${hint.slice(0, hint.lastIndexOf('.'))}.${Buffer.alloc(32).toString('base64url')}`;
    const refused = await refusal(
      lms.authorize(authRequestFor(lms, initiation, tool.launchUrl, { lti_message_hint: forged })),
    );
    expect(refused).toMatchObject({
      error: 'invalid_request',
      description: expect.stringMatching(/lti_message_hint/),
    });
  });

  it('with an lti_message_hint already used (hints are single-use, as in Moodle and Canvas)', async () => {
    const initiation = lms.loginInitiation(lms.users.instructor.id);
    await lms.authorize(authRequestFor(lms, initiation, tool.launchUrl));
    const refused = await refusal(lms.authorize(authRequestFor(lms, initiation, tool.launchUrl)));
    expect(refused.description).toMatch(/already used/);
  });

  it('with a parameter given twice', async () => {
    const query = new URLSearchParams(
      authRequestFor(lms, lms.loginInitiation(lms.users.learner.id), tool.launchUrl),
    );
    query.append('nonce', 'second');
    expect(await refusal(lms.authorize(query))).toMatchObject({ error: 'invalid_request' });
  });

  it('answers a refused request over HTTP with 400 and the OAuth error', async () => {
    const authPath = new URL(lms.authUrl).pathname;
    const auth = authRequestFor(lms, lms.loginInitiation(lms.users.learner.id), tool.launchUrl, {
      scope: 'email',
    });
    const json = await request(lms.app)
      .get(authPath)
      .query(auth)
      .set('Accept', 'application/json')
      .expect(400);
    expect(json.body).toEqual({ error: 'invalid_scope', error_description: expect.any(String) });
    const html = await request(lms.app).get(authPath).query(auth).set('Accept', 'text/html').expect(400);
    expect(html.text).toContain('invalid_scope');
  });
});
