import { sql } from 'drizzle-orm';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

/**
 * ltijs reports any failure while verifying a launch as an invalid token. When the failure is our
 * database's, the person must not be told their launch failed a security check: they are told the
 * database did not answer and to try again.
 */
describe('a launch while the database fails under ltijs', () => {
  let h: LtiHarness;
  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle' });
  });
  afterAll(() => h.close());

  it('answers 503 database_unavailable, and the next launch works', async () => {
    const { login, idToken, state } = await h.authorize(h.lms.users.learner.id, { locale: 'es-MX' });
    await h.database.db.execute(sql`alter table ltijs_documents rename to ltijs_documents_away`);
    let refused;
    try {
      refused = await h.postLaunch({ id_token: idToken, state }, login.cookie);
    } finally {
      await h.database.db.execute(sql`alter table ltijs_documents_away rename to ltijs_documents`);
    }
    expect(refused.status).toBe(503);
    expect(refused.text).toContain('database_unavailable');
    expect(refused.text).not.toContain('lti_launch_invalid');
    const { course } = await h.launch(h.lms.users.learner.id);
    expect(course.status).toBe(200);
  });
});
