import { and, desc, eq, isNull, lte, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';

const { attendanceSessions } = tables;

export type SessionRow = typeof attendanceSessions.$inferSelect;

/** Who a session is, as Zoom's participant event said it. */
export interface Participant {
  participantUuid: string;
  zoomUserId: string | null;
  zoomAccountUserId: string | null;
  registrantId: string | null;
  email: string | null;
  displayName: string;
}

/** The held instance a session belongs to. */
export interface Instance {
  schoolId: string;
  meetingId: string;
  zoomMeetingUuid: string;
}

const ofParticipant = (instance: Instance, participantUuid: string) =>
  and(
    eq(attendanceSessions.schoolId, instance.schoolId),
    eq(attendanceSessions.zoomMeetingUuid, instance.zoomMeetingUuid),
    eq(attendanceSessions.participantUuid, participantUuid),
  );

/**
 * A join: a session opens, unless it is already recorded (a redelivery) or its leave came first
 * (then that closed row gets its join time and stays closed).
 */
export async function recordJoin(
  db: Queryable,
  instance: Instance,
  participant: Participant,
  joinedAt: Date,
): Promise<void> {
  const who = ofParticipant(instance, participant.participantUuid);
  const [known] = await db
    .select({ id: attendanceSessions.id })
    .from(attendanceSessions)
    .where(and(who, eq(attendanceSessions.joinedAt, joinedAt)));
  if (known) return;
  const [orphan] = await db
    .select({ id: attendanceSessions.id })
    .from(attendanceSessions)
    .where(and(who, isNull(attendanceSessions.joinedAt), sql`${attendanceSessions.leftAt} >= ${joinedAt}`))
    .orderBy(attendanceSessions.leftAt)
    .limit(1);
  if (orphan) {
    await db
      .update(attendanceSessions)
      .set({ ...participant, joinedAt })
      .where(and(eq(attendanceSessions.id, orphan.id), isNull(attendanceSessions.joinedAt)));
    return;
  }
  await db
    .insert(attendanceSessions)
    .values({ ...instance, ...participant, joinedAt, leftAt: null, source: 'webhook' })
    .onConflictDoNothing();
}

/**
 * A leave: the participant's latest open session that began by then closes, unless this leave is
 * already recorded (a redelivery); with no open session (the join is late or lost) a closed row
 * without a join time keeps it.
 */
export async function recordLeave(
  db: Queryable,
  instance: Instance,
  participant: Participant,
  leftAt: Date,
): Promise<void> {
  const who = ofParticipant(instance, participant.participantUuid);
  const [known] = await db
    .select({ id: attendanceSessions.id })
    .from(attendanceSessions)
    .where(and(who, eq(attendanceSessions.leftAt, leftAt)));
  if (known) return;
  const [open] = await db
    .select({ id: attendanceSessions.id })
    .from(attendanceSessions)
    .where(and(who, isNull(attendanceSessions.leftAt), lte(attendanceSessions.joinedAt, leftAt)))
    .orderBy(desc(attendanceSessions.joinedAt))
    .limit(1);
  if (open) {
    await db
      .update(attendanceSessions)
      .set({ leftAt })
      .where(and(eq(attendanceSessions.id, open.id), isNull(attendanceSessions.leftAt)));
    return;
  }
  await db
    .insert(attendanceSessions)
    .values({ ...instance, ...participant, joinedAt: null, leftAt, source: 'webhook' })
    .onConflictDoNothing();
}

/** The sessions of one held instance of a meeting, in join order (a leave-only row last). */
export async function sessionsOfInstance(
  db: Queryable,
  schoolId: string,
  meetingId: string,
  zoomMeetingUuid: string,
): Promise<SessionRow[]> {
  return db
    .select()
    .from(attendanceSessions)
    .where(
      and(
        eq(attendanceSessions.schoolId, schoolId),
        eq(attendanceSessions.meetingId, meetingId),
        eq(attendanceSessions.zoomMeetingUuid, zoomMeetingUuid),
      ),
    )
    .orderBy(sql`${attendanceSessions.joinedAt} asc nulls last`, attendanceSessions.leftAt);
}
