import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/**
 * An instructor's wait for their Zoom user counts from their click (the login), not from the
 * moment the launch reached the tool: time the LMS and the login already took is not waited again.
 */
const WAIT_MS = 4_000;

describe('an instructor’s launch waits for provisioning from the login on', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness({ env: { PROVISIONING_LAUNCH_WAIT_MS: String(WAIT_MS) } });
    await h.connectS2S();
  });
  afterEach(() => h.zoom.clearFaults());
  afterAll(() => h.close());

  it('when the launch arrives 3 s after the login and Zoom is slow, it answers about 1 s later, not 4', async () => {
    h.lms.addUser({
      id: 'late-teacher',
      givenName: 'Lee',
      familyName: 'Late',
      name: 'Lee Late',
      email: 'late-teacher@school.example.edu',
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
    });
    // Slower than the whole wait (the launch must answer "being set up" at its deadline), and no
    // slower: the harness's close waits for the request in flight.
    h.zoom.injectFault({ kind: 'latency', ms: WAIT_MS + 2_000, match: { path: '/v2/users' } });
    const { login, idToken, state } = await h.authorize('late-teacher');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const started = Date.now();
    const launched = await h.postLaunch({ id_token: idToken, state }, login.cookie);
    const waited = Date.now() - started;
    expect(launched.status).toBe(303);
    expect(waited).toBeLessThan(WAIT_MS - 1_500);
  }, 40_000);
});
