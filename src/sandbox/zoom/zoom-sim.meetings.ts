import type { MeetingCreateBody, MeetingUpdateBody } from './zoom-sim.api.schema';
import { decodeMeetingRef, type ApiCaller } from './zoom-sim.auth';
import { zoomTime } from './zoom-sim.clock';
import type { SimContext } from './zoom-sim.context';
import { zoomErrors } from './zoom-sim.errors';
import type { RateLimiter } from './zoom-sim.limits';
import { DEFAULT_SETTINGS, MeetingFields, randomPasscode } from './zoom-sim.meetings.fields';
import type { MeetingPresenter } from './zoom-sim.meetings.presenter';
import { paginate, type Page } from './zoom-sim.pagination';
import type { SimMeeting, SimUser } from './zoom-sim.types';
import type { UsersService } from './zoom-sim.users';

/**
 * Meetings: create / get / update / delete / list for a host of the caller's account, counting the
 * per-user 100 create/update requests a day, and the host starting a meeting.
 */
export const LIST_TYPES = [
  'scheduled',
  'live',
  'upcoming',
  'upcoming_meetings',
  'previous_meetings',
] as const;

export class MeetingsService {
  private readonly fields: MeetingFields;

  constructor(
    private readonly ctx: SimContext,
    private readonly users: UsersService,
    private readonly limiter: RateLimiter,
    private readonly presenter: MeetingPresenter,
  ) {
    this.fields = new MeetingFields(ctx);
  }

  /** The meeting addressed by a path (number or UUID) in the caller's account, or 3001. */
  find(caller: ApiCaller, rawRef: string): SimMeeting {
    const ref = decodeMeetingRef(rawRef);
    const found = ref ? this.ctx.state.findMeeting(ref) : undefined;
    if (!found || found.meeting.account_id !== caller.account.id)
      throw zoomErrors.meetingNotFound(ref || rawRef);
    return found.meeting;
  }

  /** The account's "Require a passcode when scheduling new meetings". */
  private requiresPasscode(caller: ApiCaller): boolean {
    return caller.account.require_passcode ?? this.ctx.options.api.requirePasscode;
  }

  private host(caller: ApiCaller, ref: string): SimUser {
    const user = this.users.resolve(caller, ref);
    const canHost =
      user.status === 'active' || (user.status === 'pending' && this.ctx.options.api.pendingUserCanHost);
    if (!canHost) throw zoomErrors.userNotFound(ref);
    return user;
  }

  create(caller: ApiCaller, hostRef: string, body: MeetingCreateBody): SimMeeting {
    const { state, clock } = this.ctx;
    let host = this.host(caller, hostRef);
    this.limiter.hitMeetingWrite(caller.account, host.id, 'Medium');
    if (body.schedule_for) host = this.host(caller, body.schedule_for);
    const meeting: SimMeeting = {
      id: state.meetingNumber(),
      uuid: state.meetingUuid(),
      account_id: caller.account.id,
      host_id: host.id,
      topic: 'Zoom meeting',
      type: 2,
      start_time: null,
      duration: 60,
      timezone: host.timezone,
      // Without `password`, Zoom generates one only when the account requires a passcode.
      password: this.requiresPasscode(caller) ? randomPasscode() : '',
      agenda: '',
      settings: { ...DEFAULT_SETTINGS },
      recurrence: null,
      occurrences: [],
      created_at: clock.now(),
      status: 'waiting',
      started_at: null,
      instances: [],
    };
    this.fields.apply(meeting, body);
    state.meetings.set(meeting.id, meeting);
    this.ctx.events.emit(caller.account.id, 'meeting.created', {
      operator: this.users.operatorEmail(caller),
      operator_id: caller.token.user_id,
      operation: 'single',
      object: {
        ...this.presenter.eventObject(meeting),
        join_url: this.presenter.joinUrl(meeting),
        password: meeting.password,
      },
    });
    return meeting;
  }

