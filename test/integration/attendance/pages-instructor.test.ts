import { databaseKinds } from '../../support/db';
import { sql } from 'drizzle-orm';
import { plain, rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';
import {
  courseOf,
  get,
  launchInto,
  seedInstance,
  seedMeeting,
  seedPeople,
  seedResult,
  seedSession,
  type Course,
} from './pages-seed';

/** The visible text of a page: tags dropped, entities of the seeds decoded, spaces collapsed. */
const text = (html: string) =>
  plain(html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/**
 * Issue 19, the instructor's attendance pages: the course's held meetings with their counts and
 * state, each student's rate; one meeting's students with every interval, flags in words, guests
 * and hosts apart; its CSV. Only staff of the course, only this course's data.
 */
describe.each(databaseKinds())('attendance: the instructor’s pages (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let course: Course;
  let ids: { lab: string; talk: string; review: string; labMeeting: string; reviewMeeting: string };
  let teacher: { ltik: string; csrf: string };
  const tz = 'tz=America/New_York';

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    await h.built.jobs.stop();
    course = await courseOf(h);
    await seedPeople(h, course, [
      { id: 'stu-ana', name: 'Ana García' },
      { id: 'stu-ben', name: 'Ben Okafor' },
      { id: 'stu-cy', name: '=HYPERLINK("http://evil")' },
      { id: 'stu-dee', name: 'Dee Left', state: 'removed' },
      { id: 'staff-1', name: 'Terry Teacher', student: false },
    ]);
    const labMeeting = await seedMeeting(h, course, 'Biology lab', '2026-11-02T14:00:00Z');
    const reviewMeeting = await seedMeeting(h, course, 'Office hours', '2026-11-03T14:00:00Z');
    const lab = await seedInstance(h, course, labMeeting, '2026-11-02T14:00:00Z', 'final');
    const talk = await seedInstance(h, course, labMeeting, '2026-11-09T14:00:00Z', 'waiting');
    const review = await seedInstance(h, course, reviewMeeting, '2026-11-03T14:00:00Z', 'final');
    ids = { lab, talk, review, labMeeting, reviewMeeting };
    await seedResult(h, course, lab, 'stu-ana', {
      status: 'present',
      seconds: 3000,
      intervals: [
        { from: '2026-11-02T14:02:00Z', to: '2026-11-02T14:30:00Z' },
        { from: '2026-11-02T14:38:00Z', to: '2026-11-02T15:00:00Z' },
      ],
      flags: ['name:Sam R.'],
    });
    await seedResult(h, course, lab, 'stu-ben', {
      status: 'absent',
      override: { status: 'excused', reason: 'Doctor’s note, "flu"' },
    });
    await seedResult(h, course, lab, 'stu-cy', {
      status: 'late',
      seconds: 2700,
      intervals: [{ from: '2026-11-02T14:15:00Z', to: '2026-11-02T15:00:00Z' }],
      flags: ['zoom_user:-cmd'],
    });
    await seedResult(h, course, lab, 'stu-dee', { status: 'absent' });
    await seedResult(h, course, talk, 'stu-ana', { status: 'absent' });
    await seedResult(h, course, talk, 'stu-ben', { status: 'present', seconds: 3600 });
    await seedResult(h, course, review, 'stu-ana', { status: 'absent' });
    await seedSession(h, course, labMeeting, lab, {
      name: 'Visiting Parent',
      email: 'parent@example.org',
      from: '2026-11-02T14:05:00Z',
      to: '2026-11-02T14:25:00Z',
    });
    await seedSession(h, course, labMeeting, lab, {
      name: 'Terry (host)',
      zoomAccountUserId: course.hostZoomUserId,
      from: '2026-11-02T13:58:00Z',
      to: '2026-11-02T15:01:00Z',
    });
    // The office hours do not count toward the rates.
    await rows(
      h,
      sql`insert into attendance_settings (school_id, lms_issuer, context_id, excluded_meeting_ids)
        values (${course.schoolId}, ${course.lmsIssuer}, ${course.contextId}, ${JSON.stringify([reviewMeeting])}::jsonb)`,
    );
    teacher = await launchInto(h, h.lms.users.instructor.id);
  });
  afterAll(() => h.close());

  it('without a launch, every attendance page answers 401', async () => {
    for (const path of [
      '/attendance',
      '/attendance/mine',
      '/attendance/settings',
      `/attendance/instances/${ids.lab}`,
      `/attendance/instances/${ids.lab}.csv`,
    ]) {
      const response = await get(undefined, path, h);
      expect([path, response.status]).toEqual([path, 401]);
    }
  });

  it('the overview lists each held meeting with its counts and state, and each student’s rate over the counted ones', async () => {
    const response = await get(teacher.ltik, '/attendance', h, tz);
    expect(response.status).toBe(200);
    const page = text(response.text);
    // Lab 2 Nov: present Ana, excused Ben (override), late Cy, absent Dee.
    const lab = new RegExp(`<tr data-instance="${ids.lab}">([\\s\\S]*?)</tr>`).exec(response.text)?.[1] ?? '';
    expect(text(lab)).toBe(' Biology lab Mon, Nov 2, 2026, 9:00 AM EST 1 1 1 1 Final ');
    const talk =
      new RegExp(`<tr data-instance="${ids.talk}">([\\s\\S]*?)</tr>`).exec(response.text)?.[1] ?? '';
    expect(text(talk)).toBe(' Biology lab Mon, Nov 9, 2026, 9:00 AM EST 1 0 1 0 Waiting for Zoom’s report ');
    const review =
      new RegExp(`<tr data-instance="${ids.review}">([\\s\\S]*?)</tr>`).exec(response.text)?.[1] ?? '';
    expect(text(review)).toContain('Office hours');
    expect(text(review)).toContain('not counted');
    // Newest first.
    expect(response.text.indexOf(ids.talk)).toBeLessThan(response.text.indexOf(ids.review));
    expect(response.text.indexOf(ids.review)).toBeLessThan(response.text.indexOf(ids.lab));
    // Rates: Ana present + absent = 1 of 2; Ben excused + present = 2 of 2; Cy late = 1 of 1; office hours left out.
    expect(page).toContain('Ana García 1 of 2 (50%)');
    expect(page).toContain('Ben Okafor 2 of 2 (100%)');
    expect(page).toContain('=HYPERLINK("http://evil") 1 of 1 (100%)');
    expect(page).toContain('Dee Left (left the course) 0 of 1 (0%)');
    expect(page).not.toContain('Terry Teacher');
    expect(page).toContain('Times are in Eastern Standard Time (America/New_York).');
  });

  it('one meeting: each student with every interval, minutes, the mark and its reason, flags in words; guests and hosts apart', async () => {
    const response = await get(teacher.ltik, `/attendance/instances/${ids.lab}`, h, tz);
    expect(response.status).toBe(200);
    const page = text(response.text);
    expect(page).toContain('Biology lab · Mon, Nov 2, 2026, 9:00 AM EST');
    expect(page).toContain('Ana García Present 9:02 AM to 9:30 AM 9:38 AM to 10:00 AM 50');
    expect(page).toContain('Joined as “Sam R.” with this student’s own link (a rename or a forwarded link).');
    expect(page).toContain('Ben Okafor Excused Did not join 0');
    expect(page).toContain('Marked excused by an instructor: Doctor’s note, "flu" (From Zoom: Absent)');
    expect(page).toContain('Late 9:15 AM to 10:00 AM 45');
    expect(page).toContain(
      'Joined as “-cmd” signed in to Zoom as someone other than in their other sessions',
    );
    expect(page).toContain('Dee Left (left the course) Absent');
    const guests = /<table class="attendance-table" data-group="guests">([\s\S]*?)<\/table>/.exec(
      response.text,
    )?.[1];
    expect(text(guests ?? '')).toContain('Visiting Parent parent@example.org 9:05 AM to 9:25 AM 20');
    const hosts = /<table class="attendance-table" data-group="hosts">([\s\S]*?)<\/table>/.exec(
      response.text,
    )?.[1];
    expect(text(hosts ?? '')).toContain('Terry (host) 8:58 AM to 10:01 AM 63');
    expect(text(hosts ?? '')).not.toContain('Visiting Parent');
    // Every student's override form carries the session's form token.
    expect(response.text).toContain(`name="csrf" value="${teacher.csrf}"`);
  });

  it('the CSV: a header row, one row per student, times in the viewer’s zone, formulas neutralised', async () => {
    const response = await get(teacher.ltik, `/attendance/instances/${ids.lab}.csv`, h, tz);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="attendance-2026-11-02.csv"');
    // The LMS's own enrolled students (read from its roster) are rows too: the seeded ones are checked exactly.
    const lines = response.text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(response.text).not.toMatch(/[^\r]\n/);
    expect([lines[0], ...lines.filter((line) => /^("[^"]*(""[^"]*)*"|[^,]*),stu-/.test(line))]).toEqual([
      'Student,LMS user id,Status,Reason of the mark,First join (America/New_York),Joined and left (America/New_York),Minutes,Notes',
      `"'=HYPERLINK(""http://evil"")",stu-cy,Late,,2026-11-02 09:15,2026-11-02 09:15–2026-11-02 10:00,45,Joined as “-cmd” signed in to Zoom as someone other than in their other sessions (a forwarded link?).`,
      'Ana García,stu-ana,Present,,2026-11-02 09:02,2026-11-02 09:02–2026-11-02 09:30; 2026-11-02 09:38–2026-11-02 10:00,50,Joined as “Sam R.” with this student’s own link (a rename or a forwarded link).',
      'Ben Okafor,stu-ben,Excused,"Doctor’s note, ""flu""",,,0,',
      'Dee Left,stu-dee,Absent,,,,0,',
    ]);
  });

  it('a learner asking for the instructor’s pages is refused (403)', async () => {
    const learner = await launchInto(h, h.lms.users.learner.id);
    for (const path of [
      '/attendance/settings',
      `/attendance/instances/${ids.lab}`,
      `/attendance/instances/${ids.lab}.csv`,
    ]) {
      const response = await get(learner.ltik, path, h);
      expect([path, response.status]).toEqual([path, 403]);
      expect(response.text).not.toContain('Ana García');
    }
    // The overview's address takes a learner to their own page.
    const overview = await get(learner.ltik, '/attendance', h);
    expect(overview.status).toBe(303);
    expect(overview.headers.location).toMatch(/^\/lti\/attendance\/mine\?ltik=/);
  });

  it('another course’s or another school’s meeting, or an id that is no meeting, is not found (404)', async () => {
    const otherCourse = await launchInto(h, h.lms.users.instructor.id, { courseId: 'chemistry-202' });
    for (const path of [`/attendance/instances/${ids.lab}`, `/attendance/instances/${ids.lab}.csv`]) {
      const response = await get(otherCourse.ltik, path, h);
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.text).not.toContain('Ana García');
    }
    const overview = text((await get(otherCourse.ltik, '/attendance', h)).text);
    expect(overview).toContain('No class meeting has been held yet.');
    expect(overview).not.toContain('Biology lab');
    // Another school's LMS whose course has the same context id.
    const elsewhere = await h.addLms({ profile: 'moodle', school: 'other school' });
    expect(elsewhere.course.contextId).toBe(h.lms.course.contextId);
    const otherSchool = await h.launch(elsewhere.users.instructor.id, undefined, elsewhere);
    expect((await get(otherSchool.ltik, `/attendance/instances/${ids.lab}`, h)).status).toBe(404);
    expect(text((await get(otherSchool.ltik, '/attendance', h)).text)).not.toContain('Biology lab');
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000'])
      expect((await get(teacher.ltik, `/attendance/instances/${id}`, h)).status).toBe(404);
  });

  it('the course page links to the attendance pages', async () => {
    const course = await get(teacher.ltik, '/course', h);
    expect(course.text).toMatch(/<a href="\/lti\/attendance\?ltik=[^"]+"[^>]*>Attendance<\/a>/);
    const learner = await launchInto(h, h.lms.users.learner.id);
    expect((await get(learner.ltik, '/course', h)).text).toMatch(
      /<a href="\/lti\/attendance\/mine\?ltik=[^"]+"[^>]*>Attendance<\/a>/,
    );
  });

  it('two students with the same name are told apart by their LMS user id, in the rows and the Change forms', async () => {
    await seedPeople(h, course, [{ id: 'stu-ana-2', name: 'Ana García' }]);
    const page = await get(teacher.ltik, `/attendance/instances/${ids.lab}`, h, tz);
    expect(text(page.text)).toContain('Ana García LMS user id stu-ana ');
    expect(text(page.text)).toContain('Ana García LMS user id stu-ana-2 ');
    expect(page.text).toContain('aria-label="Change the attendance of Ana García (stu-ana-2)"');
    expect(page.text).toContain('aria-label="Change the attendance of Ben Okafor"');
    expect(text((await get(teacher.ltik, '/attendance', h)).text)).toContain(
      'Ana García LMS user id stu-ana-2 No counted meeting yet',
    );
  });
});
