import { and, eq, isNull } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';

const { meetingInstances } = tables;

/** Ends a held instance unless it is ended already (its `meeting.ended` came meanwhile); answers whether it did. */
export async function endIfOpen(
  db: Queryable,
  schoolId: string,
  id: string,
  endedAt: Date,
): Promise<boolean> {
  const ended = await db
    .update(meetingInstances)
    .set({ endedAt })
    .where(
      and(
        eq(meetingInstances.schoolId, schoolId),
        eq(meetingInstances.id, id),
        isNull(meetingInstances.endedAt),
      ),
    )
    .returning({ id: meetingInstances.id });
  return ended.length > 0;
}
