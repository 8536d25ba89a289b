import { meetingsChanged } from './meetings.cache';
import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';

const { courses, meetings, meetingOccurrences, meetingRecordings, zoomHostUsage } = tables;

export type MeetingRow = typeof meetings.$inferSelect;
export type NewMeeting = typeof meetings.$inferInsert;
export type OccurrenceRow = typeof meetingOccurrences.$inferSelect;
export type RecordingRow = typeof meetingRecordings.$inferSelect;
export type CourseRow = typeof courses.$inferSelect;

/** A course of a school: every meetings query is scoped by all three. */
export interface CourseKey {
  schoolId: string;
  lmsIssuer: string;
  contextId: string;
}

const isCourse = (course: CourseKey) =>
  and(
    eq(courses.schoolId, course.schoolId),
    eq(courses.lmsIssuer, course.lmsIssuer),
    eq(courses.contextId, course.contextId),
  );

const inCourse = (course: CourseKey) =>
  and(
    eq(meetings.schoolId, course.schoolId),
    eq(meetings.lmsIssuer, course.lmsIssuer),
    eq(meetings.contextId, course.contextId),
  );

/** What a staff launch says of the course's LTI services (recorded for background work). */
export interface CourseLaunchServices {
  clientId: string;
  deploymentId: string;
  membershipsUrl: string | undefined;
  lineItemsUrl: string | undefined;
  agsScopes: string[];
}

/** Records the course (first visit) and keeps its title and services current; returns its row. */
export async function upsertCourse(
  db: Queryable,
  course: CourseKey,
  title: string,
  services?: CourseLaunchServices,
): Promise<CourseRow> {
  const current = services
    ? {
        clientId: services.clientId,
        deploymentId: services.deploymentId,
        membershipsUrl: services.membershipsUrl ?? null,
        lineItemsUrl: services.lineItemsUrl ?? null,
        agsScopes: [...services.agsScopes].sort(),
      }
    : {};
  const changed = services
    ? or(
        ne(courses.title, title),
        sql`${courses.clientId} is distinct from ${current.clientId}`,
        sql`${courses.deploymentId} is distinct from ${current.deploymentId}`,
        sql`${courses.membershipsUrl} is distinct from ${current.membershipsUrl}`,
        sql`${courses.lineItemsUrl} is distinct from ${current.lineItemsUrl}`,
        sql`${courses.agsScopes} is distinct from ${JSON.stringify(current.agsScopes)}::jsonb`,
      )
    : ne(courses.title, title);
  const [row] = await db
    .insert(courses)
    .values({ ...course, title, ...current })
    .onConflictDoUpdate({
      target: [courses.schoolId, courses.lmsIssuer, courses.contextId],
      set: { title, ...current },
      setWhere: changed,
    })
    .returning();
  if (row) return row;
  // Nothing changed: nothing was written; read it.
  const existing = await courseRow(db, course);
  if (!existing) throw new Error('course upsert returned nothing');
  return existing;
}

export async function courseRow(db: Queryable, course: CourseKey): Promise<CourseRow | undefined> {
  const [row] = await db.select().from(courses).where(isCourse(course));
  return row;
}

export async function bumpFeedVersion(db: Queryable, course: CourseKey): Promise<void> {
  try {
    await db
      .update(courses)
      .set({ feedVersion: sql`${courses.feedVersion} + 1` })
      .where(isCourse(course));
  } finally {
    // After the write: a student view read meanwhile is read again.
    meetingsChanged();
  }
}

/** Takes the course's reconciliation turn: true when the last one is older than `before` (one caller wins). */
export async function claimReconcile(
  db: Queryable,
  course: CourseKey,
  now: Date,
  before: Date,
): Promise<boolean> {
  const rows = await db
    .update(courses)
    .set({ reconciledAt: now })
    .where(
      and(isCourse(course), sql`(${courses.reconciledAt} is null or ${courses.reconciledAt} < ${before})`),
    )
    .returning({ at: courses.reconciledAt });
  return rows.length > 0;
}

/** The course's meetings that are not deleted, with their occurrences and recordings. */
export async function meetingsOf(db: Queryable, course: CourseKey) {
  const rows = await db
    .select()
    .from(meetings)
    .where(and(inCourse(course), ne(meetings.state, 'deleted')))
    .orderBy(asc(meetings.startTime));
  return withDetails(db, rows);
}

