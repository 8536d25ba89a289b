import { z } from 'zod';
import type { ZoomEventContext, ZoomWebhookEvent } from '../zoom';
import { ZoomApiError } from '../zoom';
import * as repo from './meetings.repo';
import type { BackgroundWork, MeetingsService } from './meetings.service';
import { recordingLink } from './meetings.recordings';
import { fromZoomTime } from './meetings.time';

/** At most one reconciliation with Zoom per course in this time. */
export const RECONCILE_EVERY_MS = 5 * 60_000;
export const RECONCILE_JOB = 'meetings.reconcile';
/** The confirm job's tries; after the last the create is marked failed (staff retry or delete it). */
export const CONFIRM_CREATE_ATTEMPTS = 10;

const courseKey = z.object({ schoolId: z.string(), lmsIssuer: z.string(), contextId: z.string() });
const meetingNumber = z.union([z.number(), z.string()]).transform(String);
const meetingObject = z.looseObject({
  id: meetingNumber,
  uuid: z.string().optional(),
  topic: z.string().optional(),
  start_time: z.string().optional(),
  duration: z.number().int().optional(),
  timezone: z.string().optional(),
  occurrences: z
    .array(z.looseObject({ occurrence_id: z.union([z.string(), z.number()]).transform(String) }))
    .optional(),
});
const recordingObject = z.looseObject({
  id: meetingNumber,
  uuid: z.string(),
  start_time: z.string().optional(),
  share_url: z.string().optional(),
  recording_files: z.array(z.looseObject({ play_url: z.string().optional() })).optional(),
});

/** Every occurrence (or the single start) has ended. */
function isOver(meeting: repo.MeetingWithDetails, now: number): boolean {
  const starts = meeting.recurrence
    ? meeting.occurrences.filter((o) => o.status === 'available')
    : [{ startTime: meeting.startTime, durationMinutes: meeting.durationMinutes }];
  return starts.every((o) => o.startTime.getTime() + o.durationMinutes * 60_000 <= now);
}

export const courseJobKey = (course: repo.CourseKey) =>
  `${course.schoolId}|${course.lmsIssuer}|${course.contextId}`;

/**
 * Keeping our meetings as Zoom has them: Zoom's webhooks (in the delivery's transaction, no Zoom
 * call), reconciliation of a course on an instructor's visit (a background job, at most every 5
 * minutes per course), and the confirmation of a create Zoom did not answer.
 */
