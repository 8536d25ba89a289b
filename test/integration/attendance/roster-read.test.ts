import pino from 'pino';
import { sql } from 'drizzle-orm';
import { AttendanceRoster } from '../../../src/attendance';
import { LMS_ROLES } from '../../../src/sandbox/lms';
import { databaseKinds } from '../../support/db';
import { drainJobs, rows, soonDate } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

interface PersonRow {
  lms_user_id: string;
  name: string;
  is_student: boolean;
  state: string;
  removed_at: Date | string | null;
}

/**
 * Issue 19: the course's roster from Names and Roles (the job attendance.roster): students are its
 * Learners; someone it no longer lists is removed, never deleted, and keeps their links; a staff
 * view reads it at most hourly; a Names and Roles URL on a private address is never fetched in
 * production.
 */
describe.each(databaseKinds())('attendance: the roster (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let firstMeeting: string;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    for (const id of ['ria', 'sol'])
      h.lms.addUser({
        id,
        givenName: id === 'ria' ? 'Ria' : 'Sol',
        familyName: 'Diaz',
        name: id === 'ria' ? 'Ria Diaz' : 'Sol Diaz',
        email: `${id}@school.example`,
        roles: [LMS_ROLES.membershipLearner],
      });
    const { response, id } = await h.schedule(await h.page(h.lms.users.instructor.id), {
      topic: 'Art',
      date: soonDate(),
    });
    expect(response.status).toBe(303);
    firstMeeting = id;
    await drainJobs(h);
  }, 60_000);
  afterAll(() => h.close());

  const people = () =>
    rows<PersonRow>(
      h,
      sql`select lms_user_id, name, is_student, state, removed_at from course_people order by lms_user_id`,
    );

  it('lists Learners as students with their names, and staff as people who are not', async () => {
    const listed = await people();
    expect(listed.find((p) => p.lms_user_id === 'ria')).toMatchObject({
      name: 'Ria Diaz',
      is_student: true,
      state: 'active',
    });
    const instructor = listed.find((p) => !p.is_student);
    expect(instructor?.state).toBe('active');
    expect(listed.filter((p) => p.is_student).length).toBe(3);
  });

  it('reads the roster again at a staff view only once the hour is over', async () => {
    await h.page(h.lms.users.instructor.id);
    const pending = await rows(h, sql`select 1 from background_jobs where kind = 'attendance.roster'`);
    expect(pending).toEqual([]);
  });

  it('marks a student who left removed (kept, with their link), and makes them no new link', async () => {
    h.lms.unenrollUser('sol');
    // A meeting made now reads the roster again (its links may run before that read ends).
    await h.schedule(await h.page(h.lms.users.instructor.id), { topic: 'Art II', date: soonDate() });
    await drainJobs(h);
    const sol = (await people()).find((p) => p.lms_user_id === 'sol');
    expect(sol).toMatchObject({ state: 'removed', is_student: true });
    expect(sol?.removed_at).not.toBeNull();
    const kept = await rows(
      h,
      sql`select state from meeting_registrants where meeting_id = ${firstMeeting} and lms_user_id = 'sol'`,
    );
    expect(kept).toEqual([{ state: 'ready' }]);
    const { id } = await h.schedule(await h.page(h.lms.users.instructor.id), {
      topic: 'Art III',
      date: soonDate(),
    });
    await drainJobs(h);
    const none = await rows(
      h,
      sql`select 1 from meeting_registrants where meeting_id = ${id} and lms_user_id = 'sol'`,
    );
    expect(none).toEqual([]);
    const ria = await rows(
      h,
      sql`select state from meeting_registrants where meeting_id = ${id} and lms_user_id = 'ria'`,
    );
    expect(ria).toEqual([{ state: 'ready' }]);
  }, 60_000);

  it('never fetches a Names and Roles URL on a private address in production, and changes nothing', async () => {
    const [course] = await rows<{ school_id: string; lms_issuer: string; context_id: string }>(
      h,
      sql`select school_id, lms_issuer, context_id from courses limit 1`,
    );
    const before = await people();
    const fetched: string[] = [];
    const roster = new AttendanceRoster({
      db: h.database.db,
      serviceToken: async () => ({ accessToken: 'token', scopes: [], expiresAt: Date.now() + 60_000 }),
      urls: { outbound: { anyAddress: false, allowedHosts: [] }, httpsOnly: true },
      jobs: { enqueue: async () => undefined },
      newStudents: async () => undefined,
      logger: pino({ level: 'silent' }),
      fetch: (async (url: string | URL) => {
        fetched.push(String(url));
        return new Response('{}');
      }) as typeof fetch,
    });
    await roster.run({
      schoolId: course?.school_id,
      lmsIssuer: course?.lms_issuer,
      contextId: course?.context_id,
    });
    expect(fetched).toEqual([]);
    expect(await people()).toEqual(before);
  });

  it('drops a malformed job payload without reading anything', async () => {
    const roster = new AttendanceRoster({
      db: h.database.db,
      serviceToken: async () => {
        throw new Error('not asked');
      },
      urls: { outbound: { anyAddress: true, allowedHosts: [] }, httpsOnly: false },
      jobs: { enqueue: async () => undefined },
      newStudents: async () => undefined,
      logger: pino({ level: 'silent' }),
    });
    await expect(
      roster.run({ schoolId: 'not-a-uuid', lmsIssuer: '', contextId: 1 }),
    ).resolves.toBeUndefined();
  });
});
