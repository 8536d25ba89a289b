import request from 'supertest';
import { databaseKinds } from '../../support/db';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

/** An instructor schedules class meetings from the course page; they are in Zoom and in the course. */
describe.each(databaseKinds('one'))('scheduling class meetings (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
  });
  afterAll(() => h.close());

  it('a weekly meeting is created in Zoom with the instructor as host, and listed with its occurrences', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    expect(page.text).toContain('Schedule meeting');
    const { response, id } = await h.schedule(page, {
      topic: 'Weekly biology',
      repeats: 'weekly',
      on: ['2', '4'],
      ends: 'after',
      endAfter: '8',
    });
    expect(response.status).toBe(303);
    const [zoomMeeting] = h.zoom.meetings(h.account.account_id).filter((m) => m.topic === 'Weekly biology');
    expect(zoomMeeting).toMatchObject({
      type: 8,
      timezone: 'America/New_York',
      duration: 60,
      password: 'abc123',
    });
    expect(zoomMeeting?.occurrences).toHaveLength(8);
    const listed = await request(h.app).get(String(response.headers.location)).accept('html');
    expect(listed.text).toContain('The meeting “Weekly biology” is scheduled.');
    expect(listed.text).toContain(`data-meeting="${id}"`);
    expect(listed.text).toMatch(/Every week on Monday, Wednesday/);
    expect(listed.text).not.toMatch(/\/s\/\d+\?zak=/); // a start_url is never rendered
  });
});
