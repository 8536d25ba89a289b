import { sql } from 'drizzle-orm';
import { PROVISIONING_RETRY_JOB } from '../../../src/provisioning';
import { queryRows } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Provisioning that outlives a launch, and its retries, belong to the job runner: a shutdown waits
 * for the work in flight (so it is recorded, not cut off by the database closing), and a retry that
 * was not due yet is kept in the database for the next start.
 */
describe('provisioning in the background across a shutdown', () => {
  let h: ZoomHarness;
  beforeEach(async () => {
    h = await createZoomHarness({ env: { PROVISIONING_LAUNCH_WAIT_MS: '300' } });
    await h.connectS2S();
  });
  afterEach(() => h.close());

  function addInstructor(id: string) {
    h.lms.addUser({
      id,
      givenName: 'Shu',
      familyName: 'Down',
      name: 'Shu Down',
      email: `${id}@school.example.edu`,
      roles: [INSTRUCTOR],
    });
  }

  async function person(id: string) {
    const [row] = await queryRows<{
      status: string;
      last_outcome: string | null;
      lease_owner: string | null;
    }>(
      h.database.db,
      sql`select status, last_outcome, lease_owner from zoom_users where lms_user_id = ${id}`,
    );
    return row;
  }

  async function jobs() {
    return queryRows<{ key: string; status: string; lease_owner: string | null }>(
      h.database.db,
      sql`select key, status, lease_owner from background_jobs where kind = ${PROVISIONING_RETRY_JOB}`,
    );
  }

  it('when the tool stops while a launch’s provisioning continues, shutdown waits and the Zoom user is recorded', async () => {
    addInstructor('late1');
    h.zoom.injectFault({
      kind: 'latency',
      ms: 1_500,
      match: { method: 'POST', path: '/v2/users' },
      count: 1,
    });
    const { course } = await h.launch('late1');
    expect(course.text).toContain('Your Zoom account is being set up');
    const started = Date.now();
    expect(await h.built.jobs.stop()).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(await person('late1')).toMatchObject({
      status: 'pending',
      last_outcome: 'pending',
      lease_owner: null,
    });
  });

  /** The retry a held-back launch records (see the daily-limit test below), for one new instructor. */
  async function recordRetry(id: string, runAt: number) {
    const [school] = await queryRows<{ id: string }>(
      h.database.db,
      sql`select id from schools where name = 'moodle school'`,
    );
    await h.built.jobs.enqueue(
      PROVISIONING_RETRY_JOB,
      id,
      {
        schoolId: school?.id,
        issuer: h.lms.issuer,
        userId: id,
        role: 'instructor',
        email: `${id}@school.example.edu`,
        name: 'Shu Down',
      },
      runAt,
    );
  }

  it('when the tool stops during a background retry, the retry finishes first and its job is done', async () => {
    h.zoom.injectFault({
      kind: 'latency',
      ms: 1_200,
      match: { method: 'POST', path: '/v2/users' },
      count: 1,
    });
    await recordRetry('retry1', Date.now());
    await waitFor(async () => h.zoom.requests({ method: 'POST', path: '/v2/users' }).length > 0);
    const started = Date.now();
    expect(await h.built.jobs.stop()).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(300);
    expect(await person('retry1')).toMatchObject({ status: 'pending', lease_owner: null });
    expect(await jobs()).toEqual([]);
  });

  it('when the tool stops with a retry not yet due, the retry stays recorded and the next start runs it', async () => {
    await recordRetry('retry2', Date.now() + 60 * 60_000);
    expect(await h.built.jobs.stop()).toBe(true);
    expect(await jobs()).toMatchObject([{ key: 'retry2', status: 'pending', lease_owner: null }]);
    await h.database.db.execute(sql`update background_jobs set run_at = now()`);
    h.built.jobs.start();
    await waitFor(async () => (await person('retry2'))?.status === 'pending');
    await waitFor(async () => (await jobs()).length === 0);
  });
});

describe('a launch that Zoom’s daily limit holds back', () => {
  it('records a retry job for when the limit resets, and the page says the account is being set up', async () => {
    const h = await createZoomHarness({ plan: 'free', env: { PROVISIONING_LAUNCH_WAIT_MS: '2000' } });
    try {
      await h.connectS2S();
      // Free plan: 6,000 Light requests a day; scaled to 1, already spent by the connection check.
      h.zoom.setLimits(h.account.account_id, { scale: 1 / 6000 });
      h.lms.addUser({
        id: 'held1',
        givenName: 'Held',
        familyName: 'Back',
        name: 'Held Back',
        email: 'held1@school.example.edu',
        roles: [INSTRUCTOR],
      });
      const { course } = await h.launch('held1');
      expect(course.text).toContain('Your Zoom account is being set up');
      const [job] = await queryRows<{ key: string; run_at: Date | string }>(
        h.database.db,
        sql`select key, run_at from background_jobs where kind = ${PROVISIONING_RETRY_JOB}`,
      );
      expect(job?.key).toMatch(/\|held1$/);
      const nextMidnight = new Date(h.zoom.now());
      nextMidnight.setUTCHours(24, 0, 0, 0);
      expect(Math.abs(new Date(String(job?.run_at)).getTime() - nextMidnight.getTime())).toBeLessThan(5_000);
    } finally {
      await h.close();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error('did not happen in time');
}
