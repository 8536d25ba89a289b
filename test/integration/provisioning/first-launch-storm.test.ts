import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';
import { runTs } from '../../support/process';
import { TEST_MASTER_KEY } from '../../support/db';

/**
 * 20 simultaneous first launches of one instructor, 10 in each of two OS processes sharing one
 * PostgreSQL, run the launch's provisioning step: exactly one Zoom user is created. Runs when
 * TEST_DATABASE_URL is set (CI sets it).
 */
const postgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
if (!process.env.TEST_DATABASE_URL) {
  process.stderr.write(
    'first-launch-storm.test: TEST_DATABASE_URL is not set; the cross-process storm is not exercised\n',
  );
}

postgres('simultaneous first launches of one instructor', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness({ databaseKind: 'postgres' });
  });
  afterAll(() => h.close());

  it('20 launches over 2 processes create exactly one Zoom user', async () => {
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
    const admin = await h.adminLtik();
    await request(h.app)
      .post('/lti/zoom/s2s')
      .type('form')
      .send({
        ltik: admin,
        csrf: h.formToken(admin),
        accountId: h.account.account_id,
        clientId: s2s.client_id,
        clientSecret: s2s.client_secret,
      });
    const [school] = await queryRows<{ id: string }>(
      h.database.db,
      sql`select id from schools where name = 'moodle school'`,
    );
    h.zoom.clearRequests();
    const env = {
      DATABASE_URL: String(h.database.url),
      ENCRYPTION_KEY: TEST_MASTER_KEY.toString('hex'),
      ZOOM_OAUTH_URL: h.zoom.baseUrl,
      ZOOM_API_URL: `${h.zoom.baseUrl}/v2`,
      LOG_LEVEL: 'silent',
      SCHOOL_ID: String(school?.id),
      LMS_ISSUER: h.lms.issuer,
      LMS_USER: 'storm-teacher',
      EMAIL: 'storm.teacher@school.example.edu',
      CALLS: '10',
      START_AT: String(Date.now() + 8000),
    };
    const children = [
      runTs('test/support/provision-burst.ts', [], env),
      runTs('test/support/provision-burst.ts', [], env),
    ];
    expect(await Promise.all(children.map((child) => child.exited))).toEqual([0, 0]);
    const outcomes = children.flatMap(
      (child) =>
        (JSON.parse(child.output().trim().split('\n').pop() ?? '{}') as { outcomes: string[] }).outcomes,
    );
    expect(outcomes).toHaveLength(20);
    expect(new Set(outcomes)).toEqual(new Set(['pending']));
    expect(h.zoom.requests({ method: 'POST', path: '/v2/users' })).toHaveLength(1);
    expect(h.zoom.users(h.account.account_id).filter((user) => user.email === env.EMAIL)).toHaveLength(1);
  }, 120_000);
});
