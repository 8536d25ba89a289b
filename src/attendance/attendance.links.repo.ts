import { and, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';
import { peopleInSections } from '../meetings';

const { coursePeople, meetingRegistrants, meetings, attendanceSettings, zoomUsers } = tables;

/**
 * The registrant rows (`meeting_registrants`) and what they are made from. Every query names the
 * school. A row is an intent (`creating`) before Zoom is asked; `attempts` counts the POSTs sent for
 * it and `updated_at` is when its last worker took it (compared by the next, so two never send).
 */
export type RegistrantRow = typeof meetingRegistrants.$inferSelect;
export type MeetingRow = typeof meetings.$inferSelect;

export interface CourseKey {
  schoolId: string;
  lmsIssuer: string;
  contextId: string;
}

/** Does the course take attendance (`attendance_settings.enabled`; on when it has no row)? */
export async function attendanceEnabled(db: Queryable, course: CourseKey): Promise<boolean> {
  const [row] = await db
    .select({ enabled: attendanceSettings.enabled })
    .from(attendanceSettings)
    .where(
      and(
        eq(attendanceSettings.schoolId, course.schoolId),
        eq(attendanceSettings.lmsIssuer, course.lmsIssuer),
        eq(attendanceSettings.contextId, course.contextId),
      ),
    );
  return row?.enabled ?? true;
}

/**
 * Whether a host may have registrants: Zoom takes registration only for a licensed host, so a
 * host the school's account lists as Basic (1) or without a licence (99) gets meetings without it.
 * A host whose licence is not known is asked for it (most schools license their instructors).
 */
export async function hostMayRegister(db: Queryable, schoolId: string, zoomUserId: string): Promise<boolean> {
  const [row] = await db
    .select({ licenceType: zoomUsers.licenceType })
    .from(zoomUsers)
    .where(and(eq(zoomUsers.schoolId, schoolId), eq(zoomUsers.zoomUserId, zoomUserId)));
  return row?.licenceType !== 1 && row?.licenceType !== 99;
}

/** The course's meetings that are still ahead of `now` or running (links are made for them). */
export async function upcomingMeetings(
  db: Queryable,
  course: CourseKey,
  now: Date,
): Promise<Array<{ id: string; startTime: Date }>> {
  return db
    .select({ id: meetings.id, startTime: meetings.startTime })
    .from(meetings)
    .where(
      and(
        eq(meetings.schoolId, course.schoolId),
        eq(meetings.lmsIssuer, course.lmsIssuer),
        eq(meetings.contextId, course.contextId),
        inArray(meetings.state, ['scheduled', 'started']),
        // A series' first start may be past while occurrences remain: it is kept (the job checks).
        or(
          gt(meetings.startTime, new Date(now.getTime() - 6 * 60 * 60_000)),
          sql`${meetings.recurrence} is not null`,
        ),
      ),
    );
}

export interface Student {
  lmsUserId: string;
  name: string;
}

/** Active students of the course (of a section meeting: its sections') with no ready link for the meeting. */
export async function studentsWithoutLink(
  db: Queryable,
  course: CourseKey,
  meetingId: string,
  sectionIds?: string[],
): Promise<Student[]> {
  return db
    .select({ lmsUserId: coursePeople.lmsUserId, name: coursePeople.name })
    .from(coursePeople)
    .leftJoin(
      meetingRegistrants,
      and(
        eq(meetingRegistrants.meetingId, meetingId),
        eq(meetingRegistrants.schoolId, course.schoolId),
        eq(meetingRegistrants.lmsUserId, coursePeople.lmsUserId),
      ),
    )
    .where(
      and(
        eq(coursePeople.schoolId, course.schoolId),
        eq(coursePeople.lmsIssuer, course.lmsIssuer),
        eq(coursePeople.contextId, course.contextId),
        eq(coursePeople.isStudent, true),
        eq(coursePeople.state, 'active'),
        or(isNull(meetingRegistrants.id), ne(meetingRegistrants.state, 'ready')),
        peopleInSections(sectionIds),
      ),
    )
    .orderBy(coursePeople.lmsUserId);
}

/** The person's row for the meeting, made as an intent (`creating`, nothing sent) when there is none. */
export async function intentFor(
  db: Queryable,
  input: { schoolId: string; meetingId: string; lmsUserId: string; email: string },
): Promise<RegistrantRow> {
  // `updated_at` from this clock, in milliseconds: a claim compares it with what it read.
  await db
    .insert(meetingRegistrants)
    .values({ ...input, state: 'creating', updatedAt: new Date() })
    .onConflictDoNothing();
  const [row] = await db
    .select()
    .from(meetingRegistrants)
    .where(
      and(
        eq(meetingRegistrants.schoolId, input.schoolId),
        eq(meetingRegistrants.meetingId, input.meetingId),
        eq(meetingRegistrants.lmsUserId, input.lmsUserId),
      ),
    );
  if (!row) throw new Error('registrant intent not found after insert');
  return row;
}

/**
 * Takes the row for one worker: only when it is still as read (attempts and `updated_at`), so of
 * two workers that read it, one gets it. `send`: a POST is about to go out (counted first).
 */
export async function claim(
  db: Queryable,
  read: RegistrantRow,
  send: boolean,
): Promise<RegistrantRow | undefined> {
  const [row] = await db
    .update(meetingRegistrants)
    .set({
      updatedAt: new Date(Math.max(Date.now(), read.updatedAt.getTime() + 1)),
      ...(send ? { attempts: read.attempts + 1 } : {}),
    })
    .where(
      and(
        eq(meetingRegistrants.id, read.id),
        eq(meetingRegistrants.schoolId, read.schoolId),
        ne(meetingRegistrants.state, 'ready'),
        eq(meetingRegistrants.attempts, read.attempts),
        eq(meetingRegistrants.updatedAt, read.updatedAt),
      ),
    )
    .returning();
  return row;
}

/** Zoom's registrant for the row (sealed join URL): ready. */
export async function markReady(
  db: Queryable,
  row: Pick<RegistrantRow, 'id' | 'schoolId'>,
  registrantId: string,
  joinUrlSealed: string,
): Promise<void> {
  await db
    .update(meetingRegistrants)
    .set({ state: 'ready', registrantId, joinUrlSealed, lastError: null, updatedAt: new Date() })
    .where(and(eq(meetingRegistrants.id, row.id), eq(meetingRegistrants.schoolId, row.schoolId)));
}

/** Why the last send did not make a link (`failed`: Zoom refused, or said it has none after an unanswered send). */
export async function markError(
  db: Queryable,
  row: Pick<RegistrantRow, 'id' | 'schoolId'>,
  state: 'creating' | 'failed',
  lastError: string,
): Promise<void> {
  await db
    .update(meetingRegistrants)
    .set({ state, lastError })
    .where(
      and(
        eq(meetingRegistrants.id, row.id),
        eq(meetingRegistrants.schoolId, row.schoolId),
        ne(meetingRegistrants.state, 'ready'),
      ),
    );
}

/** Rows whose POST went out (or is going out) without an answer yet: to adopt from Zoom's list. */
export async function unanswered(
  db: Queryable,
  schoolId: string,
  meetingId: string,
): Promise<RegistrantRow[]> {
  return db
    .select()
    .from(meetingRegistrants)
    .where(
      and(
        eq(meetingRegistrants.schoolId, schoolId),
        eq(meetingRegistrants.meetingId, meetingId),
        eq(meetingRegistrants.state, 'creating'),
        gt(meetingRegistrants.attempts, 0),
      ),
    );
}

/** The meeting and the viewer's row for it: one indexed read (the Join click). */
export async function meetingWithLink(
  db: Queryable,
  schoolId: string,
  meetingId: string,
  lmsUserId: string,
): Promise<{ meeting: MeetingRow; registrant: RegistrantRow | null } | undefined> {
  const [row] = await db
    .select({ meeting: meetings, registrant: meetingRegistrants })
    .from(meetings)
    .leftJoin(
      meetingRegistrants,
      and(
        eq(meetingRegistrants.meetingId, meetings.id),
        eq(meetingRegistrants.schoolId, schoolId),
        eq(meetingRegistrants.lmsUserId, lmsUserId),
      ),
    )
    .where(and(eq(meetings.schoolId, schoolId), eq(meetings.id, meetingId)));
  return row;
}
