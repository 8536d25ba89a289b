import { and, asc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';
import { meetingsChanged } from './meetings.cache';
import type { CourseKey, MeetingRow, NewMeeting } from './meetings.repo';

const { coursePeople, courses, meetingRegistrants, meetings, zoomUsers } = tables;

/** Why a meeting has no host (meetings.host_lost_reason). */
export type HostLostReason = 'dropped' | 'deactivated' | 'deleted' | 'not_found';

const inCourse = (course: CourseKey) =>
  and(
    eq(meetings.schoolId, course.schoolId),
    eq(meetings.lmsIssuer, course.lmsIssuer),
    eq(meetings.contextId, course.contextId),
  );

/**
 * A meeting still to be held: scheduled or started, and a series or a single meeting not over yet.
 * Only these lose their host: one that is over keeps its attendance and recordings as they are.
 */
const live = (at: Date): SQL =>
  and(
    inArray(meetings.state, ['scheduled', 'started']),
    sql`(${meetings.recurrence} is not null or ${meetings.startTime} + make_interval(mins => ${meetings.durationMinutes}) > ${at})`,
  )!;

const nextVersion = sql`${meetings.version} + 1`;

async function orphan(db: Queryable, where: SQL, reason: HostLostReason, at: Date): Promise<number> {
  try {
    const rows = await db
      .update(meetings)
      .set({
        hostState: 'orphaned',
        hostLostReason: reason,
        hostLostAt: at,
        version: nextVersion,
        updatedAt: sql`now()`,
      })
      .where(and(where, eq(meetings.hostState, 'ok'), live(at)))
      .returning({ id: meetings.id });
    return rows.length;
  } finally {
    meetingsChanged();
  }
}

/** Every live meeting of the school that this Zoom user hosts loses its host; how many did. */
export function orphanHostedBy(
  db: Queryable,
  schoolId: string,
  zoomUserId: string,
  reason: HostLostReason,
  at: Date,
): Promise<number> {
  return orphan(
    db,
    and(eq(meetings.schoolId, schoolId), eq(meetings.hostZoomUserId, zoomUserId))!,
    reason,
    at,
  );
}

/** One meeting loses its host (a reconcile found its host gone). */
export function orphanMeeting(
  db: Queryable,
  read: Pick<MeetingRow, 'schoolId' | 'id' | 'hostZoomUserId' | 'zoomMeetingId'>,
  reason: HostLostReason,
  at: Date,
): Promise<number> {
  // Written after asking Zoom: only if the row still has the host and Zoom meeting that were asked
  // about (a hand-over meanwhile gave it another; that one is not lost).
  const where = and(
    eq(meetings.schoolId, read.schoolId),
    eq(meetings.id, read.id),
    eq(meetings.hostZoomUserId, read.hostZoomUserId),
    read.zoomMeetingId === null
      ? isNull(meetings.zoomMeetingId)
      : eq(meetings.zoomMeetingId, read.zoomMeetingId),
  )!;
  return orphan(db, where, reason, at);
}

/** The course's live meetings hosted by someone the roster marked removed lose their host (`dropped`). */
export function orphanDroppedHosts(db: Queryable, course: CourseKey, at: Date): Promise<number> {
  const removed = db
    .select({ id: coursePeople.lmsUserId })
    .from(coursePeople)
    .where(
      and(
        eq(coursePeople.schoolId, course.schoolId),
        eq(coursePeople.lmsIssuer, course.lmsIssuer),
        eq(coursePeople.contextId, course.contextId),
        eq(coursePeople.state, 'removed'),
      ),
    );
  return orphan(db, and(inCourse(course), inArray(meetings.hostLmsUserId, removed))!, 'dropped', at);
}

/**
 * A deactivated host active again: their meetings nobody handed over yet (still theirs, lost only
 * for that reason) have their host back.
 */
export async function restoreDeactivatedHost(
  db: Queryable,
  schoolId: string,
  zoomUserId: string,
): Promise<number> {
  try {
    const rows = await db
      .update(meetings)
      .set({
        hostState: 'ok',
        hostLostReason: null,
        hostLostAt: null,
        version: nextVersion,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(meetings.schoolId, schoolId),
          eq(meetings.hostZoomUserId, zoomUserId),
          eq(meetings.hostState, 'orphaned'),
          eq(meetings.hostLostReason, 'deactivated'),
        ),
      )
      .returning({ id: meetings.id });
    return rows.length;
  } finally {
    meetingsChanged();
  }
}

/** Provisioning's record of a Zoom user of the school follows what Zoom said of it. */
export async function markZoomUser(
  db: Queryable,
  schoolId: string,
  zoomUserId: string,
  status: 'active' | 'inactive' | 'deleted',
): Promise<void> {
  await db
    .update(zoomUsers)
    .set({ status, updatedAt: sql`now()` })
    .where(and(eq(zoomUsers.schoolId, schoolId), eq(zoomUsers.zoomUserId, zoomUserId)));
}

/** The course's meetings without a host, soonest first. */
export async function orphansOfCourse(db: Queryable, course: CourseKey): Promise<MeetingRow[]> {
  return db
    .select()
    .from(meetings)
    .where(
      and(
        inCourse(course),
        eq(meetings.hostState, 'orphaned'),
        inArray(meetings.state, ['scheduled', 'started']),
      ),
    )
    .orderBy(asc(meetings.startTime));
}

export interface SchoolOrphan {
  id: string;
  topic: string;
  courseTitle: string;
  contextId: string;
  hostName: string;
  reason: HostLostReason | null;
  lostAt: Date | null;
  startTime: Date;
}

/** Every meeting of the school without a host, with its course's title (the school admin's list). */
export async function orphansOfSchool(db: Queryable, schoolId: string): Promise<SchoolOrphan[]> {
  return db
    .select({
      id: meetings.id,
      topic: meetings.topic,
      courseTitle: sql<string>`coalesce(${courses.title}, '')`,
      contextId: meetings.contextId,
      hostName: meetings.hostName,
      reason: meetings.hostLostReason,
      lostAt: meetings.hostLostAt,
      startTime: meetings.startTime,
    })
    .from(meetings)
    .leftJoin(
      courses,
      and(
        eq(courses.schoolId, meetings.schoolId),
        eq(courses.lmsIssuer, meetings.lmsIssuer),
        eq(courses.contextId, meetings.contextId),
      ),
    )
    .where(
      and(
        eq(meetings.schoolId, schoolId),
        eq(meetings.hostState, 'orphaned'),
        inArray(meetings.state, ['scheduled', 'started']),
      ),
    )
    .orderBy(asc(meetings.hostLostAt), asc(meetings.startTime));
}

export interface Candidate {
  lmsUserId: string;
  name: string;
  zoomUserId: string;
  email: string | null;
}

/**
 * Who may take the course's meetings: its active staff (Names and Roles) whose Zoom user is active
 * and licensed (type 2): Zoom gives registration and long meetings only to licensed hosts.
 */
export async function candidatesOf(db: Queryable, course: CourseKey): Promise<Candidate[]> {
  const rows = await db
    .select({
      lmsUserId: coursePeople.lmsUserId,
      name: coursePeople.name,
      zoomName: zoomUsers.name,
      zoomUserId: zoomUsers.zoomUserId,
      email: zoomUsers.email,
    })
    .from(coursePeople)
    .innerJoin(
      zoomUsers,
      and(
        eq(zoomUsers.schoolId, coursePeople.schoolId),
        eq(zoomUsers.lmsIssuer, coursePeople.lmsIssuer),
        eq(zoomUsers.lmsUserId, coursePeople.lmsUserId),
      ),
    )
    .where(
      and(
        eq(coursePeople.schoolId, course.schoolId),
        eq(coursePeople.lmsIssuer, course.lmsIssuer),
        eq(coursePeople.contextId, course.contextId),
        eq(coursePeople.state, 'active'),
        eq(coursePeople.isStudent, false),
        eq(zoomUsers.status, 'active'),
        eq(zoomUsers.licenceType, 2),
        isNotNull(zoomUsers.zoomUserId),
      ),
    )
    .orderBy(asc(coursePeople.name));
  return rows.map((row) => ({
    lmsUserId: row.lmsUserId,
    name: row.name || row.zoomName,
    zoomUserId: row.zoomUserId!,
    email: row.email,
  }));
}

/** Writes the hand-over (new host, and for a recreated meeting its new Zoom ids and link) if the row is the version read. */
export async function recordHandover(
  db: Queryable,
  meetingId: string,
  expected: { version: number },
  values: Partial<NewMeeting>,
): Promise<MeetingRow | undefined> {
  try {
    const [row] = await db
      .update(meetings)
      .set({ ...values, version: nextVersion, updatedAt: sql`now()` })
      .where(
        and(
          eq(meetings.id, meetingId),
          eq(meetings.version, expected.version),
          eq(meetings.hostState, 'orphaned'),
        ),
      )
      .returning();
    return row;
  } finally {
    meetingsChanged();
  }
}

/** A recreated meeting's registrant links belong to the old Zoom meeting: they go (new ones are made). */
export async function deleteRegistrants(db: Queryable, schoolId: string, meetingId: string): Promise<void> {
  await db
    .delete(meetingRegistrants)
    .where(and(eq(meetingRegistrants.schoolId, schoolId), eq(meetingRegistrants.meetingId, meetingId)));
}
