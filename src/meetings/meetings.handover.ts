import type { Logger } from 'pino';
import { z } from 'zod';
import { isStaff } from '../lti';
import { errors } from '../shared/errors';
import type { Db } from '../storage';
import { ZoomApiError, type ZoomMeeting, type ZoomMeetingsApi } from '../zoom';
import type { MeetingAttendance } from './meetings.attendance';
import * as handoverRepo from './meetings.handover.repo';
import type { CoursePanel, CoursePanelInput } from './meetings.panels';
import { matchesIntent } from './meetings.record';
import * as repo from './meetings.repo';
import type { Actor, BackgroundWork, MeetingsService } from './meetings.service';
import { formatDate, formatInstant } from './meetings.time';
import { fromZoomMeeting, toZoomInput } from './meetings.zoom';

/** Finishes a recreation whose create Zoom did not answer (durable: the request may have died). */
export const HANDOVER_JOB = 'meetings.handover';
export const HANDOVER_ATTEMPTS = 6;
/** The job waits this long: the request usually finishes first, and the job then finds nothing to do. */
const RESUME_AFTER_MS = 60_000;
const AMBIGUOUS = new Set(['server', 'timeout', 'network']);
const noContent = z.unknown();

const jobPayload = z.object({
  meetingId: z.uuid(),
  schoolId: z.uuid(),
  to: z.object({ lmsUserId: z.string(), zoomUserId: z.string(), name: z.string() }),
  claimedAt: z.number(),
});
type Target = z.infer<typeof jobPayload>['to'];

export interface MeetingHandoverOptions {
  db: Db;
  meetings: MeetingsService;
  jobs: BackgroundWork;
  /** Registration and registrant links of a recreated meeting (attendance's links). */
  attendance?: MeetingAttendance;
  logger: Logger;
}

/** How one meeting was handed over. */
export type HandoverOutcome = 'moved' | 'recreated' | 'pending';

/**
 * Handing meetings whose host left to another instructor of the course (docs/architecture.md,
 * "When the host leaves"): by Zoom's own means first (`PATCH /meetings/{id}` with `schedule_for`:
 * same meeting, id and link), else, when Zoom no longer has the meeting (its host was deleted:
 * 3001/1001), by recreating it under the new host with the same settings on the SAME row (our id
 * keeps its attendance and recordings), with a new link students are told about. A recreation
 * looks for what an earlier try made before asking Zoom (never twice); one Zoom did not answer is
 * finished by a job, and until then the meeting stays listed without a host.
 */
export class MeetingHandover {
  constructor(private readonly options: MeetingHandoverOptions) {}

  /** The course page's card for staff: the meetings without a host, and why. */
  async panel(input: CoursePanelInput): Promise<CoursePanel | undefined> {
    if (!isStaff(input.launch.role)) return undefined;
    const orphans = await handoverRepo.orphansOfCourse(this.options.db, input.course);
    if (orphans.length === 0) return undefined;
    const { t, locale } = input.viewer.translator;
    const zone = input.viewer.timeZone;
    return {
      view: 'course-life/orphaned',
      locals: {
        t,
        link: input.link,
        meetings: orphans.map((m) => ({
          id: m.id,
          topic: m.topic,
          why: t(`handover.reason.${m.hostLostReason ?? 'not_found'}`, {
            name: m.hostName || t('handover.someone'),
            date: m.hostLostAt ? formatDate(m.hostLostAt, zone, locale) : '',
          }),
        })),
      },
    };
  }

  /** The hand-over page's model: the course's meetings without a host (or the one asked for) and who may take them. */
  async page(course: repo.CourseKey, only: string | undefined, viewer: { timeZone: string; locale: string }) {
    const orphans = (await handoverRepo.orphansOfCourse(this.options.db, course)).filter(
      (m) => only === undefined || m.id === only,
    );
    if (only !== undefined && orphans.length === 0) throw errors.notFound();
    const candidates = await handoverRepo.candidatesOf(this.options.db, course);
    return {
      meetings: orphans.map((m) => ({
        id: m.id,
        topic: m.topic,
        reason: m.hostLostReason ?? 'not_found',
        hostName: m.hostName,
        when: formatInstant(m.startTime, viewer.timeZone, viewer.locale),
        lostOn: m.hostLostAt ? formatDate(m.hostLostAt, viewer.timeZone, viewer.locale) : '',
        series: m.recurrence !== null,
      })),
      candidates: candidates.map((c) => ({ lmsUserId: c.lmsUserId, name: c.name })),
    };
  }

