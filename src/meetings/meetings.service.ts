import type { Logger } from 'pino';
import { AppError, errors } from '../shared/errors';
import type { Db, Queryable } from '../storage';
import {
  ZoomApiError,
  zoomMeetings,
  type ZoomAccountApi,
  type ZoomClient,
  type ZoomConnectionRef,
  type ZoomMeetingsApi,
} from '../zoom';
import * as repo from './meetings.repo';
import type { MeetingRequest } from './meetings.schema';
import { formatInstant, nextUtcMidnight, utcDay } from './meetings.time';
import { fromZoomMeeting, toZoomInput } from './meetings.zoom';

/** The school's Zoom connection, as meetings need it. */
export type ConnectionLookup = (schoolId: string) => Promise<{ status: string; ref?: ZoomConnectionRef }>;

/** An instructor's Zoom user (provisioning's record of it). */
export type ZoomUserLookup = (person: {
  schoolId: string;
  issuer: string;
  userId: string;
}) => Promise<{ zoomUserId: string | null; status: string; email: string | null; name: string } | undefined>;

/** Where work that outlives a request goes (the job runner). */
export interface BackgroundWork {
  /** `db`: a transaction to record the job in (it runs once that commits). */
  enqueue(
    kind: string,
    key: string,
    payload: Record<string, unknown>,
    runAt?: number,
    db?: Queryable,
  ): Promise<void>;
}

export interface MeetingsOptions {
  db: Db;
  client: ZoomClient;
  connectionOf: ConnectionLookup;
  zoomUserOf: ZoomUserLookup;
  jobs: BackgroundWork;
  logger: Logger;
  now?: () => number;
}

/** Who acts, and how times are shown to them. */
export interface Actor {
  userId: string;
  name: string;
  issuer: string;
  timeZone: string;
  locale: string;
}

/** Zoom's per-host daily limit on meeting creates and updates (ZOOM-NOTES), and when to warn. */
export const DAILY_LIMIT = 100;
export const DAILY_WARNING = 80;
/** A create Zoom did not confirm is looked for again this much later. */
export const CONFIRM_AFTER_MS = 30_000;
export const CONFIRM_CREATE_JOB = 'meetings.confirm-create';

export interface Outcome {
  meeting: repo.MeetingRow;
  /** Set from the 80th request of the host today: how many, and when the count starts again. */
  usage?: { count: number; resetsAt: Date };
  /** The create could not be confirmed yet (Zoom did not answer): it is looked for again shortly. */
  pending?: boolean;
}

const AMBIGUOUS = new Set(['server', 'timeout', 'network']);

/**
 * Class meetings of a course: scheduled with the instructor's own Zoom user, kept in our tables (the
 * student path reads only those), and changed in Zoom first. A create is recorded as an intent
 * before Zoom is asked; after an ambiguous failure the host's meetings are searched before asking
 * again, so no meeting is made twice or left without its row.
 */
export class MeetingsService {
  readonly now: () => number;

  constructor(readonly options: MeetingsOptions) {
    this.now = options.now ?? Date.now;
  }

  async schedule(
    course: repo.CourseKey,
    actor: Actor,
    request: MeetingRequest,
    placement: { resourceLinkId?: string } = {},
  ): Promise<Outcome> {
    const { db } = this.options;
    const host = await this.hostOf(course.schoolId, actor);
    const api = await this.api(course.schoolId);
    const intent = await repo.insertIntent(db, {
      ...course,
      resourceLinkId: placement.resourceLinkId ?? null,
      intentKey: request.intent,
      state: 'creating',
      hostZoomUserId: host,
      hostLmsUserId: actor.userId,
      hostName: actor.name,
      scheduledBy: actor.userId,
      topic: request.topic,
      startTime: request.start,
      durationMinutes: request.durationMinutes,
      timeZone: request.timeZone,
      recurrence: request.recurrence ?? null,
      settings: request.settings,
      passcode: request.passcode ?? null,
    });
    if (!intent) return this.alreadyRequested(course, request.intent);
    let usage: Outcome['usage'];
    try {
      usage = await this.reserveRequest(course.schoolId, host, actor);
    } catch (error) {
      await repo.deleteMeetingRow(db, intent.id);
      throw error;
    }
    try {
      const created = await api.create(host, toZoomInput(request));
      return { meeting: await this.apply(intent, created), usage };
    } catch (error) {
      if (!isAmbiguous(error)) {
        await repo.deleteMeetingRow(db, intent.id); // nothing half made
        throw this.refusal(error, actor);
      }
      this.options.logger.warn(
        { meetingId: intent.id },
        'meeting create not confirmed by Zoom; looking for it',
      );
    }
    let found: Awaited<ReturnType<MeetingsService['findCreated']>>;
    try {
      found = await this.findCreated(api, intent);
    } catch {
      // Zoom cannot say now whether it made the meeting: asking again could make it twice, and
      // dropping the intent could leave Zoom's meeting without its row. The confirm job decides.
      return this.confirmLater(intent, usage);
    }
    if (found) return { meeting: await this.apply(intent, found), usage };
    // Zoom did not make it (as far as it says now): ask once more, then leave it to the confirm job.
    try {
      const again = await this.reserveRequest(course.schoolId, host, actor);
      const created = await api.create(host, toZoomInput(request));
      return { meeting: await this.apply(intent, created), usage: again ?? usage };
    } catch (error) {
      if (!isAmbiguous(error)) {
        await repo.deleteMeetingRow(db, intent.id);
        throw this.refusal(error, actor);
      }
      return this.confirmLater(intent, usage);
    }
  }

