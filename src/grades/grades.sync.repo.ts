import { and, asc, eq, gt, inArray, isNotNull, max, notInArray, or, sql } from 'drizzle-orm';
import { queryRows, tables, type Queryable } from '../storage';

const {
  attendanceResults,
  attendanceSettings,
  coursePeople,
  courses,
  gradeLines,
  gradeScores,
  meetingInstances,
  meetingOccurrences,
  meetings,
} = tables;

/** A course of a school: every query below is scoped by all three. */
export interface CourseRef {
  schoolId: string;
  lmsIssuer: string;
  contextId: string;
}

export type GradeMode = 'off' | 'course' | 'meeting';
export type SettingsRow = typeof attendanceSettings.$inferSelect;
export type GradeLineRow = typeof gradeLines.$inferSelect;
export type EffectiveStatus = 'present' | 'late' | 'absent' | 'excused';

const settingsOfCourse = (course: CourseRef) =>
  and(
    eq(attendanceSettings.schoolId, course.schoolId),
    eq(attendanceSettings.lmsIssuer, course.lmsIssuer),
    eq(attendanceSettings.contextId, course.contextId),
  );
const linesOfCourse = (course: CourseRef) =>
  and(
    eq(gradeLines.schoolId, course.schoolId),
    eq(gradeLines.lmsIssuer, course.lmsIssuer),
    eq(gradeLines.contextId, course.contextId),
  );
const meetingsOfCourse = (course: CourseRef) =>
  and(
    eq(meetings.schoolId, course.schoolId),
    eq(meetings.lmsIssuer, course.lmsIssuer),
    eq(meetings.contextId, course.contextId),
  );
/** Meetings that count: not excluded by the course's settings (compared as text: any id is harmless). */
const counted = (excluded: readonly string[]) =>
  excluded.length > 0 ? notInArray(sql`${meetings.id}::text`, [...excluded]) : undefined;

export async function settingsOf(db: Queryable, course: CourseRef): Promise<SettingsRow | undefined> {
  const [row] = await db.select().from(attendanceSettings).where(settingsOfCourse(course));
  return row;
}

/** What a staff launch recorded of the course's grade service (undefined: the course is unknown). */
export async function gradeServiceOf(db: Queryable, course: CourseRef) {
  const [row] = await db
    .select({ clientId: courses.clientId, lineItemsUrl: courses.lineItemsUrl, agsScopes: courses.agsScopes })
    .from(courses)
    .where(
      and(
        eq(courses.schoolId, course.schoolId),
        eq(courses.lmsIssuer, course.lmsIssuer),
        eq(courses.contextId, course.contextId),
      ),
    );
  return row;
}

/** The course's held instances (results computed) of meetings that count, oldest first. */
export async function heldInstances(db: Queryable, course: CourseRef, excluded: readonly string[]) {
  return db
    .select({
      id: meetingInstances.id,
      meetingId: meetingInstances.meetingId,
      topic: meetings.topic,
      timeZone: meetings.timeZone,
      at: sql<Date>`coalesce(${meetingInstances.scheduledStart}, ${meetingInstances.startedAt}, ${meetingInstances.createdAt})`.mapWith(
        (value: Date | string) => new Date(value),
      ),
    })
    .from(meetingInstances)
    .innerJoin(meetings, eq(meetings.id, meetingInstances.meetingId))
    .where(
      and(
        eq(meetingInstances.schoolId, course.schoolId),
        meetingsOfCourse(course),
        isNotNull(meetingInstances.computedAt),
        counted(excluded),
      ),
    )
    .orderBy(
      asc(
        sql`coalesce(${meetingInstances.scheduledStart}, ${meetingInstances.startedAt}, ${meetingInstances.createdAt})`,
      ),
      asc(meetingInstances.id),
    );
}