async function withDetails(db: Queryable, rows: MeetingRow[]) {
  const ids = rows.map((row) => row.id);
  const [occurrences, recordings] =
    ids.length === 0
      ? [[], []]
      : await Promise.all([
          db
            .select()
            .from(meetingOccurrences)
            .where(inArray(meetingOccurrences.meetingId, ids))
            .orderBy(asc(meetingOccurrences.startTime)),
          db
            .select()
            .from(meetingRecordings)
            .where(inArray(meetingRecordings.meetingId, ids))
            .orderBy(asc(meetingRecordings.startTime)),
        ]);
  return rows.map((row) => ({
    ...row,
    occurrences: occurrences.filter((o) => o.meetingId === row.id),
    recordings: recordings.filter((r) => r.meetingId === row.id),
  }));
}

export type MeetingWithDetails = Awaited<ReturnType<typeof meetingsOf>>[number];

/** One meeting of the course (undefined for another course's or school's, or a deleted one). */
export async function meetingInCourse(
  db: Queryable,
  course: CourseKey,
  meetingId: string,
): Promise<MeetingWithDetails | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(meetingId)) return undefined;
  const rows = await db
    .select()
    .from(meetings)
    .where(and(inCourse(course), eq(meetings.id, meetingId), ne(meetings.state, 'deleted')));
  return (await withDetails(db, rows))[0];
}

export async function meetingById(db: Queryable, id: string): Promise<MeetingRow | undefined> {
  const [row] = await db.select().from(meetings).where(eq(meetings.id, id));
  return row;
}

/** A meeting of this school by our id (background work, which names its school). */
export async function meetingOfSchool(
  db: Queryable,
  schoolId: string,
  id: string,
): Promise<MeetingRow | undefined> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.schoolId, schoolId), eq(meetings.id, id)));
  return row;
}

export async function meetingByIntent(db: Queryable, intentKey: string): Promise<MeetingRow | undefined> {
  const [row] = await db.select().from(meetings).where(eq(meetings.intentKey, intentKey));
  return row;
}

/** Records the intent; undefined when this intent was already recorded (the form was sent twice). */
export async function insertIntent(db: Queryable, values: NewMeeting): Promise<MeetingRow | undefined> {
  try {
    const [row] = await db.insert(meetings).values(values).onConflictDoNothing().returning();
    return row;
  } finally {
    // After the write: a student view read meanwhile is read again.
    meetingsChanged();
  }
}

/** One more change to the row or its occurrences (compared by writes of what was read before a slow call). */
const nextVersion = sql`${meetings.version} + 1`;

/**
 * Changes the meeting; with `expected`, only if it is still the version read (undefined when it is
 * not, or the row is gone: the caller reads it again).
 */
export async function updateMeeting(
  db: Queryable,
  id: string,
  values: Partial<NewMeeting>,
  expected?: { version: number },
): Promise<MeetingRow | undefined> {
  try {
    const [row] = await db
      .update(meetings)
      .set({ ...values, version: nextVersion, updatedAt: sql`now()` })
      .where(and(eq(meetings.id, id), expected ? eq(meetings.version, expected.version) : undefined))
      .returning();
    return row;
  } finally {
    // After the write: a student view read meanwhile is read again.
    meetingsChanged();
  }
}

/**
 * Applies a started/ended event only if it is newer than the last one applied (Zoom's retries can
 * deliver an old `meeting.started` after the `meeting.ended` that followed it).
 */
export async function applyStateEvent(
  db: Queryable,
  id: string,
  state: 'started' | 'ended' | 'scheduled',
  eventAt: Date,
): Promise<void> {
  try {
    await db
      .update(meetings)
      .set({ state, stateEventAt: eventAt, version: nextVersion, updatedAt: sql`now()` })
      .where(
        and(
          eq(meetings.id, id),
          ne(meetings.state, 'deleted'),
          sql`(${meetings.stateEventAt} is null or ${meetings.stateEventAt} < ${eventAt})`,
        ),
      );
  } finally {
    // After the write: a student view read meanwhile is read again.
    meetingsChanged();
  }
}

export async function deleteMeetingRow(db: Queryable, id: string): Promise<void> {
  try {
    await db.delete(meetings).where(eq(meetings.id, id));
  } finally {
    // After the write: a student view read meanwhile is read again.
    meetingsChanged();
  }
}

