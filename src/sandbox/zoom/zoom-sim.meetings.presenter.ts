import crypto from 'node:crypto';
import { zoomTime } from './zoom-sim.clock';
import type { SimContext } from './zoom-sim.context';
import type { SimMeeting } from './zoom-sim.types';

/**
 * Meetings as Zoom answers them. Every presentation with a `start_url` mints a fresh ZAK that
 * expires after 2 hours (90 days for custCreate hosts); `GET /s/{id}?zak=` checks it.
 */
export class MeetingPresenter {
  constructor(private readonly ctx: SimContext) {}

  startUrl(meeting: SimMeeting): string {
    const { state, clock, options } = this.ctx;
    const host = state.users.get(meeting.host_id);
    const seconds =
      host?.created_via === 'custCreate'
        ? options.api.custCreateStartUrlSeconds
        : options.api.startUrlSeconds;
    const zak = crypto.randomBytes(48).toString('base64url');
    state.zaks.set(zak, { meeting_id: meeting.id, expires_at: clock.now() + seconds * 1000 });
    return `${this.ctx.baseUrl()}/s/${meeting.id}?zak=${zak}`;
  }

  encryptedPassword(meeting: SimMeeting): string {
    return crypto
      .createHash('sha256')
      .update(`${meeting.id}:${meeting.password}`)
      .digest('base64url')
      .slice(0, 32);
  }

  joinUrl(meeting: SimMeeting): string {
    const base = `${this.ctx.baseUrl()}/j/${meeting.id}`;
    return meeting.password ? `${base}?pwd=${this.encryptedPassword(meeting)}` : base;
  }

  /** The next available occurrence (or the first), for lists. */
  nextStart(meeting: SimMeeting): number | null {
    const now = this.ctx.clock.now();
    const available = meeting.occurrences.filter((o) => o.status === 'available');
    return (available.find((o) => o.start_time >= now) ?? available[0])?.start_time ?? meeting.start_time;
  }

  occurrences(meeting: SimMeeting): Array<Record<string, unknown>> {
    return meeting.occurrences
      .filter((o) => o.status === 'available')
      .map((o) => ({
        occurrence_id: o.occurrence_id,
        start_time: zoomTime(o.start_time),
        duration: o.duration,
        status: o.status,
      }));
  }

  /** `GET /meetings/{id}` and the 201 of create. */
  full(meeting: SimMeeting): Record<string, unknown> {
    const host = this.ctx.state.users.get(meeting.host_id);
    const body: Record<string, unknown> = {
      uuid: meeting.uuid,
      id: meeting.id,
      host_id: meeting.host_id,
      host_email: host?.email ?? '',
      topic: meeting.topic,
      type: meeting.type,
      status: meeting.status === 'started' ? 'started' : 'waiting',
    };
    if (meeting.start_time !== null) body.start_time = zoomTime(meeting.start_time);
    Object.assign(body, {
      duration: meeting.duration,
      timezone: meeting.timezone,
      agenda: meeting.agenda,
      created_at: zoomTime(meeting.created_at),
      start_url: this.startUrl(meeting),
      join_url: this.joinUrl(meeting),
      password: meeting.password,
      h323_password: meeting.password,
      pstn_password: meeting.password,
      encrypted_password: this.encryptedPassword(meeting),
      settings: { ...meeting.settings },
      pre_schedule: false,
    });
    if (meeting.type === 8) body.occurrences = this.occurrences(meeting);
    if (meeting.recurrence && (meeting.type === 8 || meeting.type === 3))
      body.recurrence = { ...meeting.recurrence };
    return body;
  }

  /** An item of `GET /users/{userId}/meetings`. */
  listItem(meeting: SimMeeting): Record<string, unknown> {
    const start = meeting.type === 8 ? this.nextStart(meeting) : meeting.start_time;
    const item: Record<string, unknown> = {
      uuid: meeting.uuid,
      id: meeting.id,
      host_id: meeting.host_id,
      topic: meeting.topic,
      type: meeting.type,
    };
    if (start !== null) item.start_time = zoomTime(start);
    Object.assign(item, {
      duration: meeting.duration,
      timezone: meeting.timezone,
      agenda: meeting.agenda,
      created_at: zoomTime(meeting.created_at),
      join_url: this.joinUrl(meeting),
    });
    return item;
  }

  /** The `object` of meeting webhooks. */
  eventObject(meeting: SimMeeting): Record<string, unknown> {
    const object: Record<string, unknown> = {
      uuid: meeting.uuid,
      id: meeting.id,
      host_id: meeting.host_id,
      topic: meeting.topic,
      type: meeting.type,
      duration: meeting.duration,
      timezone: meeting.timezone,
    };
    if (meeting.start_time !== null) object.start_time = zoomTime(meeting.start_time);
    return object;
  }
}