export class MeetingsSync {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly jobs: BackgroundWork,
  ) {}

  private hostLeft: ((meeting: repo.MeetingRow) => Promise<boolean>) | undefined;

  /** Asked about a meeting still ahead that Zoom does not find: did its host leave? (services.ts: meetings.orphans.ts) */
  useHostCheck(hostLeft: (meeting: repo.MeetingRow) => Promise<boolean>): void {
    this.hostLeft = hostLeft;
  }

  /** An instructor opened the course's meetings: reconcile with Zoom unless that happened lately. */
  async requestReconcile(course: repo.CourseKey): Promise<void> {
    const now = this.meetings.now();
    const due = await this.meetings.claimReconcile(course, new Date(now), new Date(now - RECONCILE_EVERY_MS));
    if (due) await this.jobs.enqueue(RECONCILE_JOB, courseJobKey(course), { ...course });
  }

  /**
   * The reconcile job: each live meeting of the course asked of Zoom (paced like every call), each
   * on its own: one Zoom will not read is recorded on that meeting (staff see it) and the rest are
   * still read. Zoom's `status` repairs a started/ended event that never arrived.
   */
  async reconcile(payload: Record<string, unknown>): Promise<void> {
    const course = courseKey.parse(payload);
    const api = await this.meetings.api(course.schoolId);
    const now = this.meetings.now();
    for (const meeting of await this.meetings.courseMeetings(course)) {
      if (!meeting.zoomMeetingId || meeting.state === 'creating' || meeting.state === 'failed') continue;
      try {
        await this.meetings.apply(meeting, await api.get(meeting.zoomMeetingId), { repairState: true });
      } catch (error) {
        if (error instanceof ZoomApiError && error.kind === 'not_found') {
          // Zoom forgets meetings some time after they end ("not found or has expired"): one that
          // is over stays in the past list with its recordings; one still ahead was deleted in Zoom,
          // unless its host left (meetings.orphans.ts: then it waits for a hand-over).
          if (!isOver(meeting, now) && (await this.hostLeft?.(meeting))) continue;
          await this.meetings.recordGone(meeting, isOver(meeting, now) ? 'ended' : 'deleted');
        } else {
          await this.meetings.recordReconcileError(meeting, error);
        }
      }
    }
  }

  /**
   * The confirm job: the unconfirmed create is adopted if Zoom has it, else the intent is dropped.
   * When its last try fails too, the create is marked failed: staff see it with Retry and Delete.
   */
  async confirmCreate(payload: Record<string, unknown>, run: { attempt?: number } = {}): Promise<void> {
    const { meetingId } = z.object({ meetingId: z.string() }).parse(payload);
    const intent = await this.meetings.meetingById(meetingId);
    if (!intent || intent.state !== 'creating') return;
    try {
      const api = await this.meetings.api(intent.schoolId);
      const found = await this.meetings.findCreated(api, intent);
      if (found) await this.meetings.apply(intent, found);
      else await this.meetings.dropIntent(intent);
    } catch (error) {
      if ((run.attempt ?? 1) < CONFIRM_CREATE_ATTEMPTS) throw error;
      await this.meetings.markCreateFailed(intent);
    }
  }

  /** Zoom's events about meetings and recordings, applied idempotently in the delivery's transaction. */
  async onZoomEvent(event: ZoomWebhookEvent, context: ZoomEventContext): Promise<void> {
    const { tx, schoolId } = context;
    const object = event.payload.object;
    if (!object) return;
    if (event.event === 'recording.completed') {
      const recording = recordingObject.safeParse(object);
      if (!recording.success) return;
      const meeting = await repo.meetingByZoomId(tx, schoolId, recording.data.id);
      // Students need the link that opens it: Zoom's passcode embedded (meetings.recordings.ts).
      const playUrl = recordingLink(object);
      if (!meeting || !playUrl) return;
      await repo.upsertRecording(tx, {
        meetingId: meeting.id,
        zoomUuid: recording.data.uuid,
        startTime: recording.data.start_time ? fromZoomTime(recording.data.start_time) : null,
        playUrl,
        fileCount: recording.data.recording_files?.length ?? 0,
      });
      return;
    }
    const parsed = meetingObject.safeParse(object);
    if (!parsed.success) return;
    const meeting = await repo.meetingByZoomId(tx, schoolId, parsed.data.id);
    if (!meeting || meeting.state === 'deleted') return;
    switch (event.event) {
      case 'meeting.started':
        await repo.applyStateEvent(tx, meeting.id, 'started', new Date(event.event_ts));
        return;
      case 'meeting.ended':
        await repo.applyStateEvent(
          tx,
          meeting.id,
          meeting.recurrence ? 'scheduled' : 'ended',
          new Date(event.event_ts),
        );
        return;
      case 'meeting.deleted': {
        const occurrences = parsed.data.occurrences ?? [];
        if (occurrences.length === 0) {
          await repo.updateMeeting(tx, meeting.id, { state: 'deleted' });
          return;
        }
        for (const occurrence of occurrences)
          await repo.markOccurrenceDeleted(tx, meeting.id, occurrence.occurrence_id);
        return;
      }
      case 'meeting.updated': {
        const { topic, start_time: startTime, duration, timezone } = parsed.data;
        await repo.updateMeeting(tx, meeting.id, {
          ...(topic ? { topic } : {}),
          ...(startTime ? { startTime: fromZoomTime(startTime) } : {}),
          ...(duration ? { durationMinutes: duration } : {}),
          ...(timezone ? { timeZone: timezone } : {}),
        });
        // The occurrences may have moved: the course is read again from Zoom by a job (recorded in
        // this transaction, run after it: no Zoom call inside a transaction).
        const course = {
          schoolId: meeting.schoolId,
          lmsIssuer: meeting.lmsIssuer,
          contextId: meeting.contextId,
        };
        await this.jobs.enqueue(RECONCILE_JOB, courseJobKey(course), course, undefined, tx);
        return;
      }
      default:
        return;
    }
  }
}