  /** The school admin page's list: every meeting of the school without a host. */
  schoolOrphans(schoolId: string): Promise<handoverRepo.SchoolOrphan[]> {
    return handoverRepo.orphansOfSchool(this.options.db, schoolId);
  }

  /**
   * Hands the course's meetings without a host (`meetingIds`, or all of them) to `toLmsUserId`, who
   * must be an active instructor of the course with an active, licensed Zoom user. Meetings already
   * handed over are left alone (a repeated submit changes nothing).
   */
  async handOver(
    course: repo.CourseKey,
    meetingIds: string[] | 'all',
    toLmsUserId: string,
    actor: Actor,
  ): Promise<Record<HandoverOutcome, number>> {
    const { db } = this.options;
    const candidate = (await handoverRepo.candidatesOf(db, course)).find((c) => c.lmsUserId === toLmsUserId);
    if (!candidate) throw errors.handoverHostNotEligible();
    const orphans = await handoverRepo.orphansOfCourse(db, course);
    const chosen = meetingIds === 'all' ? orphans : orphans.filter((m) => meetingIds.includes(m.id));
    if (meetingIds !== 'all') {
      // Not this course's meeting without a host: already handed over (left alone) or not ours (404).
      for (const id of meetingIds) {
        if (chosen.some((m) => m.id === id)) continue;
        const held = await repo.meetingInCourse(db, course, id);
        if (!held || held.state === 'deleted') throw errors.notFound();
      }
    }
    const to: Target = {
      lmsUserId: candidate.lmsUserId,
      zoomUserId: candidate.zoomUserId,
      name: candidate.name,
    };
    const counts: Record<HandoverOutcome, number> = { moved: 0, recreated: 0, pending: 0 };
    const api = chosen.length > 0 ? await this.options.meetings.api(course.schoolId) : undefined;
    for (const meeting of chosen) counts[await this.handOne(api!, meeting, to, actor)] += 1;
    return counts;
  }

  private async handOne(
    api: ZoomMeetingsApi,
    meeting: repo.MeetingRow,
    to: Target,
    actor: Actor,
  ): Promise<HandoverOutcome> {
    if (meeting.zoomMeetingId) {
      try {
        await this.scheduleFor(meeting, to);
        const moved = await handoverRepo.recordHandover(this.options.db, meeting.id, meeting, {
          ...hostValues(to),
        });
        if (moved) return 'moved';
        // Changed meanwhile (another hand-over, a webhook): read again; the next visit shows it.
        return 'pending';
      } catch (error) {
        if (!(error instanceof ZoomApiError && error.kind === 'not_found'))
          throw this.options.meetings.refusal(error, actor);
      }
    }
    // Zoom no longer has the meeting (its host was deleted): it is made again under the new host.
    const claim = {
      meetingId: meeting.id,
      schoolId: meeting.schoolId,
      to,
      claimedAt: this.options.meetings.now(),
    };
    try {
      return await this.recreate(api, meeting, claim);
    } catch (error) {
      if (!isAmbiguous(error)) throw this.options.meetings.refusal(error, actor);
      // Zoom may have made it: the job looks for it before asking again (the row stays listed meanwhile).
      await this.options.jobs.enqueue(HANDOVER_JOB, meeting.id, claim, claim.claimedAt + RESUME_AFTER_MS);
      return 'pending';
    }
  }

  /** `PATCH /meetings/{id}` with `schedule_for`: Zoom moves the meeting to the new host (same id and link). */
  private async scheduleFor(meeting: repo.MeetingRow, to: Target): Promise<void> {
    const account = await this.options.meetings.accountApi(meeting.schoolId);
    await account.request({
      method: 'PATCH',
      path: '/meetings/{meetingId}',
      pathParams: { meetingId: meeting.zoomMeetingId! },
      body: { schedule_for: to.zoomUserId },
      category: 'light',
      schema: noContent,
      dailyLimitUser: to.zoomUserId,
      idempotent: true,
    });
  }

  /** The job: a recreation the request could not finish is finished (found at Zoom, or made once more). */
  async resume(payload: Record<string, unknown>): Promise<void> {
    const parsed = jobPayload.safeParse(payload);
    if (!parsed.success) {
      this.options.logger.warn('meetings.handover job with a malformed payload: dropped');
      return;
    }
    const meeting = await repo.meetingById(this.options.db, parsed.data.meetingId);
    if (!meeting || meeting.schoolId !== parsed.data.schoolId || meeting.hostState !== 'orphaned') return;
    try {
      await this.recreate(await this.options.meetings.api(meeting.schoolId), meeting, parsed.data);
    } catch (error) {
      if (isAmbiguous(error)) throw error;
      this.options.logger.warn(
        { meetingId: meeting.id, reason: error instanceof Error ? error.message : 'refused' },
        'a hand-over Zoom refused: the meeting stays without a host',
      );
    }
  }