  /** The create is left unconfirmed: the confirm job adopts Zoom's meeting or drops the intent. */
  private async confirmLater(intent: repo.MeetingRow, usage: Outcome['usage']): Promise<Outcome> {
    await this.options.jobs.enqueue(
      CONFIRM_CREATE_JOB,
      intent.id,
      { meetingId: intent.id },
      this.now() + CONFIRM_AFTER_MS,
    );
    return { meeting: intent, usage, pending: true };
  }

  async update(
    course: repo.CourseKey,
    meetingId: string,
    actor: Actor,
    request: MeetingRequest,
  ): Promise<Outcome> {
    const meeting = await this.require(course, meetingId);
    if (!meeting.zoomMeetingId) throw errors.notFound();
    const api = await this.api(course.schoolId);
    const usage = await this.reserveRequest(course.schoolId, meeting.hostZoomUserId, actor);
    try {
      await api.update(meeting.zoomMeetingId, meeting.hostZoomUserId, toZoomInput(request));
      const fresh = await api.get(meeting.zoomMeetingId);
      return { meeting: await this.apply(meeting, fresh), usage };
    } catch (error) {
      throw this.refusal(error, actor);
    }
  }

  /** Deletes the meeting (or one occurrence of a series) in Zoom, then here. */
  async remove(
    course: repo.CourseKey,
    meetingId: string,
    actor: Actor,
    occurrenceId?: string,
  ): Promise<{ meeting: repo.MeetingRow; occurrence: boolean }> {
    const { db } = this.options;
    const meeting = await this.require(course, meetingId);
    if (occurrenceId && !meeting.occurrences.some((o) => o.occurrenceId === occurrenceId))
      throw errors.notFound();
    if (meeting.zoomMeetingId) {
      const api = await this.api(course.schoolId);
      try {
        await api.delete(meeting.zoomMeetingId, occurrenceId);
      } catch (error) {
        // Already gone at Zoom (3001): ours goes too.
        if (!(error instanceof ZoomApiError && error.kind === 'not_found')) throw this.refusal(error, actor);
      }
    }
    if (occurrenceId) {
      await repo.markOccurrenceDeleted(db, meeting.id, occurrenceId);
      return { meeting, occurrence: true };
    }
    await repo.updateMeeting(db, meeting.id, { state: 'deleted' });
    return { meeting, occurrence: false };
  }

  /** A fresh `start_url` for the host (never stored, never rendered). */
  async startUrl(course: repo.CourseKey, meetingId: string, actor: Actor): Promise<string> {
    const meeting = await this.require(course, meetingId);
    if (meeting.hostLmsUserId !== actor.userId) throw errors.meetingNotHost();
    if (!meeting.zoomMeetingId) throw errors.notFound();
    const api = await this.api(course.schoolId);
    try {
      const fresh = await api.get(meeting.zoomMeetingId);
      if (!fresh.start_url) throw errors.zoomUnavailable('Zoom did not give a start link.');
      return fresh.start_url;
    } catch (error) {
      throw this.refusal(error, actor);
    }
  }

  async setShowRecordings(
    course: repo.CourseKey,
    meetingId: string,
    show: boolean,
  ): Promise<repo.MeetingRow> {
    const meeting = await this.require(course, meetingId);
    return (await repo.updateMeeting(this.options.db, meeting.id, { showRecordings: show })) ?? meeting;
  }

  async require(course: repo.CourseKey, meetingId: string): Promise<repo.MeetingWithDetails> {
    const meeting = await repo.meetingInCourse(this.options.db, course, meetingId);
    if (!meeting) throw errors.notFound();
    return meeting;
  }

