import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';

/**
 * What the attendance pages read and the two changes they make (an override, the course's rules).
 * Every query names the school AND the course (issuer, context): an instance of another course, or
 * of another school, is not found.
 */
const {
  attendanceResults,
  attendanceSessions,
  attendanceSettings,
  coursePeople,
  meetingInstances,
  meetingRegistrants,
  meetings,
  zoomUsers,
} = tables;

export interface CourseKey {
  schoolId: string;
  lmsIssuer: string;
  contextId: string;
}

const ofCourse = (course: CourseKey) =>
  and(
    eq(meetings.schoolId, course.schoolId),
    eq(meetings.lmsIssuer, course.lmsIssuer),
    eq(meetings.contextId, course.contextId),
    eq(meetingInstances.schoolId, course.schoolId),
  );

const instanceColumns = {
  id: meetingInstances.id,
  meetingId: meetingInstances.meetingId,
  zoomUuid: meetingInstances.zoomUuid,
  topic: meetings.topic,
  hostZoomUserId: meetings.hostZoomUserId,
  scheduledStart: meetingInstances.scheduledStart,
  scheduledMinutes: meetingInstances.scheduledMinutes,
  startedAt: meetingInstances.startedAt,
  endedAt: meetingInstances.endedAt,
  computedAt: meetingInstances.computedAt,
  finalAt: meetingInstances.finalAt,
};

export type InstanceRow = {
  id: string;
  meetingId: string;
  zoomUuid: string;
  topic: string;
  hostZoomUserId: string;
  scheduledStart: Date | null;
  scheduledMinutes: number | null;
  startedAt: Date | null;
  endedAt: Date | null;
  computedAt: Date | null;
  finalAt: Date | null;
};

/** The course's held instances (newest first). */
export async function heldInstances(db: Queryable, course: CourseKey): Promise<InstanceRow[]> {
  return db
    .select(instanceColumns)
    .from(meetingInstances)
    .innerJoin(meetings, eq(meetings.id, meetingInstances.meetingId))
    .where(ofCourse(course))
    .orderBy(
      desc(sql`coalesce(${meetingInstances.startedAt}, ${meetingInstances.scheduledStart})`),
      desc(meetingInstances.createdAt),
    );
}

/** One held instance of the course, or undefined (another course's, another school's, or none). */
export async function instanceOf(
  db: Queryable,
  course: CourseKey,
  instanceId: string,
): Promise<InstanceRow | undefined> {
  const [row] = await db
    .select(instanceColumns)
    .from(meetingInstances)
    .innerJoin(meetings, eq(meetings.id, meetingInstances.meetingId))
    .where(and(ofCourse(course), eq(meetingInstances.id, instanceId)));
  return row;
}

export type ResultRow = typeof attendanceResults.$inferSelect;

/** Every result of the course's instances (or of one student), the instance named. */
export async function resultsOfCourse(
  db: Queryable,
  course: CourseKey,
  lmsUserId?: string,
): Promise<ResultRow[]> {
  const rows = await db
    .select({ result: attendanceResults })
    .from(attendanceResults)
    .innerJoin(meetingInstances, eq(meetingInstances.id, attendanceResults.instanceId))
    .innerJoin(meetings, eq(meetings.id, meetingInstances.meetingId))
    .where(
      and(
        ofCourse(course),
        eq(attendanceResults.schoolId, course.schoolId),
        lmsUserId === undefined ? undefined : eq(attendanceResults.lmsUserId, lmsUserId),
      ),
    );
  return rows.map((row) => row.result);
}

/** The results of one instance (the caller found the instance in its course first). */
export async function resultsOfInstance(
  db: Queryable,
  schoolId: string,
  instanceId: string,
): Promise<ResultRow[]> {
  return db
    .select()
    .from(attendanceResults)
    .where(and(eq(attendanceResults.schoolId, schoolId), eq(attendanceResults.instanceId, instanceId)));
}

export type PersonRow = { lmsUserId: string; name: string; state: 'active' | 'removed' };

/** The course's students (active first, by name), as Names and Roles or their launches listed them. */
export async function studentsOf(db: Queryable, course: CourseKey): Promise<PersonRow[]> {
  return db
    .select({ lmsUserId: coursePeople.lmsUserId, name: coursePeople.name, state: coursePeople.state })
    .from(coursePeople)
    .where(
      and(
        eq(coursePeople.schoolId, course.schoolId),
        eq(coursePeople.lmsIssuer, course.lmsIssuer),
        eq(coursePeople.contextId, course.contextId),
        eq(coursePeople.isStudent, true),
      ),
    )
    .orderBy(asc(coursePeople.state), asc(coursePeople.name), asc(coursePeople.lmsUserId));
}

export type SessionRow = typeof attendanceSessions.$inferSelect;

/**
 * The sessions of an instance that are nobody of our roster: no registrant of ours (by registrant
 * id or our secondary email) for its meeting. Hosts among them are told apart by the caller.
 */
