import crypto from 'node:crypto';
import { decodeMeetingRef, type ApiCaller } from './zoom-sim.auth';
import { utcDay, zoomTime } from './zoom-sim.clock';
import type { SimContext } from './zoom-sim.context';
import { zoomErrors } from './zoom-sim.errors';
import type { MeetingPresenter } from './zoom-sim.meetings.presenter';
import { paginate } from './zoom-sim.pagination';
import { generateInstance } from './zoom-sim.recordings.generate';
import {
  RecordingSharing,
  type RecordingPasscode,
  type RecordingSettingsUpdate,
} from './zoom-sim.recordings.sharing';
import type { EndMeetingOptions, SimInstance, SimMeeting, SimParticipant } from './zoom-sim.types';
import type { UsersService } from './zoom-sim.users';

/** The path part of an instance's `share_url` (`/rec/share/{id}`). */
export function shareIdOf(instanceUuid: string): string {
  return crypto.createHash('sha256').update(instanceUuid).digest('base64url').slice(0, 40);
}

/**
 * Ended meetings: the control surface ends a meeting (participants and recordings generated
 * deterministically, webhooks sent); the API lists recordings and participants of past instances.
 * A recording made while its account requires passcodes for shared recordings has one (its
 * `password` and `recording_play_passcode`), and its share page asks for it (zoom-sim.recordings.web.ts).
 */
export class RecordingsService {
  /** How each recording is shared, and its passcode (none: shared without one). */
  private readonly sharing = new RecordingSharing();

  constructor(
    private readonly ctx: SimContext,
    private readonly users: UsersService,
    private readonly presenter: MeetingPresenter,
  ) {}

  /**
   * Ends the meeting. `recorded`: participants of sessions joined live (their events already sent);
   * with some and no `options.participants`, nobody is generated.
   */
  end(meeting: SimMeeting, options: EndMeetingOptions = {}, recorded: SimParticipant[] = []): SimInstance {
    const { state, clock, events } = this.ctx;
    const now = clock.now();
    const host = state.users.get(meeting.host_id);
    const account = state.accounts.get(meeting.account_id);
    const minutes =
      options.duration_minutes ??
      (meeting.started_at !== null
        ? Math.max(1, Math.ceil((now - meeting.started_at) / 60_000))
        : meeting.duration || 60);
    const startedAt =
      meeting.started_at !== null && options.duration_minutes === undefined
        ? meeting.started_at
        : now - minutes * 60_000;
    if (meeting.status !== 'started') {
      events.emit(meeting.account_id, 'meeting.started', {
        object: { ...this.presenter.eventObject(meeting), start_time: zoomTime(startedAt) },
      });
    }
    const recording =
      options.recording ?? (meeting.settings.auto_recording === 'cloud' && account?.plan !== 'free');
    const instance = generateInstance({
      seed: `${meeting.topic}|${meeting.created_at}|${meeting.instances.length}`,
      uuid: meeting.uuid,
      start: startedAt,
      end: now,
      host: host ? { id: host.id, name: host.display_name || host.email, email: host.email } : null,
      participants: options.participants ?? (recorded.length > 0 ? [] : 3),
      recording,
    });
    meeting.instances.push(instance);
    if (instance.recording_files.length > 0)
      this.sharing.create(instance.uuid, account?.recording_passcode !== false);
    const object = { ...this.presenter.eventObject(meeting), start_time: zoomTime(startedAt) };
    for (const p of instance.participants) {
      const participant = {
        user_id: p.user_id,
        user_name: p.name,
        id: p.id,
        email: p.user_email,
        participant_uuid: p.user_id,
      };
      events.emit(meeting.account_id, 'meeting.participant_joined', {
        object: { ...object, participant: { ...participant, join_time: zoomTime(p.join_time) } },
      });
    }
    for (const p of instance.participants) {
      const participant = {
        user_id: p.user_id,
        user_name: p.name,
        id: p.id,
        email: p.user_email,
        participant_uuid: p.user_id,
      };
      events.emit(meeting.account_id, 'meeting.participant_left', {
        object: {
          ...object,
          participant: {
            ...participant,
            leave_time: zoomTime(p.leave_time),
            leave_reason: 'left the meeting',
          },
        },
      });
    }
    events.emit(meeting.account_id, 'meeting.ended', { object: { ...object, end_time: zoomTime(now) } });
    if (recorded.length > 0) {
      instance.participants = [...instance.participants, ...recorded].sort(
        (a, b) => a.join_time - b.join_time,
      );
    }
    if (instance.recording_files.length > 0) {
      events.emit(
        meeting.account_id,
        'recording.completed',
        { object: this.recordingBody(meeting, instance) },
        { download_token: crypto.randomBytes(32).toString('base64url') },
      );
    }
    meeting.status = meeting.type === 1 || meeting.type === 2 ? 'ended' : 'waiting';
    meeting.started_at = null;
    meeting.uuid = state.meetingUuid();
    return instance;
  }

