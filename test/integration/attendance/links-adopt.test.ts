import { sql } from 'drizzle-orm';
import { LMS_ROLES } from '../../../src/sandbox/lms';
import { databaseKinds } from '../../support/db';
import { drainJobs, meetingRow, rows, soonDate } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

interface RegistrantRow {
  lms_user_id: string;
  email: string;
  state: string;
  registrant_id: string | null;
  attempts: number;
}

/**
 * Issue 19: a registrant POST Zoom may have applied although no answer came is never sent again
 * blindly: the meeting's registrants are listed and the one with our email adopted. One Zoom never
 * got (a 5xx that did nothing) is sent once more, only after the list shows it absent.
 */
describe.each(databaseKinds())('attendance: unanswered registrant POSTs (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    for (let i = 1; i <= 6; i += 1)
      h.lms.addUser({
        id: `pupil-${i}`,
        givenName: 'Pupil',
        familyName: String(i),
        name: `Pupil ${i}`,
        email: `pupil${i}@school.example`,
        roles: [LMS_ROLES.membershipLearner],
      });
  }, 60_000);
  afterAll(() => h.close());

  const schedule = async (topic: string) => {
    const { response, id } = await h.schedule(await h.page(h.lms.users.instructor.id), {
      topic,
      date: soonDate(),
    });
    expect(response.status).toBe(303);
    await drainJobs(h);
    return { id, zoomId: String((await meetingRow(h, id)).zoom_meeting_id) };
  };
  const registrantsOf = (id: string) =>
    rows<RegistrantRow>(
      h,
      sql`select * from meeting_registrants where meeting_id = ${id} order by lms_user_id`,
    );
  const atZoom = (zoomId: string) =>
    h.zoom.meetings(h.account.account_id).find((m) => String(m.id) === zoomId)?.registrants ?? [];

  it('adopts a registrant whose POST Zoom made but never answered, without sending it again', async () => {
    h.zoom.injectFault({
      kind: 'commit_then_drop',
      match: { method: 'POST', path: '^/v2/meetings/\\d+/registrants$' },
      count: 1,
    });
    const { id, zoomId } = await schedule('Chemistry');
    const made = await registrantsOf(id);
    expect(made).toHaveLength(7);
    expect(made.every((r) => r.state === 'ready' && r.registrant_id)).toBe(true);
    expect(made.every((r) => r.attempts === 1)).toBe(true);
    const posts = h.zoom.requests({ method: 'POST', path: `/v2/meetings/${zoomId}/registrants` });
    expect(posts).toHaveLength(7);
    expect(posts.filter((p) => p.status === 0)).toHaveLength(1);
    expect(
      h.zoom.requests({ method: 'GET', path: `/v2/meetings/${zoomId}/registrants` }).length,
    ).toBeGreaterThan(0);
    expect(atZoom(zoomId)).toHaveLength(7);
    // The adopted one is Zoom's registrant for that email.
    const zoomIds = new Map(atZoom(zoomId).map((r) => [r.email, r.id]));
    for (const row of made) expect(zoomIds.get(row.email)).toBe(row.registrant_id);
  }, 60_000);

  it('sends once more, after the list shows Zoom never got it (a 5xx that did nothing)', async () => {
    h.zoom.injectFault({
      kind: 'status5xx',
      status: 502,
      match: { method: 'POST', path: '^/v2/meetings/\\d+/registrants$' },
      count: 1,
    });
    const { id, zoomId } = await schedule('Physics');
    const made = await registrantsOf(id);
    expect(made.every((r) => r.state === 'ready')).toBe(true);
    expect(made.map((r) => r.attempts).sort()).toEqual([1, 1, 1, 1, 1, 1, 2]);
    expect(h.zoom.requests({ method: 'POST', path: `/v2/meetings/${zoomId}/registrants` })).toHaveLength(8);
    expect(atZoom(zoomId)).toHaveLength(7);
  }, 60_000);

  it('makes the links of a meeting whose create Zoom made without answering (found on the host)', async () => {
    h.zoom.injectFault({
      kind: 'commit_then_drop',
      match: { method: 'POST', path: '^/v2/users/[^/]+/meetings$' },
      count: 1,
    });
    const { id, zoomId } = await schedule('Geography');
    const made = await registrantsOf(id);
    expect(made).toHaveLength(7);
    expect(made.every((r) => r.state === 'ready')).toBe(true);
    expect(atZoom(zoomId)).toHaveLength(7);
  }, 60_000);
});
