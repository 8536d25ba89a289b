import request from 'supertest';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

describe('request logs', () => {
  const lines: string[] = [];
  let lti: LtiHarness;
  beforeAll(async () => {
    lti = await createLtiHarness({ profile: 'moodle', logLines: lines });
  });
  afterAll(() => lti.close());

  it('carry a request id per request and never an ltik, id token, state, nonce or cookie', async () => {
    const { login, idToken, state } = await lti.authorize(lti.lms.users.instructor.id);
    const launched = await lti
      .postLaunch({ id_token: idToken, state }, login.cookie)
      .set('x-request-id', 'req-launch-1');
    expect(launched.status).toBe(303);
    expect(launched.headers['x-request-id']).toBe('req-launch-1');
    const ltik =
      new URL(String(launched.headers.location), 'http://localhost').searchParams.get('ltik') ?? '';
    await request(lti.app).get(`/lti/course?ltik=${ltik}`).accept('html');
    await lti.postLaunch({ id_token: idToken, state }, login.cookie); // a refused replay is logged too

    const text = lines.join('');
    const entries = lines.map((line) => JSON.parse(line) as { req?: { id?: string; url?: string } });
    expect(entries.some((entry) => entry.req?.id === 'req-launch-1')).toBe(true);
    expect(entries.filter((entry) => entry.req).every((entry) => typeof entry.req?.id === 'string')).toBe(
      true,
    );
    expect(text).toContain('/lti/course?ltik=%5BRedacted%5D');
    for (const secret of [ltik, idToken, state, login.nonce, login.cookie.split('=')[1] ?? 'x']) {
      expect(secret.length).toBeGreaterThan(10);
      expect(text).not.toContain(secret);
    }
  });
});
