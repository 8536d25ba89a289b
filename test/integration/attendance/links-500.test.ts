import { sql } from 'drizzle-orm';
import { LMS_ROLES } from '../../../src/sandbox/lms';
import { drainJobs, meetingRow, rows, soonDate } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * Issue 19: a class of 500 has its links well before class: every POST through the account's pacer
 * (Business: 80 Light calls a second), one a student, done in about a minute at most.
 */
describe('attendance: links for 500 students', () => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness();
    for (let i = 1; i <= 500; i += 1)
      h.lms.addUser({
        id: `s${i}`,
        givenName: 'S',
        familyName: String(i),
        name: `S ${i}`,
        email: `s${i}@school.example`,
        roles: [LMS_ROLES.membershipLearner],
      });
  }, 60_000);
  afterAll(() => h.close());

  it('registers all 500 within a minute, each once, never over the account’s pace', async () => {
    const started = Date.now();
    const { response, id } = await h.schedule(await h.page(h.lms.users.instructor.id), {
      topic: 'Big class',
      date: soonDate(),
    });
    expect(response.status).toBe(303);
    await drainJobs(h, 90_000);
    const elapsed = Date.now() - started;
    const [count] = await rows<{ n: string | number }>(
      h,
      sql`select count(*) as n from meeting_registrants where meeting_id = ${id} and state = 'ready'`,
    );
    expect(Number(count?.n)).toBe(501);
    const zoomId = String((await meetingRow(h, id)).zoom_meeting_id);
    const posts = h.zoom.requests({ method: 'POST', path: `/v2/meetings/${zoomId}/registrants` });
    expect(posts).toHaveLength(501);
    expect(posts.filter((p) => p.status === 429)).toEqual([]);
    expect(elapsed).toBeLessThan(60_000);
  }, 120_000);
});
