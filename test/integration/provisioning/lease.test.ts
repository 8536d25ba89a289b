import { sql } from 'drizzle-orm';
import { ProvisioningService, type Launcher } from '../../../src/provisioning';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One person is provisioned by one worker at a time: the lease on their row is renewed while Zoom
 * is slow to answer, so a second worker (another instance, or a retry) waits for the first instead
 * of sending a second create.
 */
describe('the provisioning lease while Zoom is slow', () => {
  let h: ZoomHarness;
  let schoolId: string;
  beforeAll(async () => {
    h = await createZoomHarness();
    await h.connectS2S();
    const [school] = await queryRows<{ id: string }>(
      h.database.db,
      sql`select id from schools where name = 'moodle school'`,
    );
    schoolId = String(school?.id);
  });
  afterAll(() => h.close());

  /** A worker as another instance of the tool would run it, with a short lease. */
  function worker(leaseMs: number) {
    return new ProvisioningService({
      db: h.database.db,
      client: h.built.zoom.client,
      connectionOf: (id) => h.built.zoom.connect.connectionOf(id),
      jobs: h.built.jobs,
      logger: createLogger({ level: 'silent' }),
      launchBudgetMs: 20_000,
      leaseMs,
    });
  }

  const launcher = (email: string): Launcher => ({
    schoolId,
    issuer: h.lms.issuer,
    userId: email,
    role: 'instructor',
    email,
    givenName: 'Lena',
    familyName: 'Lease',
    name: 'Lena Lease',
  });

  it('when a re-check’s lookup outlasts the lease, a second worker waits for it: one lookup, no create', async () => {
    const email = 'lena.lease@school.example.edu';
    // First launch: created straight away (pending users are looked up again on every launch).
    expect(await worker(300).ensureForLaunch(launcher(email))).toBe('pending');
    h.zoom.injectFault({
      kind: 'latency',
      ms: 1_200,
      match: { method: 'GET', path: '^/v2/users/lena' },
      count: 1,
    });
    h.zoom.clearRequests();
    const first = worker(300).ensureForLaunch(launcher(email));
    await sleep(700); // the first worker's 300 ms lease would have expired twice over
    const second = worker(300).ensureForLaunch(launcher(email));
    expect(await Promise.all([first, second])).toEqual(['pending', 'pending']);
    expect(h.zoom.requests({ method: 'GET', path: '/v2/users/lena' })).toHaveLength(1);
    expect(h.zoom.requests({ method: 'POST', path: '/v2/users' })).toHaveLength(0);
    expect(h.zoom.users(h.account.account_id).filter((user) => user.email === email)).toHaveLength(1);
  });

  it('when a create outlasts the lease, a second worker neither creates nor takes over', async () => {
    const email = 'cara.create@school.example.edu';
    h.zoom.injectFault({
      kind: 'latency',
      ms: 1_200,
      match: { method: 'POST', path: '/v2/users' },
      count: 1,
    });
    h.zoom.clearRequests();
    const first = worker(300).ensureForLaunch(launcher(email));
    await sleep(700);
    const second = worker(300).ensureForLaunch(launcher(email));
    expect(await Promise.all([first, second])).toEqual(['pending', 'pending']);
    expect(h.zoom.requests({ method: 'POST', path: '/v2/users' })).toHaveLength(1);
  });

  it('when another worker linked the person while this one was starting, this one looks up instead of creating', async () => {
    const email = 'sam.stale@school.example.edu';
    h.zoom.clearRequests();
    let firstDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (firstDone = resolve));
    // This worker reads the person (not there yet), then its connection lookup waits for the other one.
    const late = new ProvisioningService({
      db: h.database.db,
      client: h.built.zoom.client,
      connectionOf: async (id) => {
        await done;
        return h.built.zoom.connect.connectionOf(id);
      },
      jobs: h.built.jobs,
      logger: createLogger({ level: 'silent' }),
      launchBudgetMs: 20_000,
    });
    const second = late.ensureForLaunch(launcher(email));
    expect(await worker(60_000).ensureForLaunch(launcher(email))).toBe('pending');
    firstDone();
    expect(await second).toBe('pending');
    expect(h.zoom.requests({ method: 'POST', path: '/v2/users' })).toHaveLength(1);
    expect(h.zoom.requests({ method: 'GET', path: '/v2/users/sam' })).toHaveLength(1);
  });
});