  recordingBody(meeting: SimMeeting, instance: SimInstance): Record<string, unknown> {
    const base = this.ctx.baseUrl();
    const files = instance.recording_files.map((f) => ({
      id: f.id,
      meeting_id: instance.uuid,
      recording_start: zoomTime(instance.start_time),
      recording_end: zoomTime(instance.end_time),
      file_type: f.file_type,
      file_extension: f.file_extension,
      file_size: f.file_size,
      play_url: `${base}/rec/play/${f.id}`,
      download_url: `${base}/rec/download/${f.id}`,
      status: 'completed',
      recording_type: f.recording_type,
    }));
    const passcode = this.sharing.passcode(instance.uuid);
    return {
      uuid: instance.uuid,
      id: meeting.id,
      account_id: meeting.account_id,
      host_id: meeting.host_id,
      topic: meeting.topic,
      type: meeting.type,
      start_time: zoomTime(instance.start_time),
      timezone: meeting.timezone,
      duration: Math.round((instance.end_time - instance.start_time) / 60_000),
      total_size: files.reduce((sum, f) => sum + f.file_size, 0),
      recording_count: files.length,
      share_url: `${base}/rec/share/${shareIdOf(instance.uuid)}`,
      ...(passcode ? { password: passcode.password, recording_play_passcode: passcode.play } : {}),
      recording_files: files,
    };
  }

  /**
   * The recording a share link (`/rec/share/{id}`) or a file's play link (`/rec/play/{fileId}`)
   * names, with its passcode if it has one and how it is shared (any account: the link is public).
   */
  shared(link: { shareId: string } | { fileId: string }):
    | {
        meeting: SimMeeting;
        instance: SimInstance;
        passcode?: RecordingPasscode;
        mode: 'publicly' | 'internally' | 'none';
      }
    | undefined {
    for (const meeting of this.ctx.state.meetings.values()) {
      const instance = meeting.instances.find(
        (i) =>
          i.recording_files.length > 0 &&
          ('shareId' in link
            ? shareIdOf(i.uuid) === link.shareId
            : i.recording_files.some((f) => f.id === link.fileId)),
      );
      if (instance)
        return {
          meeting,
          instance,
          passcode: this.sharing.passcode(instance.uuid),
          mode: this.sharing.shareMode(instance.uuid),
        };
    }
    return undefined;
  }

  /** `GET /meetings/{meetingId}/recordings/settings`. */
  settings(caller: ApiCaller, rawRef: string): Record<string, unknown> {
    return this.sharing.settings(this.instance(caller, rawRef, true).instance.uuid);
  }

  /** `PATCH /meetings/{meetingId}/recordings/settings`: sharing on or off, a new passcode. */
  updateSettings(caller: ApiCaller, rawRef: string, update: RecordingSettingsUpdate): void {
    this.sharing.update(this.instance(caller, rawRef, true).instance.uuid, update);
  }

  /** The past instance a path addresses: a UUID, or a meeting number (its latest instance). */
  private instance(
    caller: ApiCaller,
    rawRef: string,
    withRecording: boolean,
  ): { meeting: SimMeeting; instance: SimInstance } {
    const ref = decodeMeetingRef(rawRef);
    const found = ref ? this.ctx.state.findMeeting(ref) : undefined;
    if (!found || found.meeting.account_id !== caller.account.id) {
      throw withRecording ? zoomErrors.recordingNotFound() : zoomErrors.meetingNotFound(ref || rawRef);
    }
    const candidates = found.meeting.instances.filter(
      (i) =>
        (found.instanceUuid === null || i.uuid === found.instanceUuid) &&
        (!withRecording || i.recording_files.length > 0),
    );
    const instance = candidates[candidates.length - 1];
    if (!instance) throw withRecording ? zoomErrors.recordingNotFound() : zoomErrors.meetingNotFound(ref);
    return { meeting: found.meeting, instance };
  }

