import crypto from 'node:crypto';
import { z } from 'zod';
import { zoomTime } from './zoom-sim.clock';
import type { SimContext } from './zoom-sim.context';
import { SimControlError } from './zoom-sim.errors';
import type { MeetingPresenter } from './zoom-sim.meetings.presenter';
import type { MeetingsService } from './zoom-sim.meetings';
import type { RecordingsService } from './zoom-sim.recordings';
import type { RegistrantsService } from './zoom-sim.registrants';
import type {
  ClassInput,
  ClassResult,
  EndMeetingOptions,
  JoinInput,
  LeaveInput,
  SimInstance,
  SimMeeting,
  SimParticipant,
  SimRegistrant,
  SimSession,
} from './zoom-sim.types';

/**
 * People in a live meeting. A join through a registrant's link (`/w/{id}?tk=`) carries the
 * registrant's id and email; through the meeting's own link it is a guest (no email, no registrant
 * id). Each join is a session with its own participant_uuid and user_id, so a rejoin is a new
 * joined/left pair. A registrant link admits one device at a time: a second join (another device,
 * or a forwarded link) makes the first leave. Each join and leave sends
 * `meeting.participant_joined` / `meeting.participant_left`; ending the meeting closes the open
 * sessions, then sends `meeting.ended`, and the sessions become the past meeting's participants.
 */
const joinFields = {
  join_url: z.string().min(1).optional(),
  name: z.string().min(1).max(128).optional(),
  device: z.string().min(1).max(64).optional(),
};
export const joinSchema = z.object(joinFields);
export const leaveSchema = z
  .object({
    participant_uuid: z.string().min(1).optional(),
    join_url: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
  })
  .refine(
    (l) => Boolean(l.participant_uuid ?? l.join_url ?? l.name),
    'Name participant_uuid, join_url or name.',
  );
export const classSchema = z
  .object({
    end_at: z
      .number()
      .positive()
      .max(24 * 3600),
    attendees: z
      .array(
        z.object({
          ...joinFields,
          join_at: z.number().min(0),
          leave_at: z.number().positive().optional(),
        }),
      )
      .max(2000),
  })
  .superRefine((c, issue) => {
    c.attendees.forEach((a, k) => {
      if (
        a.join_at >= c.end_at ||
        (a.leave_at !== undefined && (a.leave_at <= a.join_at || a.leave_at > c.end_at))
      )
        issue.addIssue({
          code: 'custom',
          path: ['attendees', k],
          message: 'Needs join_at < leave_at ≤ end_at (and join_at < end_at).',
        });
    });
  });

const KICKED = 'left the meeting. Reason: another device joined with the same registration link';

export class AttendanceService {
  private lastUserId = 16_778_240;

  constructor(
    private readonly ctx: SimContext,
    private readonly meetings: MeetingsService,
    private readonly registrants: RegistrantsService,
    private readonly recordings: RecordingsService,
    private readonly presenter: MeetingPresenter,
  ) {}

  join(meeting: SimMeeting, input: JoinInput): SimSession {
    if (meeting.status !== 'started')
      throw new SimControlError(409, `Meeting ${meeting.id} has not started: the host starts it first.`);
    const registrant = this.admitted(meeting, input);
    const sessions = (meeting.sessions ??= []);
    const now = this.ctx.clock.now();
    if (registrant) {
      for (const open of sessions.filter((s) => s.registrant_id === registrant.id && s.leave_time === null))
        this.close(meeting, open, now, KICKED);
    }
    this.lastUserId += 1024 + (this.lastUserId % 7);
    const session: SimSession = {
      participant_uuid: crypto.randomUUID().toUpperCase(),
      user_id: String(this.lastUserId),
      id: '',
      user_name:
        input.name ?? (registrant ? `${registrant.first_name} ${registrant.last_name}`.trim() : 'Guest'),
      email: registrant?.email ?? '',
      registrant_id: registrant?.id ?? null,
      device: input.device ?? 'default',
      join_time: Math.floor(now / 1000) * 1000,
      leave_time: null,
    };
    sessions.push(session);
    this.emit(meeting, 'meeting.participant_joined', session, { join_time: zoomTime(session.join_time) });
    return { ...session };
  }

  /** Who a join admits: the registrant its link names, or null for a guest; refuses anyone else. */
  private admitted(meeting: SimMeeting, input: JoinInput): SimRegistrant | null {
    const link = input.join_url
      ? this.registrants.resolveLink(meeting, input.join_url)
      : { kind: 'guest' as const };
    if (!link) throw new SimControlError(403, `The link is not a valid join link of meeting ${meeting.id}.`);
    if (link.kind === 'registrant' && link.registrant.status !== 'approved')
      throw new SimControlError(403, 'This registration is awaiting the host’s approval.');
    if (link.kind === 'guest' && !input.name) throw new SimControlError(400, 'A guest joins with a name.');
    return link.kind === 'registrant' ? link.registrant : null;
  }