  update(caller: ApiCaller, rawRef: string, body: MeetingUpdateBody, occurrenceId: string | undefined): void {
    const meeting = this.find(caller, rawRef);
    this.limiter.hitMeetingWrite(caller.account, meeting.host_id, 'Light');
    const draft = structuredClone(meeting);
    if (body.schedule_for) draft.host_id = this.host(caller, body.schedule_for).id;
    if (occurrenceId !== undefined) {
      const occurrence = draft.occurrences.find(
        (o) => o.occurrence_id === occurrenceId && o.status === 'available',
      );
      if (!occurrence) throw zoomErrors.meetingNotFound(`${meeting.id} occurrence ${occurrenceId}`);
      if (body.duration !== undefined) occurrence.duration = body.duration;
      if (body.start_time !== undefined) {
        const probe = structuredClone(draft);
        probe.type = 2;
        this.fields.apply(probe, { start_time: body.start_time });
        occurrence.start_time = probe.start_time ?? occurrence.start_time;
      }
    } else if (body.password === '' && this.requiresPasscode(caller)) {
      // [uncertain] An account that requires a passcode keeps the meeting's when asked to remove it.
      this.fields.apply(draft, { ...body, password: undefined });
    } else {
      this.fields.apply(draft, body);
    }
    const before = this.presenter.eventObject(meeting);
    Object.assign(meeting, draft);
    const after = this.presenter.eventObject(meeting);
    const changed: Record<string, unknown> = { id: meeting.id, uuid: meeting.uuid };
    const old: Record<string, unknown> = { id: meeting.id, uuid: meeting.uuid };
    for (const [key, value] of Object.entries(after)) {
      if (JSON.stringify(before[key]) !== JSON.stringify(value)) {
        changed[key] = value;
        old[key] = before[key];
      }
    }
    if (body.settings) changed.settings = { ...body.settings };
    this.ctx.events.emit(caller.account.id, 'meeting.updated', {
      operator: this.users.operatorEmail(caller),
      operator_id: caller.token.user_id,
      operation: occurrenceId === undefined ? 'all' : 'single',
      object: occurrenceId === undefined ? changed : { ...changed, occurrence_id: occurrenceId },
      old_object: old,
      time_stamp: this.ctx.clock.now(),
    });
  }

  delete(caller: ApiCaller, rawRef: string, occurrenceId: string | undefined): void {
    const meeting = this.find(caller, rawRef);
    if (meeting.status === 'started') throw zoomErrors.meetingInProgress();
    if (meeting.status === 'ended' && this.ctx.options.api.deleteEndedMeeting === 'error')
      throw zoomErrors.meetingEnded();
    const object = this.presenter.eventObject(meeting);
    if (occurrenceId !== undefined) {
      const occurrence = meeting.occurrences.find(
        (o) => o.occurrence_id === occurrenceId && o.status === 'available',
      );
      if (!occurrence) throw zoomErrors.meetingNotFound(`${meeting.id} occurrence ${occurrenceId}`);
      occurrence.status = 'deleted';
      object.occurrences = [{ occurrence_id: occurrenceId, start_time: zoomTime(occurrence.start_time) }];
    } else {
      this.ctx.state.meetings.delete(meeting.id);
    }
    this.ctx.events.emit(caller.account.id, 'meeting.deleted', {
      operator: this.users.operatorEmail(caller),
      operator_id: caller.token.user_id,
      operation: occurrenceId === undefined ? 'all' : 'single',
      object,
    });
  }

  list(
    caller: ApiCaller,
    userRef: string,
    query: Record<string, string>,
  ): Page<SimMeeting> & { type: string } {
    const host = this.users.resolve(caller, userRef);
    const type = query.type ?? 'scheduled';
    if (!(LIST_TYPES as readonly string[]).includes(type))
      throw zoomErrors.validation([{ field: 'type', message: 'Invalid field.' }]);
    const now = this.ctx.clock.now();
    const mine = this.ctx.state.accountMeetings(caller.account.id).filter((m) => m.host_id === host.id);
    const selected = mine.filter((m) => {
      const next = this.presenter.nextStart(m);
      switch (type) {
        case 'live':
          return m.status === 'started';
        case 'previous_meetings':
          return (
            m.instances.length > 0 ||
            (m.type === 2 && m.start_time !== null && m.start_time + m.duration * 60_000 < now)
          );
        case 'upcoming':
        case 'upcoming_meetings':
          return (
            m.status !== 'ended' && (m.status === 'started' || m.type === 3 || (next !== null && next >= now))
          );
        default:
          return m.type !== 1 || m.status === 'started';
      }
    });
    selected.sort(
      (a, b) => (a.start_time ?? Infinity) - (b.start_time ?? Infinity) || a.created_at - b.created_at,
    );
    const page = paginate(
      this.ctx,
      `meetings|${host.id}|${type}`,
      selected,
      query.page_size,
      query.next_page_token,
    );
    return { ...page, type };
  }

  /** The host starts the meeting (start_url followed, or the control surface). */
  start(meeting: SimMeeting): void {
    if (meeting.status === 'started') return;
    meeting.status = 'started';
    meeting.started_at = this.ctx.clock.now();
    this.ctx.events.emit(meeting.account_id, 'meeting.started', {
      object: {
        ...this.presenter.eventObject(meeting),
        start_time: zoomTime(meeting.started_at),
      },
    });
  }
}
