import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import * as repo from '../../../src/grades/grades.sync.repo';
import { queryRows, tables } from '../../../src/storage';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

const DAY = 24 * 60 * 60_000;

describe.each(databaseKinds('both'))('the grades job’s queries on %s', (kind) => {
  let database: TestDatabase;
  let course: repo.CourseRef;
  let other: repo.CourseRef;
  const db = () => database.db;

  async function meeting(of: repo.CourseRef, inDays: number, state: 'scheduled' | 'deleted' = 'scheduled') {
    const [row] = await db()
      .insert(tables.meetings)
      .values({
        ...of,
        intentKey: crypto.randomUUID(),
        state,
        hostZoomUserId: 'host',
        hostLmsUserId: 'teacher',
        scheduledBy: 'teacher',
        topic: 'Physics',
        startTime: new Date(Date.now() + inDays * DAY),
        durationMinutes: 60,
        timeZone: 'UTC',
        settings: { waitingRoom: true, joinBeforeHost: false, autoRecording: 'none', alternativeHosts: [] },
      })
      .returning({ id: tables.meetings.id });
    return row!.id;
  }
  async function instance(of: repo.CourseRef, meetingId: string, start: string, computed = true) {
    const [row] = await db()
      .insert(tables.meetingInstances)
      .values({
        schoolId: of.schoolId,
        meetingId,
        zoomUuid: crypto.randomUUID(),
        scheduledStart: new Date(start),
        computedAt: computed ? new Date() : null,
      })
      .returning({ id: tables.meetingInstances.id });
    return row!.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const schools = await db()
      .insert(tables.schools)
      .values([{ name: 'North' }, { name: 'South' }])
      .returning({ id: tables.schools.id });
    course = { schoolId: schools[0]!.id, lmsIssuer: 'https://lms.example', contextId: 'c1' };
    // The same issuer and context in another school: never read for `course`.
    other = { ...course, schoolId: schools[1]!.id };
  });
  afterAll(async () => {
    await database.drop();
  });

  it('reads the held instances that count, oldest first, and their effective statuses', async () => {
    const counted = await meeting(course, -5);
    const excluded = await meeting(course, -4);
    const late = await instance(course, counted, '2026-12-02T10:00:00Z');
    const early = await instance(course, counted, '2026-12-01T10:00:00Z');
    await instance(course, counted, '2026-12-03T10:00:00Z', false);
    await instance(course, excluded, '2026-12-01T12:00:00Z');
    await instance(other, await meeting(other, -5), '2026-12-01T10:00:00Z');

    const held = await repo.heldInstances(db(), course, [excluded, 'not-a-uuid']);
    expect(held.map((row) => row.id)).toEqual([early, late]);
    expect(held[0]).toMatchObject({
      topic: 'Physics',
      timeZone: 'UTC',
      at: new Date('2026-12-01T10:00:00Z'),
    });
    expect(await repo.heldInstances(db(), course, [])).toHaveLength(3);

    await db()
      .insert(tables.attendanceResults)
      .values([
        {
          schoolId: course.schoolId,
          instanceId: early,
          lmsUserId: 'ana',
          status: 'absent',
          overrideStatus: 'excused',
        },
        { schoolId: course.schoolId, instanceId: early, lmsUserId: 'bo', status: 'late' },
        { schoolId: course.schoolId, instanceId: late, lmsUserId: 'ana', status: 'absent' },
      ]);
    const results = await repo.resultsOf(db(), course.schoolId, [early, late]);
    expect(
      results
        .map((row) => `${row.instanceId === early ? 'early' : 'late'}:${row.lmsUserId}:${row.status}`)
        .sort(),
    ).toEqual(['early:ana:excused', 'early:bo:late', 'late:ana:absent']);
    expect(await repo.resultsOf(db(), other.schoolId, [early, late])).toEqual([]);
    expect(await repo.resultsOf(db(), course.schoolId, [])).toEqual([]);
  });

  it('lists the active students of the course only', async () => {
    await db()
      .insert(tables.coursePeople)
      .values([
        { ...course, lmsUserId: 'ana', isStudent: true },
        { ...course, lmsUserId: 'bo', isStudent: true, state: 'removed' },
        { ...course, lmsUserId: 'teacher', isStudent: false },
        { ...other, lmsUserId: 'cy', isStudent: true },
      ]);
    expect(await repo.activeStudents(db(), course)).toEqual(['ana']);
  });

  it('finds a meeting still to come by its start or an occurrence’s, unless excluded or deleted', async () => {
    const now = new Date();
    const upcoming = { ...course, contextId: 'c-upcoming' };
    expect(await repo.hasUpcoming(db(), upcoming, [], now)).toBe(false);
    const series = await meeting(upcoming, -10);
    await meeting(upcoming, 3, 'deleted');
    expect(await repo.hasUpcoming(db(), upcoming, [], now)).toBe(false);
    await db()
      .insert(tables.meetingOccurrences)
      .values([
        { meetingId: series, occurrenceId: '1', startTime: new Date(Date.now() - DAY), durationMinutes: 60 },
        {
          meetingId: series,
          occurrenceId: '2',
          startTime: new Date(Date.now() + DAY),
          durationMinutes: 60,
          status: 'deleted',
        },
      ]);
    expect(await repo.hasUpcoming(db(), upcoming, [], now)).toBe(false);
    await db()
      .insert(tables.meetingOccurrences)
      .values({
        meetingId: series,
        occurrenceId: '3',
        startTime: new Date(Date.now() + 2 * DAY),
        durationMinutes: 60,
      });
    expect(await repo.hasUpcoming(db(), upcoming, [], now)).toBe(true);
    expect(await repo.hasUpcoming(db(), upcoming, [series], now)).toBe(false);
    const single = await meeting(upcoming, 1);
    expect(await repo.hasUpcoming(db(), upcoming, [series], now)).toBe(true);
    expect(await repo.hasUpcoming(db(), { ...other, contextId: 'c-upcoming' }, [], now)).toBe(false);
    expect(single).toBeDefined();
  });

  it('keeps columns and scores per course, reopens deleted ones without their scores, and says when it last sent', async () => {
    await repo.saveMode(db(), course, 'course', 'teacher');
    await repo.saveMode(db(), other, 'meeting', 'teacher');
    const line = await repo.saveLine(db(), course, {
      resourceId: 'zoom-attendance:course',
      instanceId: null,
      label: 'Attendance',
      scoreMaximum: 100,
      lineItemUrl: 'https://lms.example/lineitems/1',
    });
    const again = await repo.saveLine(db(), course, {
      resourceId: 'zoom-attendance:course',
      instanceId: null,
      label: 'Attendance (renamed)',
      scoreMaximum: 100,
      lineItemUrl: 'https://lms.example/lineitems/1',
    });
    expect(again.id).toBe(line.id);
    const theirs = await repo.saveLine(db(), other, {
      resourceId: 'zoom-attendance:course',
      instanceId: null,
      label: 'Attendance',
      scoreMaximum: 100,
      lineItemUrl: 'https://lms.example/lineitems/2',
    });
    expect(theirs.id).not.toBe(line.id);
    const sentAt = new Date('2026-12-01T10:00:00.123Z');
    const ours = { lineId: line.id, lineItemUrl: 'https://lms.example/lineitems/1' };
    await repo.recordScore(db(), ours, 'ana', {
      scoreGiven: 50,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      sentAt,
    });
    await repo.recordScore(
      db(),
      { lineId: theirs.id, lineItemUrl: 'https://lms.example/lineitems/2' },
      'cy',
      {
        scoreGiven: 1,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        sentAt: new Date(),
      },
    );
    expect((await repo.sentScores(db(), course, line.id)).get('ana')).toEqual({
      scoreGiven: 50,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      sentAt,
    });
    // Another school's line is not read through this course.
    expect((await repo.sentScores(db(), course, theirs.id)).size).toBe(0);
    expect(await repo.lastSentAt(db(), course)).toEqual(sentAt);

    // A score for a URL the line no longer has (made again meanwhile) is not recorded.
    await repo.recordScore(db(), { ...ours, lineItemUrl: 'https://lms.example/lineitems/old' }, 'bo', {
      scoreGiven: 1,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      sentAt,
    });
    expect([...(await repo.sentScores(db(), course, line.id)).keys()]).toEqual(['ana']);

    await repo.markLineDeleted(db(), other, line.id, ours.lineItemUrl);
    await repo.markLineDeleted(db(), course, line.id, 'https://lms.example/lineitems/old');
    expect((await repo.linesOf(db(), course))[0]?.state).toBe('ok');
    await repo.markLineDeleted(db(), course, line.id, ours.lineItemUrl);
    expect((await repo.linesOf(db(), course)).map((row) => [row.label, row.state])).toEqual([
      ['Attendance (renamed)', 'deleted_in_lms'],
    ]);
    expect(await repo.reopenDeletedLines(db(), course)).toBe(1);
    expect(await repo.reopenDeletedLines(db(), course)).toBe(0);
    const [reopened] = await repo.linesOf(db(), course);
    expect([reopened?.state, reopened?.lineItemUrl]).toEqual(['ok', null]);
    expect((await repo.sentScores(db(), course, line.id)).size).toBe(0);
    expect((await repo.sentScores(db(), other, theirs.id)).size).toBe(1);
    // The old column's late answer records nothing on the reopened line.
    await repo.recordScore(db(), ours, 'ana', {
      scoreGiven: 50,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      sentAt,
    });
    expect((await repo.sentScores(db(), course, line.id)).size).toBe(0);
  });

  it('keeps the time a refusal was first seen while it lasts, and clears it', async () => {
    await repo.setGradeError(db(), course, 'grades_lms_unavailable');
    await queryRows(
      db(),
      sql`update attendance_settings set grade_error_at = '2026-01-01T00:00:00Z' where school_id = ${course.schoolId}`,
    );
    await repo.setGradeError(db(), course, 'grades_lms_unavailable');
    expect((await repo.settingsOf(db(), course))?.gradeErrorAt).toEqual(new Date('2026-01-01T00:00:00Z'));
    await repo.setGradeError(db(), course, 'grades_scope_not_granted');
    const changed = await repo.settingsOf(db(), course);
    expect(changed?.gradeError).toBe('grades_scope_not_granted');
    expect(changed?.gradeErrorAt?.getTime()).toBeGreaterThan(Date.parse('2026-06-01T00:00:00Z'));
    expect((await repo.settingsOf(db(), other))?.gradeError).toBeNull();
    await repo.setGradeError(db(), course, null);
    const cleared = await repo.settingsOf(db(), course);
    expect([cleared?.gradeError, cleared?.gradeErrorAt, cleared?.gradeMode]).toEqual([null, null, 'course']);
  });
});
