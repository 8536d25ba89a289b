import { sql } from 'drizzle-orm';
import { ProvisioningService, type Launcher } from '../../../src/provisioning';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { ZoomClient } from '../../../src/zoom';
import { ZoomPacer } from '../../../src/zoom/zoom.pacer';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/**
 * A launch promises to wait for provisioning at most its budget, whatever holds it up: Zoom
 * itself, Zoom's rate limits (the pacer queue behind other launches), or another worker's lease on
 * the same person. Later, the page says "being set up" and provisioning finishes in the background.
 * The margin is generous (a shared 2-core machine); each case would take several times longer
 * without the deadline.
 */
const BUDGET_MS = 1_000;
const MARGIN_MS = 2_500;

describe('a launch waits for provisioning at most its budget', () => {
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
  afterEach(() => h.zoom.clearFaults());
  afterAll(() => h.close());

  function service(options: { client?: ZoomClient; budgetMs?: number } = {}) {
    return new ProvisioningService({
      db: h.database.db,
      client: options.client ?? h.built.zoom.client,
      connectionOf: (id) => h.built.zoom.connect.connectionOf(id),
      jobs: h.built.jobs,
      logger: createLogger({ level: 'silent' }),
      launchBudgetMs: options.budgetMs ?? BUDGET_MS,
    });
  }

  const launcher = (userId: string): Launcher => ({
    schoolId,
    issuer: h.lms.issuer,
    userId,
    role: 'instructor',
    email: `${userId}@school.example.edu`,
    givenName: 'Dee',
    familyName: userId,
    name: `Dee ${userId}`,
  });

  async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
    const started = Date.now();
    const value = await work;
    return { value, ms: Date.now() - started };
  }

  async function statusOf(userId: string): Promise<string | undefined> {
    const rows = await queryRows<{ status: string }>(
      h.database.db,
      sql`select status from zoom_users where lms_user_id = ${userId}`,
    );
    return rows[0]?.status;
  }

  async function eventually(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('did not happen in time');
  }

  it('when Zoom is slower than the budget, the launch answers "queued" in time and the user is created later', async () => {
    h.zoom.injectFault({
      kind: 'latency',
      ms: 5_000,
      match: { method: 'POST', path: '/v2/users' },
      count: 1,
    });
    const { value, ms } = await timed(service().ensureForLaunch(launcher('slowzoom')));
    expect(value).toBe('queued');
    expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
    await eventually(async () => (await statusOf('slowzoom')) === 'pending');
  }, 40_000);

  it('when launches queue behind each other under Zoom’s rate limit, each answers within its budget and all are created', async () => {
    // Two Light calls a second: ten first launches need five seconds of Zoom's limit.
    const client = new ZoomClient({
      apiUrl: `${h.zoom.baseUrl}/v2`,
      tokens: h.built.zoom.tokens,
      logger: createLogger({ level: 'silent' }),
      pacer: new ZoomPacer({ limits: { free: { light: 2 }, pro: { light: 2 }, business: { light: 2 } } }),
    });
    const paced = service({ client });
    const ids = Array.from({ length: 10 }, (_, i) => `paced${i}`);
    const launches = await Promise.all(ids.map((id) => timed(paced.ensureForLaunch(launcher(id)))));
    for (const { ms } of launches) expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
    const outcomes = launches.map((launch) => launch.value);
    expect(outcomes).toContain('queued');
    expect(outcomes.every((outcome) => outcome === 'queued' || outcome === 'pending')).toBe(true);
    await eventually(async () => (await Promise.all(ids.map(statusOf))).every((s) => s === 'pending'));
    const created = h.zoom.users(h.account.account_id).filter((user) => user.email.startsWith('paced'));
    expect(created).toHaveLength(10);
  }, 60_000);

  it('when another worker holds the person’s lease, the launch answers within its budget', async () => {
    h.zoom.injectFault({
      kind: 'latency',
      ms: 5_000,
      match: { method: 'POST', path: '/v2/users' },
      count: 1,
    });
    const holder = service({ budgetMs: 20_000 }).ensureForLaunch(launcher('leased'));
    await eventually(async () => (await statusOf('leased')) === 'provisioning');
    const { value, ms } = await timed(service().ensureForLaunch(launcher('leased')));
    expect(value).toBe('queued');
    expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
    expect(await holder).toBe('pending');
  }, 40_000);

  it('a launch that reached the tool earlier waits only what is left of its budget', async () => {
    h.zoom.injectFault({
      kind: 'latency',
      ms: 3_000,
      match: { method: 'POST', path: '/v2/users' },
      count: 1,
    });
    const budgetMs = 4_000;
    const { value, ms } = await timed(
      service({ budgetMs }).ensureForLaunch(launcher('late'), { startedAt: Date.now() - (budgetMs - 200) }),
    );
    expect(value).toBe('queued');
    expect(ms).toBeLessThan(200 + MARGIN_MS);
    await eventually(async () => (await statusOf('late')) === 'pending');
  }, 40_000);
});
