import type { Logger } from 'pino';
import { errors } from '../shared/errors';
import type { Db } from '../storage';
import {
  ZoomApiError,
  type ZoomCallOptions,
  type ZoomMeeting,
  type ZoomMeetingInput,
  type ZoomMeetingsApi,
} from '../zoom';
import { matchesIntent } from './meetings.record';
import * as repo from './meetings.repo';
import type { MeetingRequest } from './meetings.schema';
import type { Actor, BackgroundWork, Outcome, ZoomUserLookup } from './meetings.service';

/** A create Zoom did not confirm is looked for again this much later. */
export const CONFIRM_AFTER_MS = 30_000;
export const CONFIRM_CREATE_JOB = 'meetings.confirm-create';

const AMBIGUOUS = new Set(['server', 'timeout', 'network']);

/** Where a new meeting belongs: a deep-linked resource link; last term's meeting it is copied from. */
export interface Placement {
  resourceLinkId?: string;
  copiedFromMeetingId?: string;
}

/** What a create needs of the meetings service: its quota, host, Zoom and recording steps. */
export interface CreateSteps {
  db: Db;
  jobs: BackgroundWork;
  logger: Logger;
  now: () => number;
  api(schoolId: string): Promise<ZoomMeetingsApi>;
  zoomUserOf: ZoomUserLookup;
  reserveRequest(schoolId: string, host: string, actor: Actor): Promise<Outcome['usage']>;
  sendsCounted(schoolId: string, host: string, actor: Actor): ZoomCallOptions;
  apply(meeting: repo.MeetingRow, zoom: ZoomMeeting): Promise<repo.MeetingRow>;
  /** The create body (with registration when the course takes attendance and the host may have it). */
  zoomInput(
    course: repo.CourseKey,
    request: MeetingRequest,
    hostZoomUserId: string,
  ): Promise<ZoomMeetingInput>;
  refusal(error: unknown, actor: Actor): unknown;
  require(course: repo.CourseKey, meetingId: string): Promise<repo.MeetingWithDetails>;
}

/**
 * Creating a class meeting at Zoom, which does not make a create idempotent (ZOOM-NOTES): the intent
 * is recorded before Zoom is asked; after an ambiguous failure the host's meetings are searched
 * (`matchesIntent`) before asking again, so no meeting is made twice or left without its row; what
 * stays unconfirmed goes to the confirm job, and what that job gives up on is `failed` until staff
 * retry or delete it.
 */
export class MeetingCreates {
  constructor(private readonly steps: CreateSteps) {}

  async schedule(
    course: repo.CourseKey,
    actor: Actor,
    request: MeetingRequest,
    placement: Placement = {},
  ): Promise<Outcome> {
    const { db } = this.steps;
    const host = await this.hostOf(course.schoolId, actor);
    const api = await this.steps.api(course.schoolId);
    const intent = await repo.insertIntent(db, {
      ...course,
      resourceLinkId: placement.resourceLinkId ?? null,
      origin: placement.copiedFromMeetingId ? 'copied' : 'scheduled',
      copiedFromMeetingId: placement.copiedFromMeetingId ?? null,
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
      sectionIds: request.sectionIds ?? [],
    });
    if (!intent) return this.alreadyRequested(course, request.intent);
    let usage: Outcome['usage'];
    try {
      usage = await this.steps.reserveRequest(course.schoolId, host, actor);
    } catch (error) {
      await repo.deleteMeetingRow(db, intent.id);
      throw error;
    }
    try {
      const created = await api.create(
        host,
        await this.steps.zoomInput(course, request, host),
        this.steps.sendsCounted(course.schoolId, host, actor),
      );
      return { meeting: await this.steps.apply(intent, created), usage };
    } catch (error) {
      if (!isAmbiguous(error)) {
        await repo.deleteMeetingRow(db, intent.id); // nothing half made
        throw this.steps.refusal(error, actor);
      }
      this.steps.logger.warn(
        { meetingId: intent.id },
        'meeting create not confirmed by Zoom; looking for it',
      );
    }
    let found: Awaited<ReturnType<MeetingCreates['findCreated']>>;
    try {
      found = await this.findCreated(api, intent);
    } catch {
      // Zoom cannot say now whether it made the meeting: asking again could make it twice, and
      // dropping the intent could leave Zoom's meeting without its row. The confirm job decides.
      return this.confirmLater(intent, usage);
    }
    if (found) return { meeting: await this.steps.apply(intent, found), usage };
    // Zoom did not make it (as far as it says now): ask once more, then leave it to the confirm job.
    try {
      const again = await this.steps.reserveRequest(course.schoolId, host, actor);
      const created = await api.create(
        host,
        await this.steps.zoomInput(course, request, host),
        this.steps.sendsCounted(course.schoolId, host, actor),
      );
      return { meeting: await this.steps.apply(intent, created), usage: again ?? usage };
    } catch (error) {
      if (!isAmbiguous(error)) {
        await repo.deleteMeetingRow(db, intent.id);
        throw this.steps.refusal(error, actor);
      }
      return this.confirmLater(intent, usage);
    }
  }