  leave(meeting: SimMeeting, input: LeaveInput): SimSession {
    const open = (meeting.sessions ?? []).filter((s) => s.leave_time === null);
    let session: SimSession | undefined;
    if (input.participant_uuid) session = open.find((s) => s.participant_uuid === input.participant_uuid);
    else if (input.join_url) {
      const link = this.registrants.resolveLink(meeting, input.join_url);
      if (link?.kind === 'registrant') session = open.find((s) => s.registrant_id === link.registrant.id);
      else if (link?.kind === 'guest' && input.name)
        session = open.find((s) => s.registrant_id === null && s.user_name === input.name);
    } else session = open.find((s) => s.registrant_id === null && s.user_name === input.name);
    if (!session) throw new SimControlError(404, `Nobody matching is in meeting ${meeting.id}.`);
    this.close(meeting, session, this.ctx.clock.now(), 'left the meeting');
    return { ...session };
  }

  /** Ends the meeting: open sessions leave, `meeting.ended`; recorded sessions become its participants. */
  end(meeting: SimMeeting, options: EndMeetingOptions = {}): SimInstance {
    const now = this.ctx.clock.now();
    const sessions = meeting.sessions ?? [];
    for (const open of sessions.filter((s) => s.leave_time === null))
      this.close(meeting, open, now, 'left the meeting. Reason: host ended the meeting');
    const recorded: SimParticipant[] = sessions.map((s) => ({
      id: s.id,
      user_id: s.user_id,
      name: s.user_name,
      user_email: s.email,
      join_time: s.join_time,
      leave_time: s.leave_time ?? now,
      participant_uuid: s.participant_uuid,
      ...(s.registrant_id ? { registrant_id: s.registrant_id } : {}),
    }));
    meeting.sessions = [];
    return this.recordings.end(meeting, options, recorded);
  }

  /** Plays a class: starts now, joins and leaves at their offsets on the simulated clock, ends at `end_at`. */
  async playClass(
    meeting: SimMeeting,
    input: ClassInput,
    advanceClock: (seconds: number) => Promise<void>,
  ): Promise<ClassResult> {
    const plan = classSchema.parse(input);
    // Every attendee is checked before anything happens: a bad link refuses the whole class.
    for (const attendee of plan.attendees) this.admitted(meeting, attendee);
    const start = this.ctx.clock.now();
    this.meetings.start(meeting);
    const steps = plan.attendees.flatMap((a, k) => [
      { at: a.join_at, leave: false, k },
      ...(a.leave_at !== undefined ? [{ at: a.leave_at, leave: true, k }] : []),
    ]);
    // In time order; at the same second a leave goes before a join, then in the list's order.
    steps.sort((a, b) => a.at - b.at || Number(b.leave) - Number(a.leave) || a.k - b.k);
    const opened = new Map<number, string>();
    const waitUntil = async (offset: number) => {
      const ms = start + offset * 1000 - this.ctx.clock.now();
      if (ms > 0) await advanceClock(ms / 1000);
    };
    for (const step of steps) {
      await waitUntil(step.at);
      const attendee = plan.attendees[step.k];
      if (!attendee) continue;
      if (!step.leave) {
        opened.set(step.k, this.join(meeting, attendee).participant_uuid);
        continue;
      }
      const uuid = opened.get(step.k);
      const open = meeting.sessions?.find((s) => s.participant_uuid === uuid && s.leave_time === null);
      if (uuid && open) this.leave(meeting, { participant_uuid: uuid });
    }
    await waitUntil(plan.end_at);
    const sessions = (meeting.sessions ?? []).map((s) => ({ ...s }));
    const instance = this.end(meeting);
    for (const s of sessions) s.leave_time ??= instance.end_time;
    return { instance, sessions };
  }

  private close(meeting: SimMeeting, session: SimSession, at: number, reason: string): void {
    session.leave_time = Math.max(session.join_time, Math.floor(at / 1000) * 1000);
    this.emit(meeting, 'meeting.participant_left', session, {
      leave_time: zoomTime(session.leave_time),
      leave_reason: reason,
    });
  }

  private emit(meeting: SimMeeting, event: string, s: SimSession, times: Record<string, string>): void {
    const participant: Record<string, unknown> = {
      user_id: s.user_id,
      user_name: s.user_name,
      id: s.id,
      participant_uuid: s.participant_uuid,
      ...times,
      email: s.email,
    };
    if (s.registrant_id) participant.registrant_id = s.registrant_id;
    const startedAt = meeting.started_at ?? this.ctx.clock.now();
    this.ctx.events.emit(meeting.account_id, event, {
      object: { ...this.presenter.eventObject(meeting), start_time: zoomTime(startedAt), participant },
    });
  }
}
