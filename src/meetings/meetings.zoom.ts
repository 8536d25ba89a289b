import type { MeetingRecurrence, MeetingSettings } from '../storage/storage.schema';
import type { ZoomMeeting, ZoomMeetingInput } from '../zoom';
import type { MeetingRequest } from './meetings.schema';
import { fromZoomTime, zoomLocalTime } from './meetings.time';
import type * as repo from './meetings.repo';

/**
 * Our meeting request as Zoom's create/update body (local wall time + zone; type 8 for a series).
 * A field the instructor left empty is not sent: Zoom refuses an empty `password` on create (it
 * generates one when the account requires a passcode) and needs no empty `alternative_hosts`. An
 * edit that clears what the meeting had (`before`) sends it empty, which removes it at Zoom.
 */
export function toZoomInput(
  request: MeetingRequest,
  before?: { passcode: string | null; settings: MeetingSettings },
  attendance: { registration: boolean } = { registration: false },
): ZoomMeetingInput {
  const hosts = request.settings.alternativeHosts.join(';');
  const clearsPasscode = !request.passcode && Boolean(before?.passcode);
  const clearsHosts = !hosts && (before?.settings.alternativeHosts.length ?? 0) > 0;
  return {
    topic: request.topic,
    type: request.recurrence ? 8 : 2,
    start_time: zoomLocalTime(request.start, request.timeZone),
    duration: request.durationMinutes,
    timezone: request.timeZone,
    ...(request.passcode ? { password: request.passcode } : clearsPasscode ? { password: '' } : {}),
    ...(request.recurrence ? { recurrence: request.recurrence } : {}),
    settings: {
      waiting_room: request.settings.waitingRoom,
      join_before_host: request.settings.joinBeforeHost,
      auto_recording: request.settings.autoRecording,
      ...(hosts || clearsHosts ? { alternative_hosts: hosts } : {}),
      ...(attendance.registration ? REGISTRATION : {}),
    },
  };
}

/**
 * A meeting that takes attendance (docs/architecture.md, "Who is who"): each student registers
 * through the tool (automatic approval, one registration for every occurrence), and Zoom mails
 * nobody (the registrants' emails are the tool's secondary ids).
 */
export const REGISTRATION = {
  approval_type: 0,
  registration_type: 1,
  registrants_confirmation_email: false,
  registrants_email_notification: false,
} as const;

/** A meeting's settings as recorded: `registration` when Zoom said it takes registrants (approval 0). */
export type RecordedSettings = MeetingSettings & { registration?: boolean };

/** Does Zoom take registrants for this meeting (so each student has their own link)? */
export function takesRegistration(meeting: { settings: MeetingSettings }): boolean {
  return (meeting.settings as RecordedSettings).registration === true;
}

/** What our row keeps of Zoom's answer (never the `start_url`). */
export function fromZoomMeeting(
  meeting: ZoomMeeting,
  fallback: { startTime: Date; durationMinutes: number; timeZone: string; settings: MeetingSettings },
): {
  values: Partial<repo.NewMeeting>;
  occurrences: Array<{ occurrenceId: string; startTime: Date; durationMinutes: number; status: 'available' }>;
} {
  const occurrences = (meeting.occurrences ?? [])
    .filter((o) => o.status === undefined || o.status === 'available')
    .map((o) => ({
      occurrenceId: o.occurrence_id,
      startTime: fromZoomTime(o.start_time),
      durationMinutes: o.duration,
      status: 'available' as const,
    }));
  const first = occurrences[0]?.startTime;
  const alternativeHosts = meeting.settings?.alternative_hosts;
  const registration: Pick<RecordedSettings, 'registration'> =
    meeting.settings?.approval_type === 0 ? { registration: true } : {};
  return {
    values: {
      zoomMeetingId: meeting.id,
      zoomUuid: meeting.uuid,
      topic: meeting.topic,
      startTime: meeting.start_time ? fromZoomTime(meeting.start_time) : (first ?? fallback.startTime),
      durationMinutes: meeting.duration ?? fallback.durationMinutes,
      timeZone: meeting.timezone || fallback.timeZone,
      recurrence: (meeting.recurrence as MeetingRecurrence | undefined) ?? null,
      passcode: meeting.password || null,
      joinUrl: meeting.join_url,
      settings: {
        waitingRoom: meeting.settings?.waiting_room ?? fallback.settings.waitingRoom,
        joinBeforeHost: meeting.settings?.join_before_host ?? fallback.settings.joinBeforeHost,
        autoRecording: meeting.settings?.auto_recording === 'cloud' ? 'cloud' : 'none',
        alternativeHosts:
          alternativeHosts === undefined
            ? fallback.settings.alternativeHosts
            : alternativeHosts
                .split(/[;,]/)
                .map((email) => email.trim().toLowerCase())
                .filter(Boolean),
        ...registration,
      },
    },
    occurrences,
  };
}