  /** The create is left unconfirmed: the confirm job adopts Zoom's meeting or drops the intent. */
  private async confirmLater(intent: repo.MeetingRow, usage: Outcome['usage']): Promise<Outcome> {
    await this.steps.jobs.enqueue(
      CONFIRM_CREATE_JOB,
      intent.id,
      { meetingId: intent.id },
      this.steps.now() + CONFIRM_AFTER_MS,
    );
    return { meeting: intent, usage, pending: true };
  }

  /**
   * Staff retry a create the confirm job gave up on (state `failed`): as after any unconfirmed
   * create, the host's meetings are searched first (Zoom may have made it), and Zoom is asked once
   * only when it has none; a refusal leaves it failed, an unanswered ask goes to the confirm job.
   */
  async retry(course: repo.CourseKey, meetingId: string, actor: Actor): Promise<Outcome> {
    const { db } = this.steps;
    const failed = await this.steps.require(course, meetingId);
    if (failed.state !== 'failed') return { meeting: failed, pending: failed.state === 'creating' };
    const api = await this.steps.api(course.schoolId);
    // One retry at a time: a second click finds it no longer failed.
    const intent = await repo.updateMeeting(
      db,
      failed.id,
      { state: 'creating' },
      { version: failed.version },
    );
    if (!intent) return { meeting: await this.steps.require(course, meetingId), pending: true };
    let found: Awaited<ReturnType<MeetingCreates['findCreated']>>;
    try {
      found = await this.findCreated(api, intent);
    } catch {
      return this.confirmLater(intent, undefined);
    }
    if (found) return { meeting: await this.steps.apply(intent, found) };
    let usage: Outcome['usage'];
    try {
      usage = await this.steps.reserveRequest(course.schoolId, intent.hostZoomUserId, actor);
      const created = await api.create(
        intent.hostZoomUserId,
        await this.steps.zoomInput(course, requestOf(intent), intent.hostZoomUserId),
        this.steps.sendsCounted(course.schoolId, intent.hostZoomUserId, actor),
      );
      return { meeting: await this.steps.apply(intent, created), usage };
    } catch (error) {
      if (isAmbiguous(error)) return this.confirmLater(intent, usage);
      await this.markFailed(intent);
      throw this.steps.refusal(error, actor);
    }
  }

  /**
   * The host's meeting that an unconfirmed create made, if Zoom has it (`matchesIntent`: topic,
   * start, duration, zone, kind, created just after the intent) and no other row of ours holds it.
   */
  async findCreated(api: ZoomMeetingsApi, intent: repo.MeetingRow) {
    let token: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const list = await api.list(intent.hostZoomUserId, token);
      for (const candidate of list.meetings) {
        if (!matchesIntent(candidate, intent)) continue;
        const known = await repo.meetingByZoomId(this.steps.db, intent.schoolId, candidate.id);
        if (known && known.id !== intent.id) continue;
        return api.get(candidate.id);
      }
      token = list.next_page_token;
      if (!token) return undefined;
    }
    return undefined;
  }

  /** An unconfirmed create Zoom does not have: its intent is dropped (unless it changed meanwhile). */
  async dropIntent(intent: repo.MeetingRow): Promise<void> {
    const current = await repo.meetingById(this.steps.db, intent.id);
    if (current?.state === 'creating' && current.version === intent.version)
      await repo.deleteMeetingRow(this.steps.db, intent.id);
  }

  /** The confirm job gave up on a create: it is shown to staff as failed (Retry, Delete). */
  async markFailed(intent: repo.MeetingRow): Promise<void> {
    await repo.updateMeeting(this.steps.db, intent.id, { state: 'failed' }, { version: intent.version });
  }

  private async hostOf(schoolId: string, actor: Actor): Promise<string> {
    const person = await this.steps.zoomUserOf({ schoolId, issuer: actor.issuer, userId: actor.userId });
    if (!person?.zoomUserId || person.status !== 'active') throw errors.meetingHostNotReady();
    return person.zoomUserId;
  }

  private async alreadyRequested(course: repo.CourseKey, intentKey: string): Promise<Outcome> {
    const existing = await repo.meetingByIntent(this.steps.db, intentKey);
    if (!existing || existing.schoolId !== course.schoolId || existing.contextId !== course.contextId)
      throw errors.notFound();
    return { meeting: existing, pending: existing.state === 'creating' };
  }
}

/** A failed create as the request that makes it again. */
function requestOf(intent: repo.MeetingRow): MeetingRequest {
  return {
    intent: intent.intentKey,
    topic: intent.topic,
    start: intent.startTime,
    durationMinutes: intent.durationMinutes,
    timeZone: intent.timeZone,
    recurrence: intent.recurrence ?? undefined,
    passcode: intent.passcode ?? undefined,
    settings: intent.settings,
  };
}

function isAmbiguous(error: unknown): boolean {
  return error instanceof ZoomApiError && AMBIGUOUS.has(error.kind);
}
