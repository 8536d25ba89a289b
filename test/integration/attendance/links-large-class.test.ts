import { sql } from 'drizzle-orm';
import { LMS_ROLES } from '../../../src/sandbox/lms';
import { drainJobs, meetingRow, rows, soonDate } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * Issue 19: a large class gets its links with one POST a student, every one through the account's
 * pacer (Business: 80 Light calls a second), none refused for pace. How long 500 take is the
 * attendance bench's figure (bench/attendance.bench.ts), not a timed test's.
 */
const STUDENTS = 200;

describe(`attendance: links for ${STUDENTS} students`, () => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness();
    for (let i = 1; i <= STUDENTS; i += 1)
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

  it('registers every student once, never over the account’s pace', async () => {
    const { response, id } = await h.schedule(await h.page(h.lms.users.instructor.id), {
      topic: 'Big class',
      date: soonDate(),
    });
    expect(response.status).toBe(303);
    await drainJobs(h, 90_000);
    const [count] = await rows<{ n: string | number }>(
      h,
      sql`select count(*) as n from meeting_registrants where meeting_id = ${id} and state = 'ready'`,
    );
    expect(Number(count?.n)).toBe(STUDENTS + 1); // and the emulator's own learner
    const zoomId = String((await meetingRow(h, id)).zoom_meeting_id);
    const posts = h.zoom.requests({ method: 'POST', path: `/v2/meetings/${zoomId}/registrants` });
    expect(posts).toHaveLength(STUDENTS + 1);
    expect(posts.filter((p) => p.status === 429)).toEqual([]);
  }, 120_000);
});
