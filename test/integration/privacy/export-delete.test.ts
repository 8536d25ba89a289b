import { sql } from 'drizzle-orm';
import request from 'supertest';
import { runCliWith } from '../../../src/cli';
import type { PrivacyService } from '../../../src/privacy';
import { signZoomWebhook } from '../../../src/zoom/zoom.webhooks.service';
import { databaseKinds } from '../../support/db';
import { drainJobs, rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';
import { classFixture, instancesOf, waitFor } from '../attendance/class-fixture';

/**
 * Issue 20's privacy acceptance, through the whole path in the emulated Canvas (opaque user ids) and
 * the Zoom simulator: a student who attended a recorded class (sessions and results from Zoom's
 * events), was graded (the Attendance column sent through AGS), and the instructor who hosted it.
 * `privacy export` lists all of it; after `privacy delete --yes`, a search of every text, jsonb and
 * uuid column of every table (the ltijs tables included) for their LMS id, name and email finds
 * only what the command said it kept.
 */
const priya = { id: 'privacy-priya', name: 'Priya Privacyton', email: 'priya.privacyton@school.example.edu' };
const other = { id: 'privacy-omar', name: 'Omar Otherstudent', email: 'omar.other@school.example.edu' };

/** What `privacy export` prints, parsed (its dates are strings then, which these tests do not read). */
type Exported = Awaited<ReturnType<PrivacyService['export']>>;

function capture() {
  const run = { out: '', err: '' };
  return { run, io: { out: (t: string) => (run.out += t), err: (t: string) => (run.err += t) } };
}

/** Every (table, column) of the public schema whose text holds `needle` (case-insensitive), with counts. */
async function search(h: MeetingsHarness, needles: string[]): Promise<Record<string, number>> {
  const columns = await rows<{ table_name: string; column_name: string }>(
    h,
    sql`select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
          and c.data_type in ('text', 'jsonb', 'json', 'uuid', 'character varying', 'ARRAY')
        order by c.table_name, c.column_name`,
  );
  expect(columns.map((c) => c.table_name)).toEqual(
    expect.arrayContaining(['ltijs_documents', 'grade_scores']),
  );
  const found: Record<string, number> = {};
  for (const { table_name: table, column_name: column } of columns) {
    for (const needle of needles) {
      const [row] = await rows<{ n: string | number }>(
        h,
        sql`select count(*) as n from ${sql.identifier(table)}
            where strpos(lower(${sql.identifier(column)}::text), ${needle.toLowerCase()}) > 0`,
      );
      const n = Number(row?.n ?? 0);
      if (n > 0) found[`${table}.${column}`] = (found[`${table}.${column}`] ?? 0) + n;
    }
  }
  return found;
}

describe.each(databaseKinds('both'))('privacy export and delete of one LMS user (%s)', (kind) => {
  let h: MeetingsHarness;
  let school: string;
  let issuer: string;
  const sub = new Map<string, string>();

  beforeAll(async () => {
    h = await createMeetingsHarness({ profile: 'canvas', databaseKind: kind });
    for (const s of [priya, other])
      h.lms.addUser({
        id: s.id,
        givenName: s.name.split(' ')[0]!,
        familyName: s.name.split(' ')[1]!,
        name: s.name,
        email: s.email,
        roles: [...h.lms.users.learner.roles],
      });

    // A recorded class of 10 minutes, counted in one Attendance column.
    const fixture = await classFixture(h);
    const meeting = await fixture.schedule('Privacy seminar', 10, { autoRecord: 'on' });
    const staff = await h.page(h.lms.users.instructor.id);
    const saved = await h.post(staff, '/attendance/settings', {
      presentPercent: '75',
      lateMinutes: '10',
      counted: [meeting.id],
      gradeMode: 'course',
    });
    expect(saved.status).toBe(303);
    await fixture.runJobs('attendance.roster', 'attendance.links');
    await drainJobs(h);
    const links = new Map<string, string>();
    for (const s of [priya, other]) {
      const page = await h.page(s.id);
      const click = await request(h.app).get(
        `/lti/meetings/${meeting.id}/join?ltik=${encodeURIComponent(page.ltik)}`,
      );
      expect(click.status).toBe(303);
      links.set(s.id, String(click.headers.location));
    }
    await fixture.startTime(meeting);
    await h.zoom.playClass(meeting.zoomId, {
      end_at: 600,
      attendees: [
        { join_url: links.get(priya.id)!, join_at: 0 },
        { join_url: links.get(other.id)!, join_at: 30, leave_at: 590 },
      ],
    });
    await fixture.redeliver();
    // Zoom's recording.completed came with the simulator's clock too: sent again, fresh, as Zoom retries.
    for (const attempt of h.zoom.webhookDeliveries({ client_id: fixture.clientId })) {
      if (attempt.ok || !attempt.event.startsWith('recording.')) continue;
      const timestamp = String(Math.floor(Date.now() / 1000));
      await request(h.app)
        .post(fixture.path)
        .set('content-type', 'application/json')
        .set('x-zm-request-timestamp', timestamp)
        .set('x-zm-signature', signZoomWebhook(fixture.secret, timestamp, attempt.body))
        .send(attempt.body);
    }
    await fixture.runJobs('attendance.finalize');
    await fixture.runJobs('attendance.grades');
    await waitFor(
      async () =>
        (await rows(h, sql`select 1 from meeting_recordings where meeting_id = ${meeting.id}`)).length > 0,
    );
    const [instance] = await instancesOf(h, meeting.id);
    expect(instance?.final_at).not.toBeNull();
    for (const s of [priya, other, h.lms.users.instructor]) {
      const [person] = await rows<{ lms_user_id: string }>(
        h,
        sql`select lms_user_id from course_people where name = ${s.name}`,
      );
      sub.set(s.id, String(person?.lms_user_id));
    }
    school = meeting.schoolId;
    issuer = meeting.lmsIssuer;
  }, 180_000);
  afterAll(() => h?.close());

  const cli = async (args: string[]) => {
    const { run, io } = capture();
    const code = await runCliWith(args, h.built, io);
    return { code, ...run };
  };
  const subjectArgs = (user: string) => ['--school', school, '--issuer', issuer, '--user', user];

  it("exports a student's roster rows, registrant link (sealed), sessions, results, score, recording and launches", async () => {
    const { code, out, err } = await cli(['privacy', 'export', ...subjectArgs(sub.get(priya.id)!)]);
    expect([code, err]).toEqual([0, '']);
    const data = JSON.parse(out) as Exported;
    expect(data.knownAs.names).toContain(priya.name.toLowerCase());
    expect(data.knownAs.emails).toContain(priya.email);
    expect(data.coursePeople).toHaveLength(1);
    expect(data.registrantLinks).toEqual([
      expect.objectContaining({ topic: 'Privacy seminar', join_url: 'sealed' }),
    ]);
    expect(out).not.toMatch(/\/w\/\d+\?tk=/);
    expect(data.attendanceSessions.length).toBeGreaterThan(0);
    expect(data.attendanceSessions.every((s) => s.display_name === priya.name)).toBe(true);
    expect(data.attendanceResults).toEqual([expect.objectContaining({ status: 'present' })]);
    expect(data.gradeScores).toEqual([expect.objectContaining({ label: 'Attendance', score_given: 100 })]);
    expect(data.recordings.ofClassesTheyAttended).toHaveLength(1);
    expect(data.ltijsLaunchSessions.length).toBeGreaterThan(0);
    expect(data.zoomUser).toBeNull();
    expect(out).not.toContain(other.name);
  });

  it("exports an instructor's Zoom user (no lease or secret), the meeting they host and its recording", async () => {
    const { code, out } = await cli([
      'privacy',
      'export',
      ...subjectArgs(sub.get(h.lms.users.instructor.id)!),
    ]);
    expect(code).toBe(0);
    const data = JSON.parse(out) as Exported;
    expect(data.zoomUser).toMatchObject({ name: h.lms.users.instructor.name, status: 'active' });
    expect(Object.keys(data.zoomUser ?? {})).not.toContain('lease_owner');
    expect(data.meetingsHostedOrScheduled).toEqual([expect.objectContaining({ topic: 'Privacy seminar' })]);
    expect(data.recordings.ofMeetingsTheyHosted).toHaveLength(1);
  });

  it('refuses an unknown school in words; without --yes deletes nothing', async () => {
    const unknown = await cli([
      'privacy',
      'export',
      '--school',
      'Nowhere',
      '--issuer',
      issuer,
      '--user',
      'x',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no school with the id or name “Nowhere”/);
    const missing = await cli(['privacy', 'delete', '--school', school, '--issuer', issuer]);
    expect(missing.code).toBe(2);
    const before = await search(h, [sub.get(priya.id)!]);
    const dry = await cli(['privacy', 'delete', ...subjectArgs(sub.get(priya.id)!)]);
    expect(dry.code).toBe(2);
    expect(dry.out).toMatch(/Nothing was deleted\. Run again with --yes/);
    expect(await search(h, [sub.get(priya.id)!])).toEqual(before);
  });

  it('deletes the student: only the score the LMS holds is left, as the output says', async () => {
    const id = sub.get(priya.id)!;
    // Before: the search finds them where the whole path put them.
    expect(Object.keys(await search(h, [id, priya.name, priya.email]))).toEqual(
      expect.arrayContaining([
        'attendance_results.lms_user_id',
        'attendance_sessions.display_name',
        'course_people.name',
        'grade_scores.lms_user_id',
        'ltijs_documents.doc',
        'meeting_registrants.lms_user_id',
      ]),
    );
    const { code, out, err } = await cli([
      'privacy',
      'delete',
      ...subjectArgs(id),
      '--yes',
      '--by',
      'dpo@school',
    ]);
    expect([code, err]).toEqual([0, '']);
    expect(out).toMatch(/Removed:\n(.|\n)*attendance_sessions: \d+/);
    expect(out).toMatch(/Kept:\n {2}grade_scores: 1\n/);
    expect(out).toMatch(/Kept: 1 score\(s\) already sent to the LMS/);
    expect(out).not.toContain(priya.name);
    expect(await search(h, [id, priya.name, priya.email])).toEqual({ 'grade_scores.lms_user_id': 1 });
    // The classmate's attendance is untouched.
    expect(await search(h, [sub.get(other.id)!])).toMatchObject({
      'course_people.lms_user_id': 1,
      'attendance_results.lms_user_id': 1,
    });
    const [erasure] = await rows<Record<string, unknown>>(h, sql`select * from privacy_erasures`);
    expect(erasure).toMatchObject({
      school_id: school,
      requested_by: 'dpo@school',
      kept: { grade_scores: 1 },
    });
    expect(String(erasure?.subject_hash)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(erasure)).not.toContain(id);
  });

  it('deletes the instructor: their meeting and its recording stay for the class, anonymised', async () => {
    const instructor = h.lms.users.instructor;
    const id = sub.get(instructor.id)!;
    expect(Object.keys(await search(h, [id, instructor.name, instructor.email!]))).toEqual(
      expect.arrayContaining([
        'meetings.host_lms_user_id',
        'meetings.host_name',
        'zoom_users.email',
        'ltijs_documents.doc',
      ]),
    );
    const { code, out } = await cli(['privacy', 'delete', ...subjectArgs(id), '--yes']);
    expect(code).toBe(0);
    expect(out).toMatch(/Kept: 1 meeting\(s\) they host/);
    expect(out).toMatch(/zoom_users: 1/);
    expect(await search(h, [id, instructor.name, instructor.email!])).toEqual({});
    const [meeting] = await rows<Record<string, unknown>>(
      h,
      sql`select host_lms_user_id, host_name, scheduled_by, state from meetings`,
    );
    expect(meeting).toMatchObject({ host_name: '', scheduled_by: 'erased' });
    expect(String(meeting?.host_lms_user_id)).toMatch(/^erased:[0-9a-f]{16}$/);
    expect(await rows(h, sql`select 1 from meeting_recordings`)).toHaveLength(1);
  });
});
