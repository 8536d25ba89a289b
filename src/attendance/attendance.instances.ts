import { z } from 'zod';
import type { Logger } from 'pino';
import type { JobRunner } from '../jobs';
import type { ZoomEventContext, ZoomWebhookEvent } from '../zoom';
import { meetingByZoomId } from '../meetings';
import type { Queryable } from '../storage';
import * as repo from './attendance.results.repo';

export const MEETING_STARTED = 'meeting.started';
export const MEETING_ENDED = 'meeting.ended';
export const FINALIZE_JOB = 'attendance.finalize';
export const REPORT_JOB = 'attendance.report';
export const RECOMPUTE_JOB = 'attendance.recompute';
/** A course's job key (`attendance.recompute`), as the grades job's (`gradesJobKey`). */
export const courseJobKey = (course: { schoolId: string; lmsIssuer: string; contextId: string }) =>
  `${course.schoolId}:${course.lmsIssuer}:${course.contextId}`;

/** The last `participant_left` events may trail `meeting.ended`: results wait this long. */
export const FINALIZE_DELAY_MS = 30_000;
/** Zoom's report is not ready at once: its first read is 2 minutes after the end. */
export const FIRST_REPORT_DELAY_MS = 2 * 60_000;

const INSTANCE_EVENTS = new Set([
  MEETING_STARTED,
  MEETING_ENDED,
  'meeting.participant_joined',
  'meeting.participant_left',
]);

const zoomInstant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const instanceObject = z.looseObject({
  id: z.union([z.number(), z.string().min(1)]).transform(String),
  uuid: z.string().min(1).max(256),
  start_time: zoomInstant.optional(),
  end_time: zoomInstant.optional(),
});

/**
 * Held instances from Zoom's meeting events, in the delivery's transaction (no Zoom call): the first
 * event of an instance (started, ended or a participant's) makes its row, measured against the
 * meeting's scheduled start and length or those of its nearest occurrence. `meeting.ended` closes
 * the sessions still open at its time, and (once) enqueues the results 30 s later and the report.
 * Only meetings the school scheduled; a malformed event changes nothing.
 */
export class AttendanceInstances {
  constructor(private readonly deps: { jobs: JobRunner; logger: Logger; now?: () => number }) {}

  async onZoomEvent(event: ZoomWebhookEvent, context: ZoomEventContext): Promise<void> {
    if (!INSTANCE_EVENTS.has(event.event)) return;
    const parsed = instanceObject.safeParse(event.payload.object);
    if (!parsed.success) {
      this.deps.logger.warn({ event: event.event }, 'malformed meeting event; ignored');
      return;
    }
    const object = parsed.data;
    if (event.event === MEETING_ENDED && !object.end_time) {
      this.deps.logger.warn({ event: event.event }, 'meeting.ended without its end_time; ignored');
      return;
    }
    const meeting = await meetingByZoomId(context.tx, context.schoolId, object.id);
    if (!meeting) return;
    const instance = await this.instanceOf(context.tx, meeting, object.uuid, object.start_time);
    if (event.event === MEETING_STARTED || event.event === MEETING_ENDED) {
      if (object.start_time)
        await repo.setInstanceTimes(context.tx, instance.id, { startedAt: object.start_time });
    }
    if (event.event !== MEETING_ENDED || !object.end_time) return;
    // A second `meeting.ended` of the same instance (Zoom's duplicate) changes nothing.
    if (instance.endedAt) return;
    await repo.setInstanceTimes(context.tx, instance.id, { endedAt: object.end_time });
    await repo.closeOpenSessions(context.tx, context.schoolId, object.uuid, object.end_time);
    const now = (this.deps.now ?? Date.now)();
    const payload = { schoolId: context.schoolId, instanceId: instance.id };
    await this.deps.jobs.enqueue(FINALIZE_JOB, instance.id, payload, now + FINALIZE_DELAY_MS, context.tx);
    await this.deps.jobs.enqueue(REPORT_JOB, instance.id, payload, now + FIRST_REPORT_DELAY_MS, context.tx);
  }

  private async instanceOf(
    db: Queryable,
    meeting: repo.MeetingRow,
    uuid: string,
    startedAt: Date | undefined,
  ) {
    const scheduled = await scheduledFor(db, meeting, startedAt);
    return repo.upsertInstance(db, {
      schoolId: meeting.schoolId,
      meetingId: meeting.id,
      zoomUuid: uuid,
      ...scheduled,
    });
  }
}

/** The scheduled start and length an instance is measured against: its nearest occurrence's, else the meeting's. */
export async function scheduledFor(db: Queryable, meeting: repo.MeetingRow, heldAt: Date | undefined) {
  const occurrences = meeting.recurrence ? await repo.occurrencesOf(db, meeting.id) : [];
  const at = (heldAt ?? new Date()).getTime();
  let nearest: (typeof occurrences)[number] | undefined;
  for (const o of occurrences) {
    if (!nearest || Math.abs(o.startTime.getTime() - at) < Math.abs(nearest.startTime.getTime() - at))
      nearest = o;
  }
  return nearest
    ? {
        occurrenceId: nearest.occurrenceId,
        scheduledStart: nearest.startTime,
        scheduledMinutes: nearest.durationMinutes,
      }
    : { occurrenceId: null, scheduledStart: meeting.startTime, scheduledMinutes: meeting.durationMinutes };
}
