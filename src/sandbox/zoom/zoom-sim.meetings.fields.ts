import crypto from 'node:crypto';
import type { MeetingCreateBody } from './zoom-sim.api.schema';
import type { SimContext } from './zoom-sim.context';
import { zoomErrors } from './zoom-sim.errors';
import { occurrenceStarts } from './zoom-sim.recurrence';
import { isValidTimeZone, parseStartTime } from './zoom-sim.time';
import type { SimMeeting, SimRecurrence } from './zoom-sim.types';

/**
 * Applying a create or update body to a meeting: time zone, start time (UTC with `Z`, otherwise
 * local in `timezone`), recurrence and its occurrences, settings and alternative hosts (licensed,
 * active users of the same account).
 */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  host_video: false,
  participant_video: false,
  cn_meeting: false,
  in_meeting: false,
  join_before_host: false,
  jbh_time: 0,
  mute_upon_entry: false,
  watermark: false,
  use_pmi: false,
  approval_type: 2,
  audio: 'voip',
  auto_recording: 'none',
  enforce_login: false,
  enforce_login_domains: '',
  alternative_hosts: '',
  alternative_hosts_email_notification: true,
  close_registration: false,
  waiting_room: false,
  registrants_email_notification: true,
  meeting_authentication: false,
  email_notification: true,
  host_save_video_order: false,
};

export function randomPasscode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 6; i += 1) out += alphabet[crypto.randomInt(alphabet.length)];
  return out;
}

export class MeetingFields {
  constructor(private readonly ctx: SimContext) {}

  /** Applies `body` to `meeting` (a fresh one on create), validating as Zoom does. */
  apply(meeting: SimMeeting, body: MeetingCreateBody): void {
    if (body.timezone !== undefined) {
      if (!isValidTimeZone(body.timezone))
        throw zoomErrors.validation([{ field: 'timezone', message: 'Invalid field.' }]);
      meeting.timezone = body.timezone;
    }
    if (body.topic !== undefined) meeting.topic = body.topic;
    if (body.agenda !== undefined) meeting.agenda = body.agenda;
    if (body.duration !== undefined) meeting.duration = body.duration;
    if (body.password !== undefined) meeting.password = body.password;
    if (body.type !== undefined) meeting.type = body.type;
    if (body.start_time !== undefined) {
      const at = parseStartTime(body.start_time, meeting.timezone);
      if (at === null) throw zoomErrors.validation([{ field: 'start_time', message: 'Invalid field.' }]);
      meeting.start_time = at;
    }
    if (body.recurrence !== undefined) meeting.recurrence = { ...(body.recurrence as SimRecurrence) };
    if (body.settings !== undefined) {
      const settings = { ...meeting.settings, ...body.settings };
      if (typeof body.settings.alternative_hosts === 'string') {
        settings.alternative_hosts = this.alternativeHosts(meeting, body.settings.alternative_hosts);
      }
      meeting.settings = settings;
    }
    this.normalise(meeting);
  }

  /** Type-specific rules: instant meetings start now, type 3 has no time, type 8 computes occurrences. */
  private normalise(meeting: SimMeeting): void {
    const now = this.ctx.clock.now();
    if (meeting.type === 1) {
      meeting.start_time = meeting.start_time ?? now;
      meeting.recurrence = null;
      meeting.occurrences = [];
    } else if (meeting.type === 2) {
      meeting.start_time = meeting.start_time ?? now;
      meeting.recurrence = null;
      meeting.occurrences = [];
    } else if (meeting.type === 3) {
      meeting.start_time = null;
      meeting.occurrences = [];
    } else {
      if (!meeting.recurrence)
        throw zoomErrors.validation([{ field: 'recurrence', message: 'Invalid field.' }]);
      const start = meeting.start_time ?? now;
      const { maxRecurrenceEndTimes, defaultRecurrenceEndTimes } = this.ctx.options.api;
      if ((meeting.recurrence.end_times ?? 0) > maxRecurrenceEndTimes) {
        throw zoomErrors.validation([{ field: 'recurrence.end_times', message: 'Invalid field.' }]);
      }
      const deleted = new Set(
        meeting.occurrences.filter((o) => o.status === 'deleted').map((o) => o.occurrence_id),
      );
      meeting.occurrences = occurrenceStarts(start, meeting.timezone, meeting.recurrence, {
        max: maxRecurrenceEndTimes,
        defaultEndTimes: defaultRecurrenceEndTimes,
      }).map((at) => ({
        occurrence_id: String(at),
        start_time: at,
        duration: meeting.duration,
        status: deleted.has(String(at)) ? 'deleted' : 'available',
      }));
      if (meeting.occurrences.length === 0) {
        throw zoomErrors.validation([{ field: 'recurrence.end_date_time', message: 'Invalid field.' }]);
      }
      meeting.start_time = meeting.occurrences[0]?.start_time ?? start;
    }
  }

  /** Alternative hosts must be active licensed users of the host's account; answers them joined by `;`. */
  private alternativeHosts(meeting: SimMeeting, raw: string): string {
    const refs = raw
      .split(/[;,]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const bad: string[] = [];
    const emails: string[] = [];
    for (const ref of refs) {
      const user = this.ctx.state.findUser(ref);
      if (!user || user.account_id !== meeting.account_id || user.status !== 'active' || user.type !== 2)
        bad.push(ref);
      else if (user.id !== meeting.host_id) emails.push(user.email);
    }
    if (bad.length > 0) throw zoomErrors.alternativeHosts(this.ctx.options.api.alternativeHostErrorCode, bad);
    return emails.join(';');
  }
}