export async function unmatchedSessions(db: Queryable, instance: InstanceRow, schoolId: string) {
  const r = meetingRegistrants;
  return db
    .select()
    .from(attendanceSessions)
    .where(
      and(
        eq(attendanceSessions.schoolId, schoolId),
        eq(attendanceSessions.meetingId, instance.meetingId),
        eq(attendanceSessions.zoomMeetingUuid, instance.zoomUuid),
        sql`not exists (select 1 from ${r} where ${r.schoolId} = ${schoolId} and ${r.meetingId} = ${instance.meetingId}
          and (${r.registrantId} = ${attendanceSessions.registrantId} or lower(${r.email}) = lower(${attendanceSessions.email})))`,
      ),
    )
    .orderBy(sql`${attendanceSessions.joinedAt} asc nulls last`, attendanceSessions.leftAt);
}

/** The school's Zoom user ids (its instructors' and administrators'): a session signed in as one is a host's. */
export async function schoolZoomUserIds(
  db: Queryable,
  schoolId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ zoomUserId: zoomUsers.zoomUserId })
    .from(zoomUsers)
    .where(and(eq(zoomUsers.schoolId, schoolId), inArray(zoomUsers.zoomUserId, ids)));
  return new Set(rows.map((row) => row.zoomUserId ?? ''));
}

/** The course's meetings that may hold classes (for "which meetings count"). */
export async function meetingsOfCourse(db: Queryable, course: CourseKey) {
  return db
    .select({ id: meetings.id, topic: meetings.topic, startTime: meetings.startTime })
    .from(meetings)
    .where(
      and(
        eq(meetings.schoolId, course.schoolId),
        eq(meetings.lmsIssuer, course.lmsIssuer),
        eq(meetings.contextId, course.contextId),
        ne(meetings.state, 'failed'),
        ne(meetings.state, 'creating'),
      ),
    )
    .orderBy(asc(meetings.startTime), asc(meetings.topic));
}

export type SettingsRow = typeof attendanceSettings.$inferSelect;

const ofSettings = (course: CourseKey) =>
  and(
    eq(attendanceSettings.schoolId, course.schoolId),
    eq(attendanceSettings.lmsIssuer, course.lmsIssuer),
    eq(attendanceSettings.contextId, course.contextId),
  );

export async function settingsOf(db: Queryable, course: CourseKey): Promise<SettingsRow | undefined> {
  const [row] = await db.select().from(attendanceSettings).where(ofSettings(course));
  return row;
}

export interface RulesWrite {
  presentPercent: number;
  lateMinutes: number;
  excludedMeetingIds: string[];
  gradeMode: 'off' | 'course' | 'meeting';
  updatedBy: string;
}

/**
 * Writes the course's rules (a row with the defaults' other columns when it had none). Grades turned
 * off also forget the grade service's last refusal (nothing is sent any more, so nothing to fix).
 */
export async function saveSettings(db: Queryable, course: CourseKey, rules: RulesWrite): Promise<void> {
  const now = new Date();
  const forget = rules.gradeMode === 'off' ? { gradeError: null, gradeErrorAt: null } : {};
  await db
    .insert(attendanceSettings)
    .values({ ...course, ...rules, updatedAt: now })
    .onConflictDoUpdate({
      target: [attendanceSettings.schoolId, attendanceSettings.lmsIssuer, attendanceSettings.contextId],
      set: { ...rules, ...forget, updatedAt: now },
    });
}

export interface OverrideWrite {
  status: 'present' | 'excused';
  reason: string;
  by: string;
}

/**
 * Sets (or clears, with null) a student's override on an instance. A student with no result yet
 * (results not computed, or enrolled since) gets one, absent until computed: the override stays
 * whatever the computation writes next. Answers whether a row was written.
 */
export async function writeOverride(
  db: Queryable,
  schoolId: string,
  instanceId: string,
  lmsUserId: string,
  override: OverrideWrite | null,
): Promise<boolean> {
  const now = new Date();
  const values = override
    ? {
        overrideStatus: override.status,
        overrideReason: override.reason,
        overrideBy: override.by,
        overrideAt: now,
      }
    : { overrideStatus: null, overrideReason: null, overrideBy: null, overrideAt: null };
  const updated = await db
    .update(attendanceResults)
    .set({ ...values, updatedAt: now })
    .where(
      and(
        eq(attendanceResults.schoolId, schoolId),
        eq(attendanceResults.instanceId, instanceId),
        eq(attendanceResults.lmsUserId, lmsUserId),
      ),
    )
    .returning({ userId: attendanceResults.lmsUserId });
  if (updated.length > 0 || !override) return updated.length > 0;
  const inserted = await db
    .insert(attendanceResults)
    .values({ schoolId, instanceId, lmsUserId, status: 'absent', ...values, updatedAt: now })
    .onConflictDoNothing()
    .returning({ userId: attendanceResults.lmsUserId });
  return inserted.length > 0;
}

/** True when the LMS user is a student of the course (active or removed). */
export async function isStudentOf(db: Queryable, course: CourseKey, lmsUserId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: coursePeople.lmsUserId })
    .from(coursePeople)
    .where(
      and(
        eq(coursePeople.schoolId, course.schoolId),
        eq(coursePeople.lmsIssuer, course.lmsIssuer),
        eq(coursePeople.contextId, course.contextId),
        eq(coursePeople.lmsUserId, lmsUserId),
        eq(coursePeople.isStudent, true),
      ),
    );
  return row !== undefined;
}
