import { z } from 'zod';
import type { ApiCaller } from './zoom-sim.auth';
import { zoomTime } from './zoom-sim.clock';
import type { SimContext } from './zoom-sim.context';
import { zoomErrors } from './zoom-sim.errors';
import type { MeetingPresenter } from './zoom-sim.meetings.presenter';
import type { MeetingsService } from './zoom-sim.meetings';
import { paginate } from './zoom-sim.pagination';
import type { SimMeeting, SimRegistrant } from './zoom-sim.types';

/**
 * Meeting registration, Zoom's way for a platform that knows its users: a meeting whose
 * `settings.approval_type` is 0 (automatic) or 1 (manual) takes registrants; each gets a unique
 * join URL `/w/{meetingId}?tk={token}` (with `&pwd=` when the meeting has a passcode) that admits
 * one device at a time. Registering the same email again answers the same registrant. With
 * approval_type 1 a registrant waits ('pending') unless `auto_approve` is true; 2 (Zoom's default)
 * means no registration (code 3000).
 */
export const registrantCreateSchema = z.looseObject({
  email: z.email().max(128),
  first_name: z.string().min(1).max(64),
  last_name: z.string().max(64).optional(),
  auto_approve: z.boolean().optional(),
});
export type RegistrantCreateBody = z.infer<typeof registrantCreateSchema>;

const STATUSES = ['approved', 'pending', 'denied'] as const;

export class RegistrantsService {
  constructor(
    private readonly ctx: SimContext,
    private readonly meetings: MeetingsService,
    private readonly presenter: MeetingPresenter,
  ) {}

  joinUrl(meeting: SimMeeting, registrant: SimRegistrant): string {
    const base = `${this.ctx.baseUrl()}/w/${meeting.id}?tk=${registrant.token}`;
    return meeting.password ? `${base}&pwd=${this.presenter.encryptedPassword(meeting)}` : base;
  }

  add(caller: ApiCaller, rawRef: string, body: RegistrantCreateBody): Record<string, unknown> {
    const meeting = this.meetings.find(caller, rawRef);
    const approval = meeting.settings.approval_type;
    if (approval !== 0 && approval !== 1) throw zoomErrors.registrationDisabled(meeting.id);
    const registrants = (meeting.registrants ??= []);
    const email = body.email.toLowerCase();
    let registrant = registrants.find((r) => r.email === email);
    if (!registrant) {
      registrant = {
        id: this.ctx.state.zoomId(),
        email,
        first_name: body.first_name,
        last_name: body.last_name ?? '',
        status: approval === 0 || body.auto_approve === true ? 'approved' : 'pending',
        token: this.ctx.state.secret(24),
        create_time: this.ctx.clock.now(),
      };
      registrants.push(registrant);
    }
    const answer: Record<string, unknown> = {
      id: meeting.id,
      registrant_id: registrant.id,
      topic: meeting.topic,
    };
    if (meeting.start_time !== null) answer.start_time = zoomTime(meeting.start_time);
    answer.join_url = this.joinUrl(meeting, registrant);
    if (meeting.type === 8) answer.occurrences = this.presenter.occurrences(meeting);
    return answer;
  }

  list(caller: ApiCaller, rawRef: string, query: Record<string, string>): Record<string, unknown> {
    const meeting = this.meetings.find(caller, rawRef);
    const status = query.status ?? 'approved';
    if (!(STATUSES as readonly string[]).includes(status))
      throw zoomErrors.validation([{ field: 'status', message: 'Invalid field.' }]);
    const selected = (meeting.registrants ?? []).filter((r) => r.status === status);
    const page = paginate(
      this.ctx,
      `registrants|${meeting.id}|${status}`,
      selected,
      query.page_size,
      query.next_page_token,
    );
    return {
      page_count: Math.ceil(page.total_records / page.page_size),
      page_size: page.page_size,
      total_records: page.total_records,
      next_page_token: page.next_page_token,
      registrants: page.items.map((r) => ({
        id: r.id,
        email: r.email,
        first_name: r.first_name,
        last_name: r.last_name,
        status: r.status,
        create_time: zoomTime(r.create_time),
        join_url: this.joinUrl(meeting, r),
      })),
    };
  }

  /**
   * What a join URL names for this meeting: a registrant (`/w/{id}?tk=`), a guest (the meeting's own
   * `/j/{id}` link), or nothing (another meeting's link, an unknown or forged token).
   */
  resolveLink(
    meeting: SimMeeting,
    joinUrl: string,
  ): { kind: 'registrant'; registrant: SimRegistrant } | { kind: 'guest' } | null {
    let url: URL;
    try {
      url = new URL(joinUrl, this.ctx.baseUrl());
    } catch {
      return null;
    }
    const match = /^\/([wj])\/(\d+)$/.exec(url.pathname);
    if (!match || Number(match[2]) !== meeting.id) return null;
    if (match[1] === 'j') return { kind: 'guest' };
    const token = url.searchParams.get('tk');
    const registrant = token ? meeting.registrants?.find((r) => r.token === token) : undefined;
    return registrant ? { kind: 'registrant', registrant } : null;
  }
}