  private async recreate(
    api: ZoomMeetingsApi,
    meeting: repo.MeetingRow,
    claim: z.infer<typeof jobPayload>,
  ): Promise<HandoverOutcome> {
    const course = { schoolId: meeting.schoolId, lmsIssuer: meeting.lmsIssuer, contextId: meeting.contextId };
    const start = await this.nextStart(meeting);
    // What an earlier try made, if Zoom has it (its answer was lost, or the request died): any
    // meeting of the new host like this one, made since the host left, that no row holds.
    const since = meeting.hostLostAt ?? new Date(claim.claimedAt);
    const asked = {
      ...meeting,
      hostZoomUserId: claim.to.zoomUserId,
      startTime: start,
      createdAt: since,
      updatedAt: new Date(Math.max(claim.claimedAt, since.getTime())),
    };
    let made = await this.findMade(api, asked);
    if (!made) {
      const registration =
        (await this.options.attendance?.takesAttendance(course, claim.to.zoomUserId)) ?? false;
      const input = toZoomInput(
        {
          intent: meeting.intentKey,
          topic: meeting.topic,
          start,
          durationMinutes: meeting.durationMinutes,
          timeZone: meeting.timeZone,
          recurrence: meeting.recurrence ?? undefined,
          passcode: meeting.passcode ?? undefined,
          settings: meeting.settings,
        },
        undefined,
        { registration },
      );
      made = await api.create(claim.to.zoomUserId, input);
    }
    return (await this.adopt(meeting, made, claim.to)) ? 'recreated' : 'pending';
  }

  /** The first start still ahead (a series' next occurrence), else the meeting's own. */
  private async nextStart(meeting: repo.MeetingRow): Promise<Date> {
    const now = this.options.meetings.now();
    if (!meeting.recurrence) return meeting.startTime;
    const next = (await repo.occurrencesOfMeeting(this.options.db, meeting.id)).find(
      (o) => o.status === 'available' && o.startTime.getTime() > now,
    );
    return next?.startTime ?? meeting.startTime;
  }

  private async findMade(api: ZoomMeetingsApi, asked: repo.MeetingRow): Promise<ZoomMeeting | undefined> {
    let token: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const list = await api.list(asked.hostZoomUserId, token);
      for (const candidate of list.meetings) {
        if (!matchesIntent(candidate, asked)) continue;
        const known = await repo.meetingByZoomId(this.options.db, asked.schoolId, candidate.id);
        if (known) continue;
        return api.get(candidate.id);
      }
      token = list.next_page_token;
      if (!token) return undefined;
    }
    return undefined;
  }

  /** The new Zoom meeting on the same row: ids, link, occurrences; old registrant links gone, new ones asked for. */
  private async adopt(read: repo.MeetingRow, made: ZoomMeeting, to: Target): Promise<boolean> {
    const { db } = this.options;
    const { values, occurrences } = fromZoomMeeting(made, read);
    let row: repo.MeetingRow | undefined = read;
    for (let attempt = 0; attempt < 3 && row?.hostState === 'orphaned'; attempt += 1) {
      const current: repo.MeetingRow = row;
      const written = await db.transaction(async (tx) => {
        const updated = await handoverRepo.recordHandover(tx, current.id, current, {
          ...values,
          ...hostValues(to),
          linkChangedAt: new Date(this.options.meetings.now()),
          reconcileError: null,
          reconcileErrorAt: null,
        });
        if (!updated) return undefined;
        await repo.replaceOccurrences(tx, current.id, occurrences);
        await handoverRepo.deleteRegistrants(tx, current.schoolId, current.id);
        await this.options.attendance?.recorded(tx, updated);
        return updated;
      });
      if (written) return true;
      row = await repo.meetingById(db, read.id);
    }
    return false;
  }
}

function hostValues(to: Target): Partial<repo.NewMeeting> {
  return {
    hostZoomUserId: to.zoomUserId,
    hostLmsUserId: to.lmsUserId,
    hostName: to.name,
    hostState: 'ok',
    hostLostReason: null,
    hostLostAt: null,
  };
}

function isAmbiguous(error: unknown): boolean {
  return error instanceof ZoomApiError && AMBIGUOUS.has(error.kind);
}
