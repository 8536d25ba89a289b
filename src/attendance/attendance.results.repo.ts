import { and, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';
import { peopleInSections } from '../meetings';
import type { ComputeSession, StudentResult } from './attendance.compute';

const {
  attendanceResults,
  attendanceSessions,
  attendanceSettings,
  coursePeople,
  meetingInstances,
  meetingOccurrences,
  meetingRegistrants,
  meetings,
  zoomUsers,
} = tables;

export type InstanceRow = typeof meetingInstances.$inferSelect;
export type MeetingRow = typeof meetings.$inferSelect;
export type ResultRow = typeof attendanceResults.$inferSelect;
type SessionRow = typeof attendanceSessions.$inferSelect;

/** The rules of a course (docs: 75 % and 10 minutes when it has none). */
export interface CourseRules {
  enabled: boolean;
  presentPercent: number;
  lateMinutes: number;
}
export const DEFAULT_RULES: CourseRules = { enabled: true, presentPercent: 75, lateMinutes: 10 };

/** The held instance (school, Zoom's instance uuid), made on its first event; its id either way. */
export async function upsertInstance(
  db: Queryable,
  values: {
    schoolId: string;
    meetingId: string;
    zoomUuid: string;
    occurrenceId: string | null;
    scheduledStart: Date;
    scheduledMinutes: number;
  },
): Promise<InstanceRow> {
  await db.insert(meetingInstances).values(values).onConflictDoNothing();
  const [row] = await db
    .select()
    .from(meetingInstances)
    .where(
      and(eq(meetingInstances.schoolId, values.schoolId), eq(meetingInstances.zoomUuid, values.zoomUuid)),
    );
  if (!row) throw new Error('meeting instance vanished after its upsert');
  return row;
}

export async function setInstanceTimes(
  db: Queryable,
  id: string,
  times: { startedAt?: Date; endedAt?: Date },
): Promise<void> {
  await db
    .update(meetingInstances)
    .set({
      ...(times.startedAt
        ? { startedAt: sql`coalesce(${meetingInstances.startedAt}, ${times.startedAt})` }
        : {}),
      ...(times.endedAt ? { endedAt: times.endedAt } : {}),
    })
    .where(eq(meetingInstances.id, id));
}

export async function instanceById(
  db: Queryable,
  schoolId: string,
  id: string,
): Promise<InstanceRow | undefined> {
  const [row] = await db
    .select()
    .from(meetingInstances)
    .where(and(eq(meetingInstances.schoolId, schoolId), eq(meetingInstances.id, id)));
  return row;
}

/** The occurrences of a series (start and length), to find the one an instance was held for. */
export async function occurrencesOf(db: Queryable, meetingId: string) {
  return db
    .select({
      occurrenceId: meetingOccurrences.occurrenceId,
      startTime: meetingOccurrences.startTime,
      durationMinutes: meetingOccurrences.durationMinutes,
    })
    .from(meetingOccurrences)
    .where(eq(meetingOccurrences.meetingId, meetingId));
}

/** Sessions still open when the instance ended leave at its end. */
export async function closeOpenSessions(
  db: Queryable,
  schoolId: string,
  zoomUuid: string,
  endedAt: Date,
): Promise<void> {
  await db
    .update(attendanceSessions)
    .set({ leftAt: endedAt })
    .where(
      and(
        eq(attendanceSessions.schoolId, schoolId),
        eq(attendanceSessions.zoomMeetingUuid, zoomUuid),
        isNull(attendanceSessions.leftAt),
        lte(attendanceSessions.joinedAt, endedAt),
      ),
    );
}

export async function rulesOf(
  db: Queryable,
  course: { schoolId: string; lmsIssuer: string; contextId: string },
): Promise<CourseRules> {
  const [row] = await db
    .select({
      enabled: attendanceSettings.enabled,
      presentPercent: attendanceSettings.presentPercent,
      lateMinutes: attendanceSettings.lateMinutes,
    })
    .from(attendanceSettings)
    .where(
      and(
        eq(attendanceSettings.schoolId, course.schoolId),
        eq(attendanceSettings.lmsIssuer, course.lmsIssuer),
        eq(attendanceSettings.contextId, course.contextId),
      ),
    );
  return row ?? DEFAULT_RULES;
}

/** Active students of the course (of a section meeting: those of its sections). */
export async function rosterOf(
  db: Queryable,
  course: { schoolId: string; lmsIssuer: string; contextId: string },
  sectionIds?: string[],
) {
  return db
    .select({ lmsUserId: coursePeople.lmsUserId, name: coursePeople.name })
    .from(coursePeople)
    .where(
      and(
        eq(coursePeople.schoolId, course.schoolId),
        eq(coursePeople.lmsIssuer, course.lmsIssuer),
        eq(coursePeople.contextId, course.contextId),
        eq(coursePeople.isStudent, true),
        eq(coursePeople.state, 'active'),
        peopleInSections(sectionIds),
      ),
    )
    .orderBy(coursePeople.lmsUserId);
}

export async function registrantsOf(db: Queryable, schoolId: string, meetingId: string) {
  return db
    .select({
      lmsUserId: meetingRegistrants.lmsUserId,
      registrantId: meetingRegistrants.registrantId,
      email: meetingRegistrants.email,
    })
    .from(meetingRegistrants)
    .where(and(eq(meetingRegistrants.schoolId, schoolId), eq(meetingRegistrants.meetingId, meetingId)));
}

/** The meeting's host and its alternative hosts' Zoom user ids (by their emails among the school's Zoom users). */
export async function hostIdsOf(db: Queryable, meeting: MeetingRow): Promise<string[]> {
  const emails = meeting.settings.alternativeHosts.map((e) => e.trim().toLowerCase()).filter(Boolean);
  const alternatives =
    emails.length === 0
      ? []
      : await db
          .select({ id: zoomUsers.zoomUserId })
          .from(zoomUsers)
          .where(
            and(
              eq(zoomUsers.schoolId, meeting.schoolId),
              isNotNull(zoomUsers.zoomUserId),
              inArray(sql`lower(${zoomUsers.email})`, emails),
            ),
          );
  return [meeting.hostZoomUserId, ...alternatives.flatMap((a) => (a.id ? [a.id] : []))];
}

export async function sessionsOf(db: Queryable, instance: InstanceRow): Promise<SessionRow[]> {
  return db
    .select()
    .from(attendanceSessions)
    .where(
      and(
        eq(attendanceSessions.schoolId, instance.schoolId),
        eq(attendanceSessions.meetingId, instance.meetingId),
        eq(attendanceSessions.zoomMeetingUuid, instance.zoomUuid),
      ),
    );
}

export const asComputeSession = (s: SessionRow): ComputeSession => ({
  registrantId: s.registrantId,
  email: s.email,
  zoomAccountUserId: s.zoomAccountUserId,
  displayName: s.displayName,
  joinedAt: s.joinedAt,
  leftAt: s.leftAt,
});

export async function resultsOf(db: Queryable, schoolId: string, instanceId: string): Promise<ResultRow[]> {
  return db
    .select()
    .from(attendanceResults)
    .where(and(eq(attendanceResults.schoolId, schoolId), eq(attendanceResults.instanceId, instanceId)));
}

/** Writes computed results in one statement; the instructor's override columns are never touched. */
export async function upsertResults(
  db: Queryable,
  schoolId: string,
  instanceId: string,
  results: readonly StudentResult[],
): Promise<void> {
  if (results.length === 0) return;
  const now = new Date();
  await db
    .insert(attendanceResults)
    .values(
      results.map((r) => ({
        schoolId,
        instanceId,
        lmsUserId: r.lmsUserId,
        status: r.status,
        seconds: r.seconds,
        firstJoinAt: r.firstJoinAt,
        intervals: r.intervals,
        flags: r.flags,
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [attendanceResults.instanceId, attendanceResults.lmsUserId],
      set: {
        status: sql`excluded.status`,
        seconds: sql`excluded.seconds`,
        firstJoinAt: sql`excluded.first_join_at`,
        intervals: sql`excluded.intervals`,
        flags: sql`excluded.flags`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}

export async function markComputed(db: Queryable, id: string, final: boolean): Promise<void> {
  const now = new Date();
  await db
    .update(meetingInstances)
    .set({
      computedAt: now,
      ...(final ? { finalAt: sql`coalesce(${meetingInstances.finalAt}, ${now})` } : {}),
    })
    .where(eq(meetingInstances.id, id));
}

export async function setReportState(
  db: Queryable,
  id: string,
  values: {
    reportState?: 'pending' | 'read' | 'unavailable';
    reportAttempts?: number;
    reportError?: string | null;
  },
): Promise<void> {
  await db.update(meetingInstances).set(values).where(eq(meetingInstances.id, id));
}

/** Ended instances of a course's meetings (for a recompute after its rules change). */
export async function endedInstancesOfCourse(
  db: Queryable,
  course: { schoolId: string; lmsIssuer: string; contextId: string },
): Promise<InstanceRow[]> {
  const rows = await db
    .select({ instance: meetingInstances })
    .from(meetingInstances)
    .innerJoin(meetings, eq(meetings.id, meetingInstances.meetingId))
    .where(
      and(
        eq(meetingInstances.schoolId, course.schoolId),
        eq(meetings.schoolId, course.schoolId),
        eq(meetings.lmsIssuer, course.lmsIssuer),
        eq(meetings.contextId, course.contextId),
        isNotNull(meetingInstances.endedAt),
      ),
    );
  return rows.map((r) => r.instance);
}
