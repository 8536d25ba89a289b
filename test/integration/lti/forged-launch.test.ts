import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

const DEPLOYMENT_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/deployment_id';

/**
 * An id token is either verified or refused. ltijs authenticates a request by its ltik when it has
 * one and then ignores any id token beside it, so a forged token next to a valid ltik must never
 * reach the landing (which records new deployments) or any page.
 */
describe('a forged id token next to a valid ltik', () => {
  let lti: LtiHarness;
  let ltik: string;

  beforeAll(async () => {
    lti = await createLtiHarness({ profile: 'moodle', acceptNewDeployments: true });
    ltik = (await lti.launch(lti.lms.users.instructor.id)).ltik;
  });
  afterAll(() => lti.close());

  /** An unsigned token naming deployment `evil-dep`, with a state from our own login and its cookie. */
  async function forged() {
    const { login, idToken, state } = await lti.authorize(lti.lms.users.instructor.id, undefined, {
      sign: 'none',
      claims: (claims) => void (claims[DEPLOYMENT_CLAIM] = 'evil-dep'),
    });
    return { fields: { id_token: idToken, state }, cookie: login.cookie };
  }

  async function deployments(): Promise<string[]> {
    const rows = await queryRows<{ deployment_id: string }>(
      lti.database.db,
      sql`select deployment_id from deployments order by deployment_id`,
    );
    return rows.map((row) => row.deployment_id);
  }

  async function expectRefused(response: request.Response) {
    expect(response.status).toBe(401);
    expect(response.text).toMatch(/both an id token and a session link|only at the launch URL/);
    expect(response.text).not.toMatch(/Hello, /);
    expect(response.headers.location).toBeUndefined();
    expect(await deployments()).toEqual([lti.lms.deploymentId]);
  }

  const post = (path: string) => request(lti.app).post(path).type('form').accept('html');

  it('when the ltik is in the query, the launch is refused and no deployment is recorded', async () => {
    const { fields, cookie } = await forged();
    await expectRefused(
      await post(`/lti/launch?ltik=${encodeURIComponent(ltik)}`)
        .set('Cookie', cookie)
        .send(fields),
    );
  });

  it('when the ltik is in the body, the launch is refused and no deployment is recorded', async () => {
    const { fields, cookie } = await forged();
    await expectRefused(
      await post('/lti/launch')
        .set('Cookie', cookie)
        .send({ ...fields, ltik }),
    );
  });

  it('when the ltik is a bearer token, the launch is refused and no deployment is recorded', async () => {
    const { fields, cookie } = await forged();
    await expectRefused(
      await post('/lti/launch').set('Cookie', cookie).set('Authorization', `Bearer ${ltik}`).send(fields),
    );
  });

  it('when the ltik is in the LTIK-AUTH-V1 header, the launch is refused', async () => {
    const { fields, cookie } = await forged();
    await expectRefused(
      await post('/lti/launch')
        .set('Cookie', cookie)
        .set('Authorization', `LTIK-AUTH-V1 Token=${ltik}, Additional=Bearer x`)
        .send(fields),
    );
  });

  it('when the request is JSON, the launch is refused the same way', async () => {
    const { fields, cookie } = await forged();
    await expectRefused(
      await request(lti.app)
        .post(`/lti/launch?ltik=${encodeURIComponent(ltik)}`)
        .accept('html')
        .set('Cookie', cookie)
        .send(fields),
    );
  });

  it('when an id token is posted to a page other than the launch URL, it is refused', async () => {
    const { fields, cookie } = await forged();
    await expectRefused(await post('/lti/course').set('Cookie', cookie).send(fields));
  });

  it('a genuine launch without an ltik still works, and the ltik alone still opens the course page', async () => {
    const { course, ltik: fresh } = await lti.launch(lti.lms.users.learner.id);
    expect(course.status).toBe(200);
    const page = await request(lti.app)
      .get(`/lti/course?ltik=${encodeURIComponent(fresh)}`)
      .accept('html');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Hello, /);
  });
});
