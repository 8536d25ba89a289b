import request from 'supertest';
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
  join_url_sealed: string | null;
  attempts: number;
}

/**
 * Issue 19: each student's own Zoom registrant link, made ahead from the course's roster (Names and
 * Roles) once a meeting is scheduled, and the Join click through it: one read of our table and a
 * 303 to the student's own link, never a Zoom request, never the link in a log line.
 */
describe.each(databaseKinds('one'))('attendance: registrant links made ahead (%s)', (databaseKind) => {
  const logLines: string[] = [];
  let h: MeetingsHarness;
  let meetingId: string;
  let zoomId: string;
  const students = Array.from({ length: 30 }, (_, i) => ({
    id: `student-${String(i + 1).padStart(2, '0')}`,
    givenName: 'Student',
    familyName: `Number ${i + 1}`,
    name: `Student Number ${i + 1}`,
    email: `student${i + 1}@school.example`,
    roles: [LMS_ROLES.membershipLearner],
  }));

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind, logLines });
    for (const student of students) h.lms.addUser(student);
    const staff = await h.page(h.lms.users.instructor.id);
    const { response, id } = await h.schedule(staff, { topic: 'Biology 101', date: soonDate() });
    expect(response.status).toBe(303);
    meetingId = id;
    await drainJobs(h);
    zoomId = String((await meetingRow(h, id)).zoom_meeting_id);
  }, 120_000);
  afterAll(() => h.close());

  const registrants = () =>
    rows<RegistrantRow>(
      h,
      sql`select * from meeting_registrants where meeting_id = ${meetingId} order by lms_user_id`,
    );
  const simRegistrants = () =>
    (h.zoom.meetings(h.account.account_id).find((m) => String(m.id) === zoomId)?.registrants ?? []) as Array<{
      id: string;
      email: string;
      first_name: string;
      last_name: string;
      token: string;
    }>;

  it('makes the meeting with registration at Zoom (automatic approval, one registration, no mails)', () => {
    const meeting = h.zoom.meetings(h.account.account_id).find((m) => String(m.id) === zoomId);
    expect(meeting?.settings).toMatchObject({
      approval_type: 0,
      registration_type: 1,
      registrants_confirmation_email: false,
      registrants_email_notification: false,
    });
  });

  it('reads the roster and registers every student ahead, each under our secondary id, not their email', async () => {
    const people = await rows<{ lms_user_id: string; is_student: boolean; state: string }>(
      h,
      sql`select lms_user_id, is_student, state from course_people where is_student`,
    );
    // The 30 added and the emulator's own learner.
    expect(people).toHaveLength(31);
    const made = await registrants();
    expect(made).toHaveLength(31);
    expect(made.every((r) => r.state === 'ready' && r.registrant_id && r.join_url_sealed)).toBe(true);
    expect(made.every((r) => /^u-[a-z2-7]{26}@registrants\.localhost$/.test(r.email))).toBe(true);
    expect(new Set(made.map((r) => r.email)).size).toBe(31);
    // The sealed link is not the link.
    expect(made.some((r) => r.join_url_sealed?.includes('tk='))).toBe(false);

    const atZoom = simRegistrants();
    expect(atZoom).toHaveLength(31);
    const realEmails = new Set(students.map((s) => s.email.toLowerCase()));
    expect(atZoom.some((r) => realEmails.has(r.email))).toBe(false);
    expect(atZoom.map((r) => r.email).sort()).toEqual(made.map((r) => r.email).sort());
    const ana = atZoom.find((r) => r.last_name === '7');
    expect(ana).toMatchObject({ first_name: 'Student Number' });
  });

  it('sends one POST per student, never two', async () => {
    const posts = h.zoom.requests({ method: 'POST', path: `/v2/meetings/${zoomId}/registrants` });
    expect(posts).toHaveLength(31);
    expect((await registrants()).every((r) => r.attempts === 1)).toBe(true);
  });

  it('sends each student from the Join button to their own link, without a Zoom request on the page or the clicks', async () => {
    const sessions: Array<{ ltik: string; token: string }> = [];
    for (const student of students.slice(0, 10)) {
      const before = h.zoom.requests().length;
      const page = await h.page(student.id);
      expect(h.zoom.requests()).toHaveLength(before);
      expect(page.text).toContain(`/lti/meetings/${meetingId}/join?ltik=`);
      const response = await request(h.app).get(
        `/lti/meetings/${meetingId}/join?ltik=${encodeURIComponent(page.ltik)}`,
      );
      expect(response.status).toBe(303);
      const location = new URL(String(response.headers.location));
      expect(location.pathname).toBe(`/w/${zoomId}`);
      const [row] = await rows<RegistrantRow>(
        h,
        sql`select * from meeting_registrants where meeting_id = ${meetingId} and lms_user_id = ${student.id}`,
      );
      const own = simRegistrants().find((r) => r.email === row?.email);
      expect(location.searchParams.get('tk')).toBe(own?.token);
      expect(response.headers['cache-control']).toBe('no-store');
      sessions.push({ ltik: page.ltik, token: own?.token ?? '' });
    }
    expect(new Set(sessions.map((s) => s.token)).size).toBe(10);

    const before = h.zoom.requests().length;
    for (let click = 0; click < 500; click += 1) {
      const session = sessions[click % sessions.length];
      const response = await request(h.app).get(
        `/lti/meetings/${meetingId}/join?ltik=${encodeURIComponent(session?.ltik ?? '')}`,
      );
      expect(response.status).toBe(303);
      expect(String(response.headers.location)).toContain(`tk=${session?.token}`);
    }
    expect(h.zoom.requests()).toHaveLength(before);
  }, 120_000);

  it('keeps staff on the meeting’s own link', async () => {
    const staff = await h.page(h.lms.users.instructor.id);
    expect(staff.text).not.toContain(`/lti/meetings/${meetingId}/join`);
    const ta = await h.page(h.lms.users.ta.id);
    const response = await request(h.app).get(
      `/lti/meetings/${meetingId}/join?ltik=${encodeURIComponent(ta.ltik)}`,
    );
    expect(response.status).toBe(303);
    expect(String(response.headers.location)).not.toContain('tk=');
  });

  it('never writes a join link into a log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((line) => line.includes('tk=') || line.includes('/w/'))).toEqual([]);
  });

  it('makes no links yet for a meeting more than a week ahead: its job is due a week before it, and a click before then still gets the student their own link', async () => {
    const before = h.zoom.requests().filter((r) => r.path.endsWith('/registrants')).length;
    const staff = await h.page(h.lms.users.instructor.id);
    const later = await h.schedule(staff, { topic: 'Biology 102', date: soonDate(30) });
    expect(later.response.status).toBe(303);
    const [job] = await rows<{ run_at: Date | string }>(
      h,
      sql`select run_at from background_jobs where kind = 'attendance.links' and key = ${later.id}`,
    );
    const row = await meetingRow(h, later.id);
    const weekBefore = new Date(String(row.start_time)).getTime() - 7 * 24 * 60 * 60_000;
    expect(Math.abs(new Date(String(job?.run_at)).getTime() - weekBefore)).toBeLessThan(5_000);
    expect(h.zoom.requests().filter((r) => r.path.endsWith('/registrants'))).toHaveLength(before);
    expect(await rows(h, sql`select * from meeting_registrants where meeting_id = ${later.id}`)).toEqual([]);

    const student = await h.page(students[0]!.id);
    const click = await request(h.app).get(
      `/lti/meetings/${later.id}/join?ltik=${encodeURIComponent(student.ltik)}`,
    );
    expect(click.status).toBe(303);
    expect(String(click.headers.location)).toMatch(/\/w\/\d+\?tk=/);
  }, 60_000);
});
