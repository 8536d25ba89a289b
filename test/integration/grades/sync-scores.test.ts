import { sql } from 'drizzle-orm';
import { COURSE_RESOURCE, GRADES_JOB, instanceResource } from '../../../src/grades';
import type { LmsProfileName } from '../../../src/sandbox/lms';
import { queryRows } from '../../../src/storage';
import { syncFixture } from './sync-fixture';

const profiles: LmsProfileName[] = ['moodle', 'canvas'];

describe.each(profiles)('attendance grades sent to the %s gradebook', (profile) => {
  const f = syncFixture(profile);
  const ids: { lecture?: string; office?: string; first?: string; second?: string; excluded?: string } = {};
  const scoresOf = (resourceId: string) => {
    const { scores } = f.column(resourceId);
    return f.state.students.map((student) => scores.get(student.id));
  };
  const scorePosts = (spy: jest.Mock) =>
    spy.mock.calls.filter(([url, init]) => init?.method === 'POST' && String(url).includes('/scores')).length;

  beforeAll(async () => {
    ids.lecture = await f.meeting('Biology 101', -7);
    ids.office = await f.meeting('Office hours', -3);
    // Student 1 came to both, student 2 was late to the first and missed the second, student 3 never came
    // (no result at all for the first: absent all the same).
    ids.first = await f.held(ids.lecture, '2026-11-30T14:00:00.000Z', ['present', 'late', undefined]);
    ids.second = await f.held(ids.lecture, '2026-12-01T14:00:00.000Z', ['present', 'absent', 'absent']);
    ids.excluded = await f.held(ids.office, '2026-12-02T14:00:00.000Z', ['absent', 'absent', 'absent']);
  });

  it('sends one "Attendance" column out of 100 with every active student’s share of held meetings, absent ones 0', async () => {
    const sync = f.sync();
    await sync.setMode(f.state.course, 'course', 'instructor');
    expect(f.enqueued).toEqual([
      {
        kind: GRADES_JOB,
        key: `${f.state.course.schoolId}:${f.state.course.lmsIssuer}:${f.state.course.contextId}`,
        payload: { ...f.state.course },
      },
    ]);
    await queryRows(
      f.state.harness.database.db,
      sql`update attendance_settings set excluded_meeting_ids = ${JSON.stringify([ids.office])}::jsonb
          where school_id = ${f.state.course.schoolId} and context_id = ${f.state.course.contextId}`,
    );
    expect(await f.run(sync)).toBeUndefined();

    const { item, count } = f.column(COURSE_RESOURCE);
    expect(count).toBe(1);
    expect(item).toMatchObject({ label: 'Attendance', scoreMaximum: 100, tag: 'zoom-attendance' });
    expect(scoresOf(COURSE_RESOURCE)).toEqual([
      expect.objectContaining({
        scoreGiven: 100,
        grade: 100,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      }),
      expect.objectContaining({ scoreGiven: 50, grade: 50, activityProgress: 'Completed' }),
      expect.objectContaining({ scoreGiven: 0, grade: 0, activityProgress: 'Completed' }),
    ]);
    const status = await sync.status(f.state.course);
    expect(status).toMatchObject({ mode: 'course', error: undefined });
    expect(status.lines).toEqual([{ label: 'Attendance', state: 'ok', url: item?.url }]);
    expect(status.lastSentAt).toBeInstanceOf(Date);
  });

  it('marks the column in progress while a meeting is to come, raises a score an excuse changes, and sends each only when it changed', async () => {
    const sync = f.sync();
    await f.meeting('Biology 101', 7);
    await f.run(sync);
    const before = scoresOf(COURSE_RESOURCE);
    expect(before.map((score) => score?.activityProgress)).toEqual([
      'InProgress',
      'InProgress',
      'InProgress',
    ]);

    await f.override(ids.second!, f.state.students[1]!, 'excused');
    await f.run(sync);
    const after = scoresOf(COURSE_RESOURCE);
    expect(after.map((score) => score?.scoreGiven)).toEqual([100, 100, 0]);
    // Only student 2's changed, with a later timestamp (in a later second: Moodle keeps seconds).
    expect(after[0]).toEqual(before[0]);
    expect(after[2]).toEqual(before[2]);
    const [was, now] = [Date.parse(before[1]!.timestamp), Date.parse(after[1]!.timestamp)];
    expect(now).toBeGreaterThan(was);
    expect(Math.floor(now / 1000)).toBeGreaterThan(Math.floor(was / 1000));
    expect(after[1]!.timestamp).toMatch(/\.\d{3}Z$/);

    const spy = jest.fn(fetch);
    await f.run(f.sync({ fetch: spy }));
    expect(scorePosts(spy)).toBe(0);
    expect(scoresOf(COURSE_RESOURCE)).toEqual(after);
  });

  it('sends nothing new for a student who left the course (their score stays)', async () => {
    const sync = f.sync();
    const leaver = f.state.students[2]!;
    const kept = scoresOf(COURSE_RESOURCE)[2];
    await f.person(leaver.sub, 'removed');
    f.state.harness.lms.unenrollUser(leaver.id);
    await f.override(ids.second!, leaver, 'excused');
    const spy = jest.fn(fetch);
    await f.run(f.sync({ fetch: spy }));
    expect(scorePosts(spy)).toBe(0);
    expect(f.column(COURSE_RESOURCE).scores.get(leaver.id)).toEqual(kept);
    expect((await sync.status(f.state.course)).error).toBeUndefined();
  });

  it('sends one column per held meeting out of 1, named by topic and date, absent students 0 and not completed', async () => {
    const sync = f.sync();
    await sync.setMode(f.state.course, 'meeting', 'instructor');
    await f.run(sync);
    const first = f.column(instanceResource(ids.first!));
    expect(first.item).toMatchObject({
      label: 'Biology 101 (2026-11-30)',
      scoreMaximum: 1,
      tag: 'zoom-attendance',
    });
    expect(f.column(instanceResource(ids.second!)).item?.label).toBe('Biology 101 (2026-12-01)');
    expect(f.column(instanceResource(ids.excluded!)).count).toBe(0);
    const progress = (resourceId: string) =>
      scoresOf(resourceId).map((score) => score && [score.scoreGiven, score.activityProgress]);
    // Student 3 left the course: no column of theirs is sent.
    expect(progress(instanceResource(ids.first!))).toEqual([[1, 'Completed'], [1, 'Completed'], undefined]);
    await f.person(f.state.students[2]!.sub, 'active');
    f.state.harness.lms.addUser({
      ...f.state.harness.lms.users.learner,
      id: f.state.students[2]!.id,
      name: 'Student3 Test',
    });
    await f.run(sync);
    expect(progress(instanceResource(ids.second!))).toEqual([
      [1, 'Completed'],
      [1, 'Completed'],
      [1, 'Completed'],
    ]);
    expect(progress(instanceResource(ids.first!))[2]).toEqual([0, 'Initialized']);
    const status = await sync.status(f.state.course);
    expect(status.mode).toBe('meeting');
    expect(status.lines.map((line) => [line.label, line.state])).toEqual(
      expect.arrayContaining([
        ['Biology 101 (2026-11-30)', 'ok'],
        ['Biology 101 (2026-12-01)', 'ok'],
      ]),
    );
    expect(status.lines).toHaveLength(2);

    // The meeting is renamed: its columns follow (the same columns, no new one).
    await queryRows(
      f.state.harness.database.db,
      sql`update meetings set topic = 'Biology 101 (lab)' where id = ${ids.lecture}`,
    );
    await f.run(sync);
    const renamed = f.column(instanceResource(ids.first!));
    expect([renamed.count, renamed.item?.url, renamed.item?.label]).toEqual([
      1,
      first.item?.url,
      'Biology 101 (lab) (2026-11-30)',
    ]);
  });

  it('still sends the others when the LMS refuses one student (on our roster, no longer in its course)', async () => {
    await f.person('someone-the-lms-does-not-know');
    await f.override(ids.second!, f.state.students[1]!, null);
    const spy = jest.fn(fetch);
    expect(await f.run(f.sync({ fetch: spy }))).toBeUndefined();
    expect(scorePosts(spy)).toBe(3);
    expect(f.column(instanceResource(ids.second!)).scores.get(f.state.students[1]!.id)).toMatchObject({
      scoreGiven: 0,
      activityProgress: 'Initialized',
    });
    const recorded = await queryRows<{ lms_user_id: string }>(
      f.state.harness.database.db,
      sql`select lms_user_id from grade_scores where lms_user_id = 'someone-the-lms-does-not-know'`,
    );
    expect(recorded).toEqual([]);
    expect((await f.sync().status(f.state.course)).error).toBeUndefined();
    await f.person('someone-the-lms-does-not-know', 'removed');
  });

  it('refuses a bad mode or course and writes nothing', async () => {
    const sync = f.sync();
    await expect(sync.setMode(f.state.course, 'weekly' as never, 'instructor')).rejects.toMatchObject({
      id: 'bad_request',
    });
    await expect(sync.status({ ...f.state.course, schoolId: 'not-a-uuid' })).rejects.toMatchObject({
      id: 'bad_request',
    });
    expect((await f.gradeSettings())?.gradeMode).toBe('meeting');
    expect(f.enqueued).toEqual([]);
    // A malformed payload is dropped without a request.
    const spy = jest.fn(fetch);
    expect(await f.sync({ fetch: spy }).run({ schoolId: 'x' })).toBeUndefined();
    expect(spy).not.toHaveBeenCalled();
  });
});
