import { sql } from 'drizzle-orm';
import pino from 'pino';
import { JobRunner } from '../../../src/jobs';
import { nextPurgeAt, PRIVACY_PURGE_JOB, PrivacyService, RetentionPurge } from '../../../src/privacy';
import { queryRows } from '../../../src/storage';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

/**
 * The retention purge (issue 20 item 6) with an injected clock: nothing goes before a course ended
 * N days ago, its attendance or meetings go after, a school that set nothing keeps everything, and
 * other schools and courses are untouched. Rows are seeded as the capabilities write them.
 */
const DAY = 86_400_000;
const T0 = Date.parse('2031-03-01T10:00:00Z');
const logger = pino({ level: 'silent' });

async function seedCourse(
  db: TestDatabase['db'],
  schoolId: string,
  contextId: string,
  lastClassAt: number,
  options: { endsAt?: number; sessions?: number } = {},
): Promise<void> {
  const issuer = 'https://lms.test';
  const at = (ms: number) => new Date(ms).toISOString();
  await db.execute(sql`insert into courses (school_id, lms_issuer, context_id, title, created_at, ends_at)
    values (${schoolId}, ${issuer}, ${contextId}, ${contextId}, ${at(lastClassAt - 90 * DAY)},
      ${options.endsAt === undefined ? null : at(options.endsAt)})`);
  const [meeting] = await queryRows<{ id: string }>(
    db,
    sql`insert into meetings (school_id, lms_issuer, context_id, intent_key, state, zoom_meeting_id, host_zoom_user_id,
          host_lms_user_id, host_name, scheduled_by, topic, start_time, duration_minutes, time_zone, settings,
          recurrence, created_at)
        values (${schoolId}, ${issuer}, ${contextId}, ${`${schoolId}-${contextId}`}, 'ended', ${`${contextId}-zm`},
          'zoom-host', 'teacher', 'Teacher One', 'teacher', 'Class', ${at(lastClassAt - 28 * DAY)}, 60, 'UTC',
          '{"waitingRoom":false,"joinBeforeHost":true,"autoRecording":"cloud","alternativeHosts":[]}'::jsonb,
          '{"type":2,"repeat_interval":1,"weekly_days":"2","end_times":5}'::jsonb, ${at(lastClassAt - 90 * DAY)})
        returning id`,
  );
  const meetingId = meeting!.id;
  for (let week = 0; week < 5; week += 1)
    await db.execute(sql`insert into meeting_occurrences (meeting_id, occurrence_id, start_time, duration_minutes)
      values (${meetingId}, ${String(week)}, ${at(lastClassAt - (4 - week) * 7 * DAY)}, 60)`);
  await db.execute(sql`insert into meeting_recordings (meeting_id, zoom_uuid, start_time, play_url)
    values (${meetingId}, ${`${contextId}-i1`}, ${at(lastClassAt)}, 'https://zoom.test/rec/play/1')`);
  await db.execute(sql`insert into meeting_registrants (school_id, meeting_id, lms_user_id, email, state, registrant_id)
    values (${schoolId}, ${meetingId}, 'student-1', 'u-abc@registrants.tool.test', 'ready', ${`${contextId}-r1`})`);
  const [instance] = await queryRows<{ id: string }>(
    db,
    sql`insert into meeting_instances (school_id, meeting_id, zoom_uuid, started_at, ended_at, report_state)
        values (${schoolId}, ${meetingId}, ${`${contextId}-i1`}, ${at(lastClassAt)}, ${at(lastClassAt + 3_600_000)}, 'read')
        returning id`,
  );
  for (let n = 0; n < (options.sessions ?? 1); n += 1)
    await db.execute(sql`insert into attendance_sessions (school_id, meeting_id, zoom_meeting_uuid, participant_uuid,
        registrant_id, email, display_name, joined_at, left_at, source)
      values (${schoolId}, ${meetingId}, ${`${contextId}-i1`}, ${`p-${n}`}, ${`${contextId}-r1`},
        'u-abc@registrants.tool.test', 'Student One', ${at(lastClassAt + n * 60_000)}, ${at(lastClassAt + n * 60_000 + 30_000)}, 'webhook')`);
  await db.execute(sql`insert into attendance_results (school_id, instance_id, lms_user_id, status, seconds)
    values (${schoolId}, ${instance!.id}, 'student-1', 'present', 3000)`);
  const [line] = await queryRows<{ id: string }>(
    db,
    sql`insert into grade_lines (school_id, lms_issuer, context_id, resource_id, label, score_maximum)
        values (${schoolId}, ${issuer}, ${contextId}, 'zoom-attendance:course', 'Attendance', 100) returning id`,
  );
  await db.execute(sql`insert into grade_scores (line_id, lms_user_id, score_given, activity_progress, grading_progress, sent_at)
    values (${line!.id}, 'student-1', 100, 'Completed', 'FullyGraded', ${at(lastClassAt + 2 * 3_600_000)})`);
  await db.execute(sql`insert into course_people (school_id, lms_issuer, context_id, lms_user_id, name, is_student)
    values (${schoolId}, ${issuer}, ${contextId}, 'student-1', 'Student One', true)`);
}