/** Each result of these instances, with its effective status (the override's, else the computed one). */
export async function resultsOf(
  db: Queryable,
  schoolId: string,
  instanceIds: readonly string[],
): Promise<Array<{ instanceId: string; lmsUserId: string; status: EffectiveStatus }>> {
  if (instanceIds.length === 0) return [];
  return db
    .select({
      instanceId: attendanceResults.instanceId,
      lmsUserId: attendanceResults.lmsUserId,
      status: sql<EffectiveStatus>`coalesce(${attendanceResults.overrideStatus}, ${attendanceResults.status})`,
    })
    .from(attendanceResults)
    .where(
      and(eq(attendanceResults.schoolId, schoolId), inArray(attendanceResults.instanceId, [...instanceIds])),
    );
}

/** The LMS user ids of the course's active students (removed ones get no new score). */
export async function activeStudents(db: Queryable, course: CourseRef): Promise<string[]> {
  const rows = await db
    .select({ lmsUserId: coursePeople.lmsUserId })
    .from(coursePeople)
    .where(
      and(
        eq(coursePeople.schoolId, course.schoolId),
        eq(coursePeople.lmsIssuer, course.lmsIssuer),
        eq(coursePeople.contextId, course.contextId),
        eq(coursePeople.state, 'active'),
        eq(coursePeople.isStudent, true),
      ),
    )
    .orderBy(asc(coursePeople.lmsUserId));
  return rows.map((row) => row.lmsUserId);
}

