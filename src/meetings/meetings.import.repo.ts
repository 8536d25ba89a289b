import { and, eq, inArray, ne } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';
import * as repo from './meetings.repo';

const { meetings } = tables;

/**
 * Importing a meeting from Zoom: which of the host's meetings a course of the school already holds,
 * and the imported row written with its occurrences (the unique index `meetings_zoom_id_key` on
 * school and Zoom id makes a second import of the same meeting write nothing).
 */

/** The Zoom ids among `zoomIds` that a course of the school holds (a deleted row holds nothing). */
export async function heldZoomIds(db: Queryable, schoolId: string, zoomIds: string[]): Promise<Set<string>> {
  if (zoomIds.length === 0) return new Set();
  const rows = await db
    .select({ zoomMeetingId: meetings.zoomMeetingId })
    .from(meetings)
    .where(
      and(
        eq(meetings.schoolId, schoolId),
        inArray(meetings.zoomMeetingId, zoomIds),
        ne(meetings.state, 'deleted'),
      ),
    );
  return new Set(rows.map((row) => row.zoomMeetingId ?? ''));
}

/**
 * A deleted row of the school that still names the Zoom meeting gives its id up (the meeting can be
 * brought in again, as a new row: the old one keeps its course's history). Unless it moved on since
 * it was read.
 */
export async function releaseDeleted(db: Queryable, deleted: repo.MeetingRow): Promise<void> {
  if (deleted.state !== 'deleted') return;
  await repo.updateMeeting(db, deleted.id, { zoomMeetingId: null }, { version: deleted.version });
}

/** Writes the imported meeting and its occurrences; undefined when the school already holds it (or the key). */
export async function insertImported(
  db: Queryable,
  values: repo.NewMeeting,
  occurrences: Parameters<typeof repo.replaceOccurrences>[2],
): Promise<repo.MeetingRow | undefined> {
  const row = await repo.insertIntent(db, values);
  if (!row) return undefined;
  if (occurrences.length > 0) await repo.replaceOccurrences(db, row.id, occurrences);
  return (await repo.meetingById(db, row.id)) ?? row;
}
