import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import { rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';
import {
  courseOf,
  get,
  launchInto,
  pendingJobs,
  post,
  seedInstance,
  seedMeeting,
  seedPeople,
  seedResult,
  type Course,
} from './pages-seed';

interface ResultRow {
  status: string;
  override_status: string | null;
  override_reason: string | null;
  override_by: string | null;
  override_at: Date | string | null;
}

/**
 * Issue 19, what an instructor changes: a student marked excused or present with a reason (or the
 * mark cleared), and the course's rules. Each change is written with the job that follows it
 * (`attendance.grades`, `attendance.recompute`: the harness's runner is stopped, so they wait in
 * the table); a bad form answers 400 with what to fix and changes nothing; a learner, a form
 * without this session's token, or another course's meeting changes nothing either.
 */
describe.each(databaseKinds())('attendance: overrides and rules (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let course: Course;
  let teacher: { ltik: string; csrf: string };
  let instance: string;
  let meetings: { lab: string; hours: string };
  const courseKey = () => `${course.schoolId}:${course.lmsIssuer}:${course.contextId}`;
  const resultOf = async (userId: string) =>
    (
      await rows<ResultRow>(
        h,
        sql`select * from attendance_results where instance_id = ${instance} and lms_user_id = ${userId}`,
      )
    )[0];
  const settingsRow = async () =>
    (
      await rows<Record<string, unknown>>(
        h,
        sql`select present_percent, late_minutes, excluded_meeting_ids, grade_mode, updated_by from attendance_settings
            where school_id = ${course.schoolId} and context_id = ${course.contextId}`,
      )
    )[0];
  const clearJobs = () => rows(h, sql`delete from background_jobs where kind like 'attendance.%'`);

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    await h.built.jobs.stop();
    course = await courseOf(h);
    await seedPeople(h, course, [
      { id: 'stu-ana', name: 'Ana García' },
      { id: 'stu-ben', name: 'Ben Okafor' },
    ]);
    meetings = {
      lab: await seedMeeting(h, course, 'Biology lab', '2026-11-02T14:00:00Z'),
      hours: await seedMeeting(h, course, 'Office hours', '2026-11-03T14:00:00Z'),
    };
    instance = await seedInstance(h, course, meetings.lab, '2026-11-02T14:00:00Z');
    await seedResult(h, course, instance, 'stu-ana', { status: 'absent' });
    teacher = await launchInto(h, h.lms.users.instructor.id);
  });
  beforeEach(clearJobs);
  afterAll(() => h.close());

  const override = (fields: Record<string, string>, session = teacher, id = instance) =>
    post(h, session, `/attendance/instances/${id}/override`, fields);

  it('an instructor marks a student excused with a reason: kept, shown, and the grades job enqueued with it', async () => {
    const response = await override({
      userId: 'stu-ana',
      action: 'set',
      status: 'excused',
      reason: '  Field trip  ',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(
      `/lti/attendance/instances/${instance}?ltik=${encodeURIComponent(teacher.ltik)}&notice=saved#s-${Buffer.from('stu-ana').toString('hex')}`,
    );
    expect(await resultOf('stu-ana')).toMatchObject({
      status: 'absent',
      override_status: 'excused',
      override_reason: 'Field trip',
      override_by: h.lms.users.instructor.id,
    });
    expect(await pendingJobs(h)).toEqual([
      {
        kind: 'attendance.grades',
        key: courseKey(),
        payload: { schoolId: course.schoolId, lmsIssuer: course.lmsIssuer, contextId: course.contextId },
      },
    ]);
    const page = await get(teacher.ltik, `/attendance/instances/${instance}`, h, 'notice=saved');
    expect(page.text).toContain('Saved. The grade in the LMS follows shortly when grades are sent.');
    expect(page.text).toContain('Marked excused by an instructor: Field trip');
  });

  it('a student with no result yet can be marked present; clearing a mark puts Zoom’s status back', async () => {
    expect(await resultOf('stu-ben')).toBeUndefined();
    expect(
      (await override({ userId: 'stu-ben', action: 'set', status: 'present', reason: 'Was in the room' }))
        .status,
    ).toBe(303);
    expect(await resultOf('stu-ben')).toMatchObject({ status: 'absent', override_status: 'present' });

    await clearJobs();
    expect((await override({ userId: 'stu-ben', action: 'clear' })).status).toBe(303);
    expect(await resultOf('stu-ben')).toMatchObject({
      override_status: null,
      override_reason: null,
      override_by: null,
      override_at: null,
    });
    expect((await pendingJobs(h)).map((j) => j.kind)).toEqual(['attendance.grades']);
  });

  it('a bad override form answers 400 with what to fix, and changes nothing', async () => {
    const before = await resultOf('stu-ana');
    const cases: Array<[Record<string, string>, string]> = [
      [
        { userId: 'stu-ana', action: 'set', status: 'present', reason: '   ' },
        'Give a reason: it is kept with the attendance.',
      ],
      [
        { userId: 'stu-ana', action: 'set', status: 'present', reason: 'x'.repeat(501) },
        'The reason is too long: 500 characters at most.',
      ],
      [{ userId: 'stu-ana', action: 'set', status: 'late', reason: 'Bus' }, 'Choose Present or Excused.'],
      [{ userId: 'stu-ana', action: 'delete' }, 'This field is not valid.'],
    ];
    for (const [fields, message] of cases) {
      const response = await override(fields);
      expect([fields, response.status]).toEqual([fields, 400]);
      expect(response.text).toContain(message);
      expect(response.text).toMatch(/<details class="override-form" open>/);
    }
    expect(await resultOf('stu-ana')).toEqual(before);
    expect(await pendingJobs(h)).toEqual([]);
    // 500 characters exactly are taken.
    expect(
      (await override({ userId: 'stu-ana', action: 'set', status: 'excused', reason: 'y'.repeat(500) }))
        .status,
    ).toBe(303);
    expect((await resultOf('stu-ana'))?.override_reason).toHaveLength(500);
  });

  it('a learner, a form without this session’s token, another course or a non-student change nothing', async () => {
    const before = await resultOf('stu-ana');
    const learner = await launchInto(h, h.lms.users.learner.id);
    const fields = { userId: 'stu-ana', action: 'set', status: 'present', reason: 'Me' };
    expect((await override(fields, learner)).status).toBe(403);
    expect((await override(fields, { ...teacher, csrf: 'forged' })).status).toBe(403);
    const other = await launchInto(h, h.lms.users.instructor.id, { courseId: 'chemistry-202' });
    expect((await override(fields, other)).status).toBe(404);
    expect((await override({ ...fields, userId: 'someone-else' })).status).toBe(404);
    expect((await override(fields, teacher, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(
      (await post(h, { ltik: '', csrf: '' }, `/attendance/instances/${instance}/override`, fields)).status,
    ).toBe(401);
    expect(await resultOf('stu-ana')).toEqual(before);
    expect(await resultOf('someone-else')).toBeUndefined();
    expect(await pendingJobs(h)).toEqual([]);
  });

  it('the rules form shows the defaults; saving writes the rules and enqueues the recompute with them', async () => {
    const page = await get(teacher.ltik, '/attendance/settings', h);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      /id="f-presentPercent" name="presentPercent" type="number" min="1" max="100" required value="75"/,
    );
    expect(page.text).toMatch(
      /id="f-lateMinutes" name="lateMinutes" type="number" min="0" max="120" required value="10"/,
    );
    expect(page.text).toMatch(new RegExp(`name="counted" value="${meetings.lab}" checked`));
    expect(page.text).toMatch(/id="g-off" name="gradeMode" value="off" checked/);

    const response = await post(h, teacher, '/attendance/settings', {
      presentPercent: '80',
      lateMinutes: '5',
      counted: [meetings.lab],
      gradeMode: 'course',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(
      `/lti/attendance/settings?ltik=${encodeURIComponent(teacher.ltik)}&notice=saved`,
    );
    expect(await settingsRow()).toEqual({
      present_percent: 80,
      late_minutes: 5,
      excluded_meeting_ids: [meetings.hours],
      grade_mode: 'course',
      updated_by: h.lms.users.instructor.id,
    });
    expect(await pendingJobs(h)).toEqual([
      {
        kind: 'attendance.recompute',
        key: courseKey(),
        payload: { schoolId: course.schoolId, lmsIssuer: course.lmsIssuer, contextId: course.contextId },
      },
    ]);
    const again = await get(teacher.ltik, '/attendance/settings', h, 'notice=saved');
    expect(again.text).toContain(
      'Saved. Every held meeting’s attendance is computed again with these rules; grades follow.',
    );
    expect(again.text).toMatch(/value="80"/);
    expect(again.text).toMatch(new RegExp(`name="counted" value="${meetings.hours}">`));
    expect(again.text).toMatch(/id="g-course" name="gradeMode" value="course" checked/);
  });

  it('a bad rules form answers 400 with every field to fix and changes nothing', async () => {
    const before = await settingsRow();
    const cases: Array<[Record<string, string | string[]>, string]> = [
      [
        { presentPercent: '0', lateMinutes: '10', gradeMode: 'off' },
        'The percentage must be a whole number from 1 to 100.',
      ],
      [
        { presentPercent: '101', lateMinutes: '10', gradeMode: 'off' },
        'The percentage must be a whole number from 1 to 100.',
      ],
      [
        { presentPercent: '75.5', lateMinutes: '10', gradeMode: 'off' },
        'The percentage must be a whole number from 1 to 100.',
      ],
      [
        { presentPercent: '75', lateMinutes: '121', gradeMode: 'off' },
        'The minutes must be a whole number from 0 to 120.',
      ],
      [
        { presentPercent: '75', lateMinutes: '-1', gradeMode: 'off' },
        'The minutes must be a whole number from 0 to 120.',
      ],
      [{ presentPercent: '75', lateMinutes: '10', gradeMode: 'sometimes' }, 'Choose how grades are sent.'],
      [
        { presentPercent: '75', lateMinutes: '10', gradeMode: 'off', counted: ['not-an-id'] },
        'Choose meetings of this course only.',
      ],
      // A meeting of another course (a well-formed id, not this course's).
      [
        {
          presentPercent: '75',
          lateMinutes: '10',
          gradeMode: 'off',
          counted: ['00000000-0000-4000-8000-000000000000'],
        },
        'Choose meetings of this course only.',
      ],
    ];
    for (const [fields, message] of cases) {
      const response = await post(h, teacher, '/attendance/settings', fields);
      expect([fields, response.status]).toEqual([fields, 400]);
      expect(response.text).toContain(message);
      expect(response.text).toContain('Please correct the following:');
    }
    expect(await settingsRow()).toEqual(before);
    expect(await pendingJobs(h)).toEqual([]);
  });

  it('a learner cannot see or save the rules; a form without the token is refused', async () => {
    const before = await settingsRow();
    const learner = await launchInto(h, h.lms.users.learner.id);
    expect((await get(learner.ltik, '/attendance/settings', h)).status).toBe(403);
    const fields = { presentPercent: '1', lateMinutes: '0', gradeMode: 'meeting' };
    expect((await post(h, learner, '/attendance/settings', fields)).status).toBe(403);
    expect((await post(h, { ...teacher, csrf: 'forged' }, '/attendance/settings', fields)).status).toBe(403);
    expect(await settingsRow()).toEqual(before);
    expect(await pendingJobs(h)).toEqual([]);
  });

  it('the grade service’s last refusal is shown in words with its fix', async () => {
    await rows(
      h,
      sql`update attendance_settings set grade_error = 'grades_scope_not_granted', grade_error_at = now()
          where school_id = ${course.schoolId} and context_id = ${course.contextId}`,
    );
    for (const path of ['/attendance/settings', '/attendance']) {
      const page = await get(teacher.ltik, path, h);
      expect(page.text).toContain('Grades could not be sent');
      expect(page.text).toContain('The LMS does not let the tool send grades');
      expect(page.text).toContain('IMS LTI Assignment and Grade Services');
    }
  });

  it('a column deleted in the LMS: "Create the column again" or "Stop sending grades", each from this session’s form', async () => {
    const where = sql`school_id = ${course.schoolId} and context_id = ${course.contextId}`;
    await rows(
      h,
      sql`update attendance_settings set grade_mode = 'course', grade_error = 'grades_line_item_deleted', grade_error_at = now() where ${where}`,
    );
    const page = await get(teacher.ltik, '/attendance/settings', h);
    expect(page.text).toContain('The grade column was deleted in the LMS');
    expect(page.text).toContain('>Create the column again</button>');
    expect(page.text).toContain('>Stop sending grades</button>');

    const learner = await launchInto(h, h.lms.users.learner.id);
    expect((await post(h, learner, '/attendance/grades', { action: 'stop' })).status).toBe(403);
    expect(
      (await post(h, { ...teacher, csrf: 'forged' }, '/attendance/grades', { action: 'stop' })).status,
    ).toBe(403);
    expect((await post(h, teacher, '/attendance/grades', { action: 'delete-everything' })).status).toBe(400);
    expect(await settingsRow()).toMatchObject({ grade_mode: 'course' });
    expect(await pendingJobs(h)).toEqual([]);

    const recreated = await post(h, teacher, '/attendance/grades', { action: 'recreate' });
    expect(recreated.status).toBe(303);
    expect(recreated.headers.location).toContain('notice=recreated');
    const [after] = await rows<{ grade_error: string | null }>(
      h,
      sql`select grade_error from attendance_settings where ${where}`,
    );
    expect(after?.grade_error).toBeNull();
    expect((await pendingJobs(h)).map((j) => j.kind)).toEqual(['attendance.grades']);
    expect((await get(teacher.ltik, '/attendance/settings', h, 'notice=recreated')).text).toContain(
      'The gradebook column is made again in the LMS; the scores follow shortly.',
    );

    const stopped = await post(h, teacher, '/attendance/grades', { action: 'stop' });
    expect(stopped.status).toBe(303);
    expect(await settingsRow()).toMatchObject({ grade_mode: 'off' });

    // Grades turned off from the rules form forget a refusal too (nothing is sent, nothing to fix).
    await rows(
      h,
      sql`update attendance_settings set grade_mode = 'course', grade_error = 'grades_lms_unavailable' where ${where}`,
    );
    const fields = { presentPercent: '75', lateMinutes: '10', counted: [meetings.lab], gradeMode: 'off' };
    expect((await post(h, teacher, '/attendance/settings', fields)).status).toBe(303);
    const [off] = await rows<{ grade_error: string | null }>(
      h,
      sql`select grade_error from attendance_settings where ${where}`,
    );
    expect(off?.grade_error).toBeNull();
    expect((await get(teacher.ltik, '/attendance', h)).text).not.toContain('Grades could not be sent');
  });
});