/** One meeting's occurrences (deleted ones too), earliest first. */
export async function occurrencesOfMeeting(db: Queryable, meetingId: string): Promise<OccurrenceRow[]> {
  return db
    .select()
    .from(meetingOccurrences)
    .where(eq(meetingOccurrences.meetingId, meetingId))
    .orderBy(asc(meetingOccurrences.startTime));
}

/** Replaces the meeting's occurrences with Zoom's list (a change of the meeting: its version moves). */
export async function replaceOccurrences(
  db: Queryable,
  meetingId: string,
  occurrences: Array<{
    occurrenceId: string;
    startTime: Date;
    durationMinutes: number;
    status: 'available' | 'deleted';
  }>,
): Promise<void> {
  try {
    await db.delete(meetingOccurrences).where(eq(meetingOccurrences.meetingId, meetingId));
    if (occurrences.length > 0)
      await db.insert(meetingOccurrences).values(occurrences.map((o) => ({ ...o, meetingId })));
    await db
      .update(meetings)
      .set({ version: nextVersion, updatedAt: sql`now()` })
      .where(eq(meetings.id, meetingId));
  } finally {
    // After the write: a student view read meanwhile is read again.
    meetingsChanged();
  }
}

export async function markOccurrenceDeleted(
  db: Queryable,
  meetingId: string,
  occurrenceId: string,
): Promise<void> {
  try {
    const changed = await db
      .update(meetingOccurrences)
      .set({ status: 'deleted' })
      .where(
        and(
          eq(meetingOccurrences.meetingId, meetingId),
          eq(meetingOccurrences.occurrenceId, occurrenceId),
          ne(meetingOccurrences.status, 'deleted'),
        ),
      )
      .returning({ id: meetingOccurrences.occurrenceId });
    if (changed.length > 0)
      await db
        .update(meetings)
        .set({ version: nextVersion, updatedAt: sql`now()` })
        .where(eq(meetings.id, meetingId));
  } finally {
    // After the write: a student view read meanwhile is read again.
    meetingsChanged();
  }
}

/** The school's meeting with this Zoom id (webhooks: Zoom names meetings by number). */
export async function meetingByZoomId(
  db: Queryable,
  schoolId: string,
  zoomMeetingId: string,
): Promise<MeetingRow | undefined> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.schoolId, schoolId), eq(meetings.zoomMeetingId, zoomMeetingId)));
  return row;
}

export async function upsertRecording(
  db: Queryable,
  values: { meetingId: string; zoomUuid: string; startTime: Date | null; playUrl: string; fileCount: number },
): Promise<void> {
  try {
    await db
      .insert(meetingRecordings)
      .values(values)
      .onConflictDoUpdate({
        target: [meetingRecordings.meetingId, meetingRecordings.zoomUuid],
        set: { playUrl: values.playUrl, fileCount: values.fileCount, startTime: values.startTime },
      });
  } finally {
    // After the write: a student view read meanwhile is read again.
    meetingsChanged();
  }
}

/**
 * Reserves one of a host's create/update requests of a UTC day, in one conditional statement (two
 * changes arriving together cannot both take the last one): the count after it, or undefined when
 * the host has used `limit` already.
 */
export async function reserveHostRequest(
  db: Queryable,
  schoolId: string,
  hostZoomUserId: string,
  day: string,
  limit: number,
): Promise<number | undefined> {
  const [row] = await db
    .insert(zoomHostUsage)
    .values({ schoolId, hostZoomUserId, day, requests: 1 })
    .onConflictDoUpdate({
      target: [zoomHostUsage.schoolId, zoomHostUsage.hostZoomUserId, zoomHostUsage.day],
      set: { requests: sql`${zoomHostUsage.requests} + 1` },
      setWhere: sql`${zoomHostUsage.requests} < ${limit}`,
    })
    .returning({ requests: zoomHostUsage.requests });
  return row?.requests;
}

// Added for the routes' notices (issue 17, item 13): scoped to the course, deleted meetings included.
/** The topic of a meeting of this course (school, issuer and context), deleted or not. */
export async function meetingTopicInCourse(
  db: Queryable,
  course: CourseKey,
  meetingId: string,
): Promise<{ topic: string; hostLmsUserId: string; hostName: string } | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(meetingId)) return undefined;
  const [row] = await db
    .select({ topic: meetings.topic, hostLmsUserId: meetings.hostLmsUserId, hostName: meetings.hostName })
    .from(meetings)
    .where(and(inCourse(course), eq(meetings.id, meetingId)));
  return row;
}