  /** The Zoom API of the school's connection. */
  async accountApi(schoolId: string): Promise<ZoomAccountApi> {
    const connection = await this.options.connectionOf(schoolId);
    if (connection.status === 'reconnect_required') throw errors.zoomReconnectRequired();
    if (!connection.ref) throw errors.zoomNotConnected();
    return this.options.client.forConnection(connection.ref);
  }

  /** Its meeting endpoints. */
  async api(schoolId: string): Promise<ZoomMeetingsApi> {
    return zoomMeetings(await this.accountApi(schoolId));
  }

  /**
   * Records what Zoom answered about a meeting (ids, join link, occurrences); an intent that found
   * its meeting at Zoom (created, or found on the host after a dropped answer) becomes scheduled.
   */
  async apply(
    meeting: repo.MeetingRow,
    zoom: Parameters<typeof fromZoomMeeting>[0],
  ): Promise<repo.MeetingRow> {
    const { values, occurrences } = fromZoomMeeting(zoom, meeting);
    return this.options.db.transaction(async (tx) => {
      const state = meeting.state === 'creating' || meeting.state === 'deleted' ? 'scheduled' : meeting.state;
      const row = await repo.updateMeeting(tx, meeting.id, { ...values, state });
      await repo.replaceOccurrences(tx, meeting.id, occurrences);
      return row ?? meeting;
    });
  }

  /**
   * The host's meeting that an unconfirmed create made, if Zoom has it: same topic, created no
   * earlier than the intent (allowing for clocks), and not already another meeting of ours.
   */
  async findCreated(api: ZoomMeetingsApi, intent: repo.MeetingRow) {
    const since = intent.createdAt.getTime() - 2 * 60_000;
    let token: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const list = await api.list(intent.hostZoomUserId, token);
      for (const candidate of list.meetings) {
        if (candidate.topic !== intent.topic) continue;
        if (candidate.created_at && Date.parse(candidate.created_at) < since) continue;
        const known = await repo.meetingByZoomId(this.options.db, intent.schoolId, candidate.id);
        if (known && known.id !== intent.id) continue;
        return api.get(candidate.id);
      }
      token = list.next_page_token;
      if (!token) return undefined;
    }
    return undefined;
  }

  private async alreadyRequested(course: repo.CourseKey, intentKey: string): Promise<Outcome> {
    const existing = await repo.meetingByIntent(this.options.db, intentKey);
    if (!existing || existing.schoolId !== course.schoolId || existing.contextId !== course.contextId)
      throw errors.notFound();
    return { meeting: existing, pending: existing.state === 'creating' };
  }

  private async hostOf(schoolId: string, actor: Actor): Promise<string> {
    const person = await this.options.zoomUserOf({ schoolId, issuer: actor.issuer, userId: actor.userId });
    if (!person?.zoomUserId || person.status !== 'active') throw errors.meetingHostNotReady();
    return person.zoomUserId;
  }

  /**
   * Takes one of the host's daily create/update requests before Zoom is asked: refused at the
   * limit (with the reset time in the actor's zone); from the 80th, what the page warns about.
   */
  private async reserveRequest(schoolId: string, host: string, actor: Actor): Promise<Outcome['usage']> {
    const now = this.now();
    const count = await repo.reserveHostRequest(this.options.db, schoolId, host, utcDay(now), DAILY_LIMIT);
    if (count === undefined) throw errors.meetingDailyLimit({ reset: this.resetText(now, actor) });
    return count >= DAILY_WARNING ? { count, resetsAt: nextUtcMidnight(now) } : undefined;
  }

  private resetText(now: number, actor: Actor): string {
    return formatInstant(nextUtcMidnight(now), actor.timeZone, actor.locale);
  }

  /** Zoom's refusal as the error the person sees (nothing was changed). */
  refusal(error: unknown, actor: Actor): unknown {
    if (error instanceof AppError) return error;
    if (!(error instanceof ZoomApiError)) return error;
    switch (error.kind) {
      case 'daily_limit':
        return errors.meetingDailyLimit({ reset: this.resetText(this.now(), actor) }, error);
      case 'rate_limited':
        return errors.zoomBusy({}, error);
      case 'missing_scopes':
      case 'unauthorized':
        return errors.zoomReconnectRequired(undefined, error);
      case 'server':
      case 'timeout':
      case 'network':
      case 'invalid_response':
        return errors.zoomUnavailable(undefined, error);
      default:
        if (error.code === 3002) return errors.meetingInProgress({}, error);
        return errors.meetingRefused({ message: error.zoomMessage }, error);
    }
  }
}

function isAmbiguous(error: unknown): boolean {
  return error instanceof ZoomApiError && AMBIGUOUS.has(error.kind);
}
