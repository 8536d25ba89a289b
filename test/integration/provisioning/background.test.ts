import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

/** When Zoom is slow or rate-limited, the course page opens anyway and provisioning finishes later. */
describe('provisioning in the background', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness({ env: { PROVISIONING_LAUNCH_WAIT_MS: '300' } });
    await h.connectS2S();
  });
  afterAll(() => h.close());

  async function statusOf(userId: string) {
    const rows = await queryRows<{ status: string }>(
      h.database.db,
      sql`select status from zoom_users where lms_user_id = ${userId}`,
    );
    return rows[0]?.status;
  }

  async function eventually(check: () => Promise<boolean>, ms = 15_000) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('did not happen in time');
  }

  it('a slow Zoom: the page opens at once, says so, and the user is created in the background', async () => {
    h.lms.addUser({
      id: 'slow1',
      givenName: 'Sly',
      familyName: 'Slow',
      name: 'Sly Slow',
      email: 'slow1@school.example.edu',
      roles: [INSTRUCTOR],
    });
    h.zoom.injectFault({ kind: 'latency', ms: 1500, match: { method: 'POST', path: '/v2/users' }, count: 1 });
    const started = Date.now();
    const { course } = await h.launch('slow1');
    expect(Date.now() - started).toBeLessThan(1400);
    expect(course.status).toBe(200);
    expect(course.text).toContain('Your Zoom account is being set up');
    await eventually(async () => (await statusOf('slow1')) === 'pending');
    const again = await h.launch('slow1');
    expect(again.course.text).toContain('Activate your Zoom account');
  });

  it('rate-limited by Zoom: no launch fails, no 429 is shown, and every user ends up created', async () => {
    h.zoom.setLimits(h.account.account_id, { scale: 0.1 });
    const ids = Array.from({ length: 8 }, (_, i) => `busy${i}`);
    for (const id of ids) {
      h.lms.addUser({
        id,
        givenName: 'Busy',
        familyName: id,
        name: `Busy ${id}`,
        email: `${id}@school.example.edu`,
        roles: [INSTRUCTOR],
      });
    }
    const launches = await Promise.all(ids.map((id) => h.launch(id)));
    for (const { course } of launches) {
      expect(course.status).toBe(200);
      expect(course.text).not.toMatch(/429|Too Many Requests|rate limit/i);
      expect(course.text).toMatch(/Activate your Zoom account|Your Zoom account is being set up/);
    }
    await eventually(async () => {
      const statuses = await Promise.all(ids.map(statusOf));
      return statuses.every((status) => status === 'pending');
    }, 40_000);
    const created = h.zoom.users(h.account.account_id).filter((user) => user.email.startsWith('busy'));
    expect(created).toHaveLength(8);
    h.zoom.setLimits(h.account.account_id, { scale: 1 });
  }, 60_000);
});
