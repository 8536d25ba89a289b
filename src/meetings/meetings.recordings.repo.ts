import { and, eq, ne } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';
import { meetingsChanged } from './meetings.cache';
import type { CourseKey, RecordingRow } from './meetings.repo';

const { meetings, meetingRecordings } = tables;

export type ShareState = RecordingRow['shareState'];

/** One recording, named by its meeting and Zoom's instance UUID. */
export interface RecordingRef {
  meetingId: string;
  zoomUuid: string;
}

/** A recording with what its meeting says of it (whose it is, whether students see the meeting's recordings). */
export interface RecordingWithMeeting {
  recording: RecordingRow;
  meeting: {
    id: string;
    schoolId: string;
    lmsIssuer: string;
    contextId: string;
    topic: string;
    showRecordings: boolean;
    /** The sections it is meant for (empty: the whole course). */
    sectionIds: string[];
  };
}

const meetingColumns = {
  id: meetings.id,
  schoolId: meetings.schoolId,
  lmsIssuer: meetings.lmsIssuer,
  contextId: meetings.contextId,
  topic: meetings.topic,
  showRecordings: meetings.showRecordings,
  sectionIds: meetings.sectionIds,
};

const isRecording = (ref: RecordingRef) =>
  and(eq(meetingRecordings.meetingId, ref.meetingId), eq(meetingRecordings.zoomUuid, ref.zoomUuid));

/** The recording of a meeting of this course that is not deleted (undefined for another course's or school's). */
export async function recordingInCourse(
  db: Queryable,
  course: CourseKey,
  ref: RecordingRef,
): Promise<RecordingWithMeeting | undefined> {
  const [row] = await db
    .select({ recording: meetingRecordings, meeting: meetingColumns })
    .from(meetingRecordings)
    .innerJoin(meetings, eq(meetings.id, meetingRecordings.meetingId))
    .where(
      and(
        isRecording(ref),
        eq(meetings.schoolId, course.schoolId),
        eq(meetings.lmsIssuer, course.lmsIssuer),
        eq(meetings.contextId, course.contextId),
        ne(meetings.state, 'deleted'),
      ),
    );
  return row;
}

/** The recording of a school's meeting (the sharing job: its payload names the school). */
export async function recordingOfSchool(
  db: Queryable,
  schoolId: string,
  ref: RecordingRef,
): Promise<RecordingWithMeeting | undefined> {
  const [row] = await db
    .select({ recording: meetingRecordings, meeting: meetingColumns })
    .from(meetingRecordings)
    .innerJoin(meetings, eq(meetings.id, meetingRecordings.meetingId))
    .where(and(isRecording(ref), eq(meetings.schoolId, schoolId)));
  return row;
}

/** Every recording of a meeting (the meeting's "show recordings" switch changes them all). */
export async function recordingsOfMeeting(db: Queryable, meetingId: string): Promise<RecordingRow[]> {
  return db.select().from(meetingRecordings).where(eq(meetingRecordings.meetingId, meetingId));
}

/** Hidden or shown by staff, and the change of sharing at Zoom that follows (`revoking` or `restoring`). */
export async function setHidden(
  db: Queryable,
  ref: RecordingRef,
  values: { hidden: boolean; by: string; at: Date; shareState: ShareState },
): Promise<void> {
  try {
    await db
      .update(meetingRecordings)
      .set({
        hidden: values.hidden,
        hiddenAt: values.hidden ? values.at : null,
        hiddenBy: values.hidden ? values.by : null,
        shareState: values.shareState,
        shareError: null,
      })
      .where(isRecording(ref));
  } finally {
    meetingsChanged();
  }
}

/** A change of sharing is under way (the meeting's switch), the error of the last one cleared. */
export async function setShareState(db: Queryable, ref: RecordingRef, shareState: ShareState): Promise<void> {
  try {
    await db.update(meetingRecordings).set({ shareState, shareError: null }).where(isRecording(ref));
  } finally {
    meetingsChanged();
  }
}

/**
 * What Zoom's sharing is now (and, once shared again, the new link with the new passcode), written
 * only while the recording is still as the job read it (`hidden`): a Hide or Show meanwhile has
 * enqueued the job again, which writes its own outcome. False when nothing was written.
 */
export async function recordShareOutcome(
  db: Queryable,
  ref: RecordingRef,
  expected: { hidden: boolean },
  outcome: { shareState: ShareState; shareError: string | null; playUrl?: string },
): Promise<boolean> {
  try {
    const rows = await db
      .update(meetingRecordings)
      .set({
        shareState: outcome.shareState,
        shareError: outcome.shareError,
        ...(outcome.playUrl ? { playUrl: outcome.playUrl } : {}),
      })
      .where(and(isRecording(ref), eq(meetingRecordings.hidden, expected.hidden)))
      .returning({ meetingId: meetingRecordings.meetingId });
    return rows.length > 0;
  } finally {
    meetingsChanged();
  }
}
