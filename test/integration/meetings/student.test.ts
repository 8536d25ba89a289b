import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import {
  drainJobs,
  listedMeetings,
  meetingItem,
  newIntent,
  plain,
  rows,
  settleJobs,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

/** A student's page is read from our tables only: Zoom is never asked on the student path. */
describe.each(databaseKinds('one'))("a student's course page (%s)", (databaseKind) => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
  });
  afterAll(() => h.close());

  it('lists all 20 meetings of the course with Join links (through the tool, to their own Zoom links), and neither the launch nor the page asks Zoom anything', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    for (let n = 1; n <= 20; n += 1) {
      const { response } = await h.schedule(instructor, {
        intent: newIntent(),
        topic: `Class ${n}`,
        date: `2030-05-${String(n).padStart(2, '0')}`,
      });
      expect(response.status).toBe(303);
    }
    await drainJobs(h); // the instructor's reconciliation is over, retries on a busy machine too…
    // …and long ago, as far as the course knows: had the student's page asked for one, it would run.
    await rows(h, sql`update courses set reconciled_at = now() - interval '1 hour'`);
    const since = h.zoom.requests().at(-1)?.seq ?? 0;

    const student = await h.page(h.lms.users.learner.id);

    expect(h.zoom.requests({ since })).toEqual([]);
    const page = plain(student.text);
    const meetings = await h.meetingRows();
    expect(meetings).toHaveLength(20);
    expect(listedMeetings(page).sort()).toEqual(meetings.map((row) => String(row.id)).sort());
    const zoomIds = new Set(h.zoom.meetings(h.account.account_id).map((m) => String(m.id)));
    for (const row of meetings) {
      const joinUrl = String(row.join_url);
      expect(zoomIds.has(String(row.zoom_meeting_id))).toBe(true);
      expect(joinUrl).toMatch(new RegExp(`^${h.zoom.baseUrl}/j/${String(row.zoom_meeting_id)}\\?pwd=`));
      // The course takes attendance (the default): Join is the student's own link, through the tool.
      expect(meetingItem(page, String(row.id))).toMatch(
        new RegExp(
          `<a class="button join" href="[^"]*/lti/meetings/${String(row.id)}/join\\?ltik=[^"]+"[^>]*>Join</a>`,
        ),
      );
    }
    await settleJobs(h);
    expect(h.zoom.requests({ since })).toEqual([]);
  });
});
