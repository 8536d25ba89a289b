import { sql } from 'drizzle-orm';
import { rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * A staff launch records the course's LTI services (for the roster and grades, read in the
 * background); a student's launch writes nothing of the course.
 */
describe("the course's LTI services, as a staff launch names them", () => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness();
  });
  afterAll(() => h.close());

  const courseRow = async () =>
    (
      await rows(
        h,
        sql`select client_id, deployment_id, memberships_url, line_items_url, ags_scopes from courses`,
      )
    )[0];

  it('keeps the registration, deployment, Names and Roles URL, line items URL and granted AGS scopes', async () => {
    await rows(
      h,
      sql`update courses set client_id = null, deployment_id = null, memberships_url = null, line_items_url = null, ags_scopes = '[]'::jsonb`,
    );
    await h.page(h.lms.users.learner.id);
    expect(await courseRow()).toMatchObject({ client_id: null, memberships_url: null, ags_scopes: [] });

    await h.page(h.lms.users.instructor.id);

    const row = await courseRow();
    expect(row).toMatchObject({
      client_id: expect.any(String),
      deployment_id: expect.any(String),
      memberships_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
      line_items_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
    });
    expect(row?.ags_scopes).toEqual(
      expect.arrayContaining(['https://purl.imsglobal.org/spec/lti-ags/scope/score']),
    );
  });

  it('follows what a later launch says (a scope the LMS no longer grants is dropped)', async () => {
    await rows(h, sql`update courses set ags_scopes = '["x"]'::jsonb, line_items_url = null`);
    await h.page(h.lms.users.instructor.id);
    const row = await courseRow();
    expect(row?.ags_scopes).not.toContain('x');
    expect(row?.line_items_url).toEqual(expect.any(String));
  });
});
