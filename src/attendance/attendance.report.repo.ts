import { and, eq, isNull } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';
import type { InstanceRow } from './attendance.results.repo';

const { attendanceSessions } = tables;

/** A session the report names, added when the webhooks missed it (source 'report'). */
export async function insertReportSession(
  db: Queryable,
  instance: InstanceRow,
  s: {
    participantUuid: string;
    zoomUserId: string | null;
    zoomAccountUserId: string | null;
    registrantId: string | null;
    email: string | null;
    displayName: string;
    joinedAt: Date;
    leftAt: Date;
  },
): Promise<void> {
  await db
    .insert(attendanceSessions)
    .values({
      schoolId: instance.schoolId,
      meetingId: instance.meetingId,
      zoomMeetingUuid: instance.zoomUuid,
      ...s,
      source: 'report',
    })
    .onConflictDoNothing();
}

/** A leave-only row (its join never arrived) gets the join time the report gives. */
export async function fillJoin(db: Queryable, sessionId: string, joinedAt: Date): Promise<void> {
  await db
    .update(attendanceSessions)
    .set({ joinedAt })
    .where(and(eq(attendanceSessions.id, sessionId), isNull(attendanceSessions.joinedAt)));
}
