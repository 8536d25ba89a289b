import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import { databaseKinds } from '../../support/db';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
/** The tool's Zoom client timeout here (ZOOM_API_TIMEOUT_MS): a late answer comes after it. */
const ZOOM_TIMEOUT_MS = 2_000;

/**
 * Found by the fault storm: Zoom made an instructor's user but its answer was lost (or came after
 * the client gave up). The launch says Zoom did not answer; a durable retry then finds the user and
 * links them, so Zoom never keeps a user the tool does not know, even if that person never comes back.
 */
describe.each(databaseKinds('one'))('when Zoom makes a user but its answer is lost (%s)', (databaseKind) => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness({ databaseKind, env: { ZOOM_API_TIMEOUT_MS: String(ZOOM_TIMEOUT_MS) } });
    await h.connectS2S();
  });
  afterAll(() => h.close());
  afterEach(() => h.zoom.clearFaults());

  const rowOf = async (userId: string) =>
    (
      await queryRows<{ status: string; zoom_user_id: string | null; last_outcome: string }>(
        h.database.db,
        sql`select status, zoom_user_id, last_outcome from zoom_users where lms_user_id = ${userId}`,
      )
    )[0];
  const retryJobs = () =>
    queryRows<{ n: string | number }>(
      h.database.db,
      sql`select count(*) as n from background_jobs where kind = 'provisioning.retry' and status = 'pending'`,
    ).then((r) => Number(r[0]?.n ?? 0));

  async function runRetriesNow() {
    await queryRows(
      h.database.db,
      sql`update background_jobs set run_at = now() where kind = 'provisioning.retry'`,
    );
    const until = Date.now() + 15_000;
    while ((await retryJobs()) > 0) {
      if (Date.now() > until) throw new Error('the retry did not run');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it.each([
    ['dropped', { kind: 'commit_then_drop' as const }],
    ['late', { kind: 'commit_then_delay' as const, ms: ZOOM_TIMEOUT_MS + 1_000 }],
  ])(
    'answer %s: the launch says Zoom did not answer, and a retry links the user Zoom made',
    async (name, fault) => {
      const id = `lost-${name}-${databaseKind}`;
      const email = `${id}@school.example.edu`;
      h.lms.addUser({
        id,
        givenName: 'Lost',
        familyName: name,
        name: `Lost ${name}`,
        email,
        roles: [INSTRUCTOR],
      });
      h.zoom.injectFault({ ...fault, match: { method: 'POST', path: '/v2/users' }, count: 1 });

      const { course } = await h.launch(id);

      const made = h.zoom.users(h.account.account_id).filter((u) => u.email === email);
      expect(made).toHaveLength(1);
      if (name === 'dropped') {
        expect(course.text).toContain('Zoom did not answer');
        expect(await rowOf(id)).toMatchObject({ zoom_user_id: null, last_outcome: 'zoom_unavailable' });
      }
      // (A late answer outlives the launch's wait: the attempt ends in the background.)
      const until = Date.now() + 20_000;
      while ((await retryJobs()) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(await retryJobs()).toBe(1);
      expect(await rowOf(id)).toMatchObject({ zoom_user_id: null, last_outcome: 'zoom_unavailable' });

      await runRetriesNow();

      expect(await rowOf(id)).toMatchObject({ zoom_user_id: made[0]?.id, status: 'pending' });
      expect(h.zoom.users(h.account.account_id).filter((u) => u.email === email)).toHaveLength(1);
    },
    40_000,
  );
});