/** Whether a meeting that counts is still to come (its start, or an occurrence's, after `now`). */
export async function hasUpcoming(
  db: Queryable,
  course: CourseRef,
  excluded: readonly string[],
  now: Date,
): Promise<boolean> {
  const [row] = await db
    .select({ id: meetings.id })
    .from(meetings)
    .where(
      and(
        meetingsOfCourse(course),
        counted(excluded),
        inArray(meetings.state, ['creating', 'scheduled', 'started']),
        or(
          gt(meetings.startTime, now),
          sql`exists (select 1 from ${meetingOccurrences} o where o.meeting_id = ${meetings.id}
                and o.status = 'available' and o.start_time > ${now})`,
        ),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export async function linesOf(db: Queryable, course: CourseRef): Promise<GradeLineRow[]> {
  return db.select().from(gradeLines).where(linesOfCourse(course)).orderBy(asc(gradeLines.resourceId));
}

/** Records a column (or its URL and label): keyed by course and `resourceId`. */
export async function saveLine(
  db: Queryable,
  course: CourseRef,
  line: {
    resourceId: string;
    instanceId: string | null;
    label: string;
    scoreMaximum: number;
    lineItemUrl: string;
  },
): Promise<GradeLineRow> {
  const { resourceId, instanceId, label, scoreMaximum, lineItemUrl } = line;
  const { schoolId, lmsIssuer, contextId } = course;
  const [row] = await db
    .insert(gradeLines)
    .values({
      schoolId,
      lmsIssuer,
      contextId,
      resourceId,
      instanceId,
      label,
      scoreMaximum,
      lineItemUrl,
      state: 'ok',
    })
    .onConflictDoUpdate({
      target: [gradeLines.schoolId, gradeLines.lmsIssuer, gradeLines.contextId, gradeLines.resourceId],
      set: { label, scoreMaximum, lineItemUrl, updatedAt: sql`now()` },
    })
    .returning();
  if (!row) throw new Error('grade line not written');
  return row;
}

/**
 * The LMS answered 404 for this column: it is not made again until the instructor asks. Only while
 * it still has the URL that was refused (a column made again meanwhile stays).
 */
export async function markLineDeleted(
  db: Queryable,
  course: CourseRef,
  lineId: string,
  lineItemUrl: string,
): Promise<void> {
  await db
    .update(gradeLines)
    .set({ state: 'deleted_in_lms', updatedAt: sql`now()` })
    .where(and(linesOfCourse(course), eq(gradeLines.id, lineId), eq(gradeLines.lineItemUrl, lineItemUrl)));
}

/**
 * The instructor's "Create it again": the deleted columns forget their URL and what was sent to them
 * (the new column has no scores), and are made again by the next run. Returns how many.
 */
export async function reopenDeletedLines(db: Queryable, course: CourseRef): Promise<number> {
  const reopened = await db
    .update(gradeLines)
    .set({ state: 'ok', lineItemUrl: null, updatedAt: sql`now()` })
    .where(and(linesOfCourse(course), eq(gradeLines.state, 'deleted_in_lms')))
    .returning({ id: gradeLines.id });
  if (reopened.length > 0)
    await db.delete(gradeScores).where(
      inArray(
        gradeScores.lineId,
        reopened.map((line) => line.id),
      ),
    );
  return reopened.length;
}

export interface SentScore {
  scoreGiven: number;
  activityProgress: string;
  gradingProgress: string;
  sentAt: Date;
}

/** What was last sent to a column of the course, by LMS user id. */
export async function sentScores(
  db: Queryable,
  course: CourseRef,
  lineId: string,
): Promise<Map<string, SentScore>> {
  const rows = await db
    .select({
      lmsUserId: gradeScores.lmsUserId,
      scoreGiven: gradeScores.scoreGiven,
      activityProgress: gradeScores.activityProgress,
      gradingProgress: gradeScores.gradingProgress,
      sentAt: gradeScores.sentAt,
    })
    .from(gradeScores)
    .innerJoin(gradeLines, eq(gradeLines.id, gradeScores.lineId))
    .where(and(linesOfCourse(course), eq(gradeScores.lineId, lineId)));
  return new Map(rows.map(({ lmsUserId, ...sent }) => [lmsUserId, sent]));
}

/**
 * Records a score the LMS took (the line is the course's: read through `linesOf`), only while the
 * line still has the URL it was sent to: a column made again meanwhile gets every score anew.
 */
export async function recordScore(
  db: Queryable,
  line: { lineId: string; lineItemUrl: string },
  lmsUserId: string,
  sent: SentScore,
): Promise<void> {
  await queryRows(
    db,
    sql`insert into ${gradeScores} (line_id, lms_user_id, score_given, activity_progress, grading_progress, sent_at)
        select ${line.lineId}::uuid, ${lmsUserId}, ${sent.scoreGiven}::double precision, ${sent.activityProgress},
               ${sent.gradingProgress}, ${sent.sentAt.toISOString()}::timestamptz
        where exists (select 1 from ${gradeLines} where id = ${line.lineId}::uuid
                        and line_item_url = ${line.lineItemUrl} and state = 'ok')
        on conflict (line_id, lms_user_id) do update set
          score_given = excluded.score_given, activity_progress = excluded.activity_progress,
          grading_progress = excluded.grading_progress, sent_at = excluded.sent_at`,
  );
}

/** When the course's scores were last sent (any column). */
export async function lastSentAt(db: Queryable, course: CourseRef): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: max(gradeScores.sentAt) })
    .from(gradeScores)
    .innerJoin(gradeLines, eq(gradeLines.id, gradeScores.lineId))
    .where(linesOfCourse(course));
  return row?.at ? new Date(row.at) : undefined;
}

/**
 * The course's grade refusal (an error id), or none. The same refusal again keeps the time it was
 * first seen (how long the LMS has been unavailable).
 */
export async function setGradeError(db: Queryable, course: CourseRef, errorId: string | null): Promise<void> {
  await db
    .update(attendanceSettings)
    .set({
      gradeError: errorId,
      gradeErrorAt:
        errorId === null
          ? null
          : sql`case when ${attendanceSettings.gradeError} = ${errorId} then ${attendanceSettings.gradeErrorAt} else now() end`,
    })
    .where(
      and(settingsOfCourse(course), errorId === null ? isNotNull(attendanceSettings.gradeError) : undefined),
    );
}

/** Sets the course's grade mode (the settings row made with its defaults if there is none). */
export async function saveMode(db: Queryable, course: CourseRef, mode: GradeMode, by: string): Promise<void> {
  await db
    .insert(attendanceSettings)
    .values({ ...course, gradeMode: mode, updatedBy: by })
    .onConflictDoUpdate({
      target: [attendanceSettings.schoolId, attendanceSettings.lmsIssuer, attendanceSettings.contextId],
      set: { gradeMode: mode, updatedBy: by, updatedAt: sql`now()` },
    });
}