  meetingRecordings(caller: ApiCaller, rawRef: string): Record<string, unknown> {
    const { meeting, instance } = this.instance(caller, rawRef, true);
    return this.recordingBody(meeting, instance);
  }

  userRecordings(caller: ApiCaller, userRef: string, query: Record<string, string>): Record<string, unknown> {
    const host = this.users.resolve(caller, userRef);
    const today = utcDay(this.ctx.clock.now()).key;
    const from = query.from ?? today;
    const to = query.to ?? today;
    const bad = [
      ...(isDate(from) ? [] : [{ field: 'from', message: 'Invalid field.' }]),
      ...(isDate(to) ? [] : [{ field: 'to', message: 'Invalid field.' }]),
    ];
    if (bad.length > 0) throw zoomErrors.validation(bad);
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`) + 86_400_000;
    if (end <= start || end - start > 32 * 86_400_000)
      throw zoomErrors.invalidParameter('The maximum date range is one month.');
    const items = this.ctx.state
      .accountMeetings(caller.account.id)
      .filter((m) => m.host_id === host.id)
      .flatMap((m) => m.instances.filter((i) => i.recording_files.length > 0).map((i) => ({ m, i })))
      .filter(({ i }) => i.start_time >= start && i.start_time < end)
      .sort((a, b) => b.i.start_time - a.i.start_time);
    const page = paginate(
      this.ctx,
      `recordings|${host.id}|${from}|${to}`,
      items,
      query.page_size,
      query.next_page_token,
    );
    return {
      from,
      to,
      page_size: page.page_size,
      total_records: page.total_records,
      next_page_token: page.next_page_token,
      meetings: page.items.map(({ m, i }) => this.recordingBody(m, i)),
    };
  }

  /** A meeting's ended instances (`/past_meetings/{meetingId}/instances`), oldest first; none yet: empty. */
  pastInstances(caller: ApiCaller, rawRef: string): Record<string, unknown> {
    const ref = decodeMeetingRef(rawRef);
    const found = ref ? this.ctx.state.findMeeting(ref) : undefined;
    if (!found || found.meeting.account_id !== caller.account.id)
      throw zoomErrors.meetingNotFound(ref || rawRef);
    return {
      meetings: found.meeting.instances.map((i) => ({ uuid: i.uuid, start_time: zoomTime(i.start_time) })),
    };
  }

  participants(
    caller: ApiCaller,
    rawRef: string,
    query: Record<string, string>,
    report: boolean,
  ): Record<string, unknown> {
    if (caller.account.plan === 'free') throw zoomErrors.paidOnly(caller.account.id);
    const { instance } = this.instance(caller, rawRef, false);
    // Zoom is still processing the report for a while after the meeting ends: it comes back empty.
    const ready = this.ctx.clock.now() >= instance.end_time + this.ctx.options.api.participantsReportDelayMs;
    const page = paginate(
      this.ctx,
      `${report ? 'report' : 'past'}|${instance.uuid}`,
      ready ? instance.participants : [],
      query.page_size,
      query.next_page_token,
    );
    const participants = page.items.map((p) => {
      const common = {
        id: p.id,
        name: p.name,
        user_email: p.user_email,
        join_time: zoomTime(p.join_time),
        leave_time: zoomTime(p.leave_time),
        duration: Math.round((p.leave_time - p.join_time) / 1000),
        ...(p.registrant_id ? { registrant_id: p.registrant_id } : {}),
      };
      return report
        ? { ...common, user_id: p.user_id, status: 'in_meeting', failover: false, customer_key: '' }
        : common;
    });
    return {
      page_count: Math.ceil(page.total_records / page.page_size),
      page_size: page.page_size,
      total_records: page.total_records,
      next_page_token: page.next_page_token,
      participants,
    };
  }
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}
