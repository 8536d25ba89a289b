import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import { drainJobs, meetingItem, meetingRow, rows, soonDate } from '../../support/meetings-fixtures';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';
import { newIntent } from '../../support/meetings-fixtures';

/**
 * Issue 19: a course whose attendance is off (attendance_settings.enabled false) has its meetings
 * made as before: no registration at Zoom, no registrant links, the students' Join button on the
 * meeting's own link.
 */
describe.each(databaseKinds())('attendance off for a course (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
  }, 60_000);
  afterAll(() => h.close());

  it('makes meetings without registration, links or the Join route', async () => {
    const staff = await h.page(h.lms.users.instructor.id);
    await rows(
      h,
      sql`insert into attendance_settings (school_id, lms_issuer, context_id, enabled)
          select school_id, lms_issuer, context_id, false from courses`,
    );
    const { response, id } = await h.schedule(staff, { topic: 'Music', date: soonDate() });
    expect(response.status).toBe(303);
    await drainJobs(h);
    const row = await meetingRow(h, id);
    const meeting = h.zoom
      .meetings(h.account.account_id)
      .find((m) => String(m.id) === String(row.zoom_meeting_id));
    expect(meeting?.settings.approval_type).toBe(2);
    expect(meeting?.registrants ?? []).toEqual([]);
    expect(await rows(h, sql`select 1 from meeting_registrants`)).toEqual([]);
    const student = await h.page(h.lms.users.learner.id);
    const card = meetingItem(student.text, id);
    expect(card).not.toContain('/join?ltik=');
    expect(card).toContain(String(row.join_url).replace(/&/g, '&amp;'));
  }, 60_000);

  it('turns registration on at the next edit once attendance is on, and makes the students’ links', async () => {
    await rows(h, sql`update attendance_settings set enabled = true`);
    const [meeting] = await rows<{ id: string; zoom_meeting_id: string }>(
      h,
      sql`select id, zoom_meeting_id from meetings where topic = 'Music'`,
    );
    const staff = await h.page(h.lms.users.instructor.id);
    const saved = await h.post(
      staff,
      `/meetings/${meeting?.id}`,
      meetingForm({ intent: newIntent(), topic: 'Music', date: soonDate() }),
    );
    expect(saved.status).toBe(303);
    await drainJobs(h);
    const patch = h.zoom
      .requests({ method: 'PATCH', path: `/v2/meetings/${meeting?.zoom_meeting_id}` })
      .at(-1);
    expect(patch?.status).toBe(204);
    const atZoom = h.zoom
      .meetings(h.account.account_id)
      .find((m) => String(m.id) === meeting?.zoom_meeting_id);
    expect(atZoom?.settings.approval_type).toBe(0);
    const made = await rows<{ lms_user_id: string; state: string }>(
      h,
      sql`select lms_user_id, state from meeting_registrants where meeting_id = ${meeting?.id}`,
    );
    expect(made).toEqual([{ lms_user_id: expect.any(String), state: 'ready' }]);
    const student = await h.page(h.lms.users.learner.id);
    expect(meetingItem(student.text, meeting?.id ?? '')).toContain(`/lti/meetings/${meeting?.id}/join?ltik=`);
  }, 60_000);

  it('makes a Basic (unlicensed) host’s meetings without registration, which Zoom takes only for licensed hosts', async () => {
    await rows(h, sql`update attendance_settings set enabled = true`);
    await rows(h, sql`update zoom_users set licence_type = 1`);
    try {
      const staff = await h.page(h.lms.users.instructor.id);
      const { response, id } = await h.schedule(staff, { topic: 'Basic host', date: soonDate() });
      expect(response.status).toBe(303);
      await drainJobs(h);
      const row = await meetingRow(h, id);
      const meeting = h.zoom
        .meetings(h.account.account_id)
        .find((m) => String(m.id) === String(row.zoom_meeting_id));
      expect(meeting?.settings.approval_type).toBe(2);
      expect(await rows(h, sql`select 1 from meeting_registrants where meeting_id = ${id}`)).toEqual([]);
      const card = meetingItem((await h.page(h.lms.users.learner.id)).text, id);
      expect(card).not.toContain('/join?ltik=');
    } finally {
      await rows(h, sql`update zoom_users set licence_type = 2`);
    }
  }, 60_000);
});
