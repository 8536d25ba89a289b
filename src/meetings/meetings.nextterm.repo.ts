import { and, asc, eq, inArray, isNull, notExists, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';
import type { CourseKey, CourseRow, MeetingRow } from './meetings.repo';

const { courses, meetings } = tables;

/** The states of an earlier course's meetings worth bringing over: held or still to be held. */
const KEPT_STATES = ['scheduled', 'started', 'ended'] as const;

const isCourse = (course: CourseKey) =>
  and(
    eq(courses.schoolId, course.schoolId),
    eq(courses.lmsIssuer, course.lmsIssuer),
    eq(courses.contextId, course.contextId),
  );

const meetingsOfCourse = (db: Queryable, course: CourseKey) =>
  db
    .select({ id: meetings.id })
    .from(meetings)
    .where(
      and(
        eq(meetings.schoolId, course.schoolId),
        eq(meetings.lmsIssuer, course.lmsIssuer),
        eq(meetings.contextId, course.contextId),
      ),
    );

/** Whether the course holds any meeting at all (a deleted or failed one too): such a course is not empty. */
export async function hasAnyMeeting(db: Queryable, course: CourseKey): Promise<boolean> {
  const rows = await meetingsOfCourse(db, course).limit(1);
  return rows.length > 0;
}

/**
 * The first of `contextIds` (most recent first) that is a course of the same school and issuer
 * holding meetings worth bringing over; never a course of another school or LMS.
 */
export async function earlierCourseWithMeetings(
  db: Queryable,
  scope: { schoolId: string; lmsIssuer: string },
  contextIds: string[],
): Promise<CourseRow | undefined> {
  if (contextIds.length === 0) return undefined;
  const rows = await db
    .select()
    .from(courses)
    .where(
      and(
        eq(courses.schoolId, scope.schoolId),
        eq(courses.lmsIssuer, scope.lmsIssuer),
        inArray(courses.contextId, contextIds),
        sql`exists (select 1 from ${meetings} where ${meetings.schoolId} = ${courses.schoolId}
          and ${meetings.lmsIssuer} = ${courses.lmsIssuer} and ${meetings.contextId} = ${courses.contextId}
          and ${meetings.state} in ('scheduled', 'started', 'ended'))`,
      ),
    );
  const byId = new Map(rows.map((row) => [row.contextId, row]));
  for (const id of contextIds) {
    const row = byId.get(id);
    if (row) return row;
  }
  return undefined;
}

/**
 * Records the offer, once: the course (recorded now if its first page is still being drawn) gets
 * where it was copied from and `offered`, unless an offer was ever recorded or it holds a meeting.
 * True when this call recorded it.
 */
export async function recordOffer(
  db: Queryable,
  course: CourseKey,
  title: string,
  fromContextId: string,
): Promise<boolean> {
  await db
    .insert(courses)
    .values({ ...course, title })
    .onConflictDoNothing();
  const rows = await db
    .update(courses)
    .set({ copiedFromContextId: fromContextId, copyOfferState: 'offered' })
    .where(and(isCourse(course), isNull(courses.copyOfferState), notExists(meetingsOfCourse(db, course))))
    .returning({ contextId: courses.contextId });
  return rows.length > 0;
}

/** Moves the offer on from `offered` (to `dismissed` or `done`); false when it was not offered. */
export async function closeOffer(
  db: Queryable,
  course: CourseKey,
  to: 'dismissed' | 'done',
): Promise<boolean> {
  const rows = await db
    .update(courses)
    .set({ copyOfferState: to })
    .where(and(isCourse(course), eq(courses.copyOfferState, 'offered')))
    .returning({ contextId: courses.contextId });
  return rows.length > 0;
}

/** The earlier course's series and single meetings worth bringing over (none deleted or failed), first first. */
export async function seriesOf(db: Queryable, course: CourseKey): Promise<MeetingRow[]> {
  return db
    .select()
    .from(meetings)
    .where(
      and(
        eq(meetings.schoolId, course.schoolId),
        eq(meetings.lmsIssuer, course.lmsIssuer),
        eq(meetings.contextId, course.contextId),
        inArray(meetings.state, [...KEPT_STATES]),
      ),
    )
    .orderBy(asc(meetings.startTime), asc(meetings.id));
}
