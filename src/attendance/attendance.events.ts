import { z } from 'zod';
import type { Logger } from 'pino';
import type { ZoomEventContext, ZoomWebhookEvent } from '../zoom';
import { meetingByZoomId } from '../meetings';
import * as repo from './attendance.repo';

export const PARTICIPANT_JOINED = 'meeting.participant_joined';
export const PARTICIPANT_LEFT = 'meeting.participant_left';

/** Zoom's empty strings ('' for a guest's email, a signed-out participant's `id`) are absent values. */
const optionalText = z
  .union([z.string(), z.number()])
  .optional()
  .nullable()
  .transform((value) => (value === undefined || value === null || value === '' ? null : String(value)));

const zoomInstant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** `payload.participant` of the participant events (ZOOM-NOTES "Meetings"; unknown fields pass). */
const participantObject = z.looseObject({
  participant_uuid: z.string().min(1).max(256),
  user_id: optionalText,
  id: optionalText,
  user_name: z.string().max(512).optional(),
  email: optionalText,
  registrant_id: optionalText,
  join_time: zoomInstant.optional(),
  leave_time: zoomInstant.optional(),
});

/** `payload.object` of `meeting.participant_joined` / `_left`: the meeting, its instance and who. */
const participantEventObject = z.looseObject({
  id: z.union([z.number(), z.string().min(1)]).transform(String),
  uuid: z.string().min(1).max(256),
  participant: participantObject,
});

/**
 * Records participant sessions from Zoom's webhooks, in the delivery's transaction (no Zoom call):
 * only for meetings this school scheduled through the tool (the webhook route has already refused a
 * forged delivery, and one naming another account than the school's).
 * A malformed event, or one whose join or leave time is missing, changes nothing.
 */
export class AttendanceEvents {
  constructor(private readonly deps: { logger: Logger }) {}

  async onZoomEvent(event: ZoomWebhookEvent, context: ZoomEventContext): Promise<void> {
    if (event.event !== PARTICIPANT_JOINED && event.event !== PARTICIPANT_LEFT) return;
    const parsed = participantEventObject.safeParse(event.payload.object);
    if (!parsed.success) {
      this.deps.logger.warn({ event: event.event }, 'malformed participant event; ignored');
      return;
    }
    const { id, uuid, participant: p } = parsed.data;
    const at = event.event === PARTICIPANT_JOINED ? p.join_time : p.leave_time;
    if (!at) {
      this.deps.logger.warn({ event: event.event }, 'participant event without its time; ignored');
      return;
    }
    const meeting = await meetingByZoomId(context.tx, context.schoolId, id);
    if (!meeting) return;
    const instance = { schoolId: context.schoolId, meetingId: meeting.id, zoomMeetingUuid: uuid };
    const participant: repo.Participant = {
      participantUuid: p.participant_uuid,
      zoomUserId: p.user_id,
      zoomAccountUserId: p.id,
      registrantId: p.registrant_id,
      email: p.email,
      displayName: p.user_name ?? '',
    };
    if (event.event === PARTICIPANT_JOINED) await repo.recordJoin(context.tx, instance, participant, at);
    else await repo.recordLeave(context.tx, instance, participant, at);
  }
}