/** Rows per table for one course (attendance and meetings) of a school. */
async function countsOf(db: TestDatabase['db'], schoolId: string, contextId: string) {
  const [row] = await queryRows<Record<string, string | number>>(
    db,
    sql`with m as (select id from meetings where school_id = ${schoolId} and context_id = ${contextId})
        select
          (select count(*) from meetings where id in (select id from m)) as meetings,
          (select count(*) from meeting_occurrences where meeting_id in (select id from m)) as occurrences,
          (select count(*) from meeting_recordings where meeting_id in (select id from m)) as recordings,
          (select count(*) from meeting_registrants where meeting_id in (select id from m)) as registrants,
          (select count(*) from meeting_instances where meeting_id in (select id from m)) as instances,
          (select count(*) from attendance_sessions where meeting_id in (select id from m)) as sessions,
          (select count(*) from attendance_results r join meeting_instances i on i.id = r.instance_id
             where i.meeting_id in (select id from m)) as results,
          (select count(*) from grade_scores g join grade_lines l on l.id = g.line_id
             where l.school_id = ${schoolId} and l.context_id = ${contextId}) as scores,
          (select count(*) from course_people where school_id = ${schoolId} and context_id = ${contextId}) as people,
          (select count(*) from courses where school_id = ${schoolId} and context_id = ${contextId}) as courses`,
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

const ALL = {
  meetings: 1,
  occurrences: 5,
  recordings: 1,
  registrants: 1,
  instances: 1,
  sessions: 1,
  results: 1,
  scores: 1,
  people: 1,
  courses: 1,
};
const NO_ATTENDANCE = { ...ALL, registrants: 0, instances: 0, sessions: 0, results: 0, scores: 0, people: 0 };
const NOTHING_BUT_COURSE = { ...NO_ATTENDANCE, meetings: 0, occurrences: 0, recordings: 0 };

describe.each(databaseKinds('both'))('the retention purge on %s', (kind) => {
  let database: TestDatabase;
  let now = T0;
  let privacy: PrivacyService;
  let schoolA: string;
  let schoolB: string;
  // The last class of each course (its end is an hour later).
  const ended = T0 - 60 * 60_000;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const [a] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into schools (name) values ('Purge A') returning id`,
    );
    const [b] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into schools (name) values ('Purge B') returning id`,
    );
    schoolA = a!.id;
    schoolB = b!.id;
    await seedCourse(database.db, schoolA, 'ended', ended, { sessions: 7 });
    await seedCourse(database.db, schoolA, 'later', ended + 20 * DAY);
    await seedCourse(database.db, schoolA, 'term-end', ended - 60 * DAY, { endsAt: ended + 40 * DAY });
    await seedCourse(database.db, schoolB, 'ended', ended);
    await seedCourse(database.db, schoolB, 'kept', ended);
    privacy = new PrivacyService({
      db: database.db,
      logger,
      erasureKey: Buffer.alloc(32, 1),
      now: () => now,
    });
  }, 60_000);
  afterAll(() => database.drop());

  const purge = () => privacy.purge.run();

  it('keeps everything of a school that set no retention, however long ago its courses ended', async () => {
    now = ended + 3650 * DAY;
    const { removed } = await purge();
    expect(removed).toEqual({});
    expect(await countsOf(database.db, schoolA, 'ended')).toEqual({ ...ALL, sessions: 7 });
    now = T0;
  });

  it('refuses a bad retention in words and changes nothing', async () => {
    await expect(privacy.retention.change(schoolA, { attendance: 0 }, 'op')).rejects.toMatchObject({
      status: 400,
      detail: expect.stringMatching(/at least 1 day/),
    });
    await expect(
      privacy.retention.change(schoolA, { attendance: 5, keep: ['attendance'] }, 'op'),
    ).rejects.toMatchObject({ status: 400 });
    await expect(privacy.retention.change(schoolA, { logs: 'soon' }, 'op')).rejects.toMatchObject({
      status: 400,
    });
    expect(await privacy.retention.of(schoolA)).toMatchObject({
      meetingsDays: null,
      attendanceDays: null,
      logsDays: null,
    });
  });

  it('purges nothing before a course ended N days ago, its attendance after, its meetings after theirs', async () => {
    await privacy.retention.change(schoolA, { attendance: 30, meetings: 60 }, 'op');
    // School B limits only meetings, and only after a year: its courses stay.
    await privacy.retention.change(schoolB, { meetings: 365 }, 'op');

    now = ended + 29 * DAY;
    expect((await purge()).removed).toEqual({});
    expect(await countsOf(database.db, schoolA, 'ended')).toEqual({ ...ALL, sessions: 7 });

    now = ended + 31 * DAY;
    const first = await purge();
    expect(first.removed).toMatchObject({
      attendance_sessions: 7,
      attendance_results: 1,
      grade_scores: 1,
      meeting_registrants: 1,
      meeting_instances: 1,
      course_people: 1,
    });
    expect(await countsOf(database.db, schoolA, 'ended')).toEqual(NO_ATTENDANCE);
    // A course whose last class was 20 days later, and one whose LMS term ends 40 days later, keep theirs.
    expect(await countsOf(database.db, schoolA, 'later')).toEqual(ALL);
    expect(await countsOf(database.db, schoolA, 'term-end')).toEqual(ALL);
    expect(await countsOf(database.db, schoolB, 'ended')).toEqual(ALL);

    // Again: nothing more (idempotent).
    expect((await purge()).removed).toEqual({});

    now = ended + 61 * DAY;
    await purge();
    expect(await countsOf(database.db, schoolA, 'ended')).toEqual(NOTHING_BUT_COURSE);
    expect(await countsOf(database.db, schoolA, 'later')).toEqual(NO_ATTENDANCE);
    // The LMS's end date wins over its classes (which ended 60 days before the others'): 21 days ago.
    expect(await countsOf(database.db, schoolA, 'term-end')).toEqual(ALL);
    now = ended + 71 * DAY;
    await purge();
    expect(await countsOf(database.db, schoolA, 'term-end')).toEqual(NO_ATTENDANCE);
    expect(await countsOf(database.db, schoolB, 'ended')).toEqual(ALL);
    expect(await countsOf(database.db, schoolB, 'kept')).toEqual(ALL);
  });

  it('keeps what a kind set back to "kept" (null) from then on', async () => {
    await privacy.retention.change(schoolB, { keep: ['meetings'] }, 'op');
    now = ended + 4000 * DAY;
    await purge();
    expect(await countsOf(database.db, schoolB, 'ended')).toEqual(ALL);
    expect(await privacy.retention.of(schoolB)).toMatchObject({ meetingsDays: null, updatedBy: 'op' });
  });

  it("removes a school's logs older than logs_days, and only its own", async () => {
    const at = (ms: number) => new Date(ms).toISOString();
    now = T0 + 100 * DAY;
    for (const [school, account] of [
      [schoolA, 'acct-a'],
      [schoolB, 'acct-b'],
    ] as const) {
      await database.db
        .execute(sql`insert into zoom_connections (school_id, kind, zoom_account_id, webhook_id)
        values (${school}, 's2s', ${account}, ${`hook-${account}`})`);
      for (const [key, age] of [
        ['old', 20],
        ['new', 2],
      ] as const) {
        await database.db
          .execute(sql`insert into zoom_webhook_deliveries (delivery_key, event, zoom_account_id, received_at)
          values (${`${account}-${key}`}, 'meeting.ended', ${account}, ${at(now - age * DAY)})`);
        await database.db
          .execute(sql`insert into school_errors (school_id, error_id, status, request_id, path, at)
          values (${school}, 'not_found', 404, ${`${account}-${key}`}, '/lti/course', ${at(now - age * DAY)})`);
        await database.db.execute(sql`insert into background_jobs (kind, key, payload, status, updated_at)
          values ('attendance.report', ${`${account}-${key}`}, ${JSON.stringify({ schoolId: school })}::jsonb, 'failed',
            ${at(now - age * DAY)})`);
      }
    }
    await privacy.retention.change(schoolA, { logs: 10 }, 'op');
    const { removed } = await purge();
    expect(removed).toEqual({ zoom_webhook_deliveries: 1, school_errors: 1, background_jobs: 1 });
    const left = await queryRows<{ delivery_key: string }>(
      database.db,
      sql`select delivery_key from zoom_webhook_deliveries order by delivery_key`,
    );
    expect(left.map((row) => row.delivery_key)).toEqual(['acct-a-new', 'acct-b-new', 'acct-b-old']);
    const jobs = await queryRows<{ key: string }>(
      database.db,
      sql`select key from background_jobs where status = 'failed' order by key`,
    );
    expect(jobs.map((row) => row.key)).toEqual(['acct-a-new', 'acct-b-new', 'acct-b-old']);
  });

  it('deletes in batches (each its own transaction) until nothing is left', async () => {
    const [c] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into schools (name) values ('Purge C') returning id`,
    );
    await seedCourse(database.db, c!.id, 'big', ended, { sessions: 23 });
    const small = new PrivacyService({
      db: database.db,
      logger,
      erasureKey: Buffer.alloc(32, 1),
      now: () => now,
    });
    await small.retention.change(c!.id, { attendance: 1 }, 'op');
    const batched = new RetentionPurge({
      db: database.db,
      logger,
      now: () => now,
      batch: 5,
    });
    const counts = await batched.purgeSchool(c!.id, await small.retention.of(c!.id));
    expect(counts.attendance_sessions).toBe(23);
    expect(await countsOf(database.db, c!.id, 'big')).toEqual(NO_ATTENDANCE);
  });

  it('is a daily durable job: setting a retention schedules it at 03:00 UTC, each run the next day', async () => {
    const jobs = new JobRunner({ db: database.db, logger, now: () => Date.now() });
    const scheduled = new PrivacyService({ db: database.db, jobs, logger, erasureKey: Buffer.alloc(32, 1) });
    jobs.register(PRIVACY_PURGE_JOB, { handler: (payload) => scheduled.purge.runJob(payload) });
    await scheduled.retention.change(schoolA, { logs: 10 }, 'op');
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const next = nextPurgeAt(Date.now());
    expect(new Date(next).getUTCHours()).toBe(3);
    expect(next - Date.now()).toBeLessThanOrEqual(DAY);
    const pending = async () =>
      (
        await queryRows<{ key: string }>(
          database.db,
          sql`select key from background_jobs where kind = ${PRIVACY_PURGE_JOB} and status = 'pending' order by key`,
        )
      ).map((row) => row.key);
    expect(await pending()).toEqual([day(next)]);
    // Its day comes: it runs, and tomorrow's is there.
    await database.db.execute(
      sql`update background_jobs set run_at = now() where kind = ${PRIVACY_PURGE_JOB}`,
    );
    await jobs.runDue();
    await jobs.stop();
    expect(await pending()).toEqual([day(next + DAY)]);
  });
});
