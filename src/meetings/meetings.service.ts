import type { Logger } from 'pino';
import { errors } from '../shared/errors';
import type { Db, Queryable } from '../storage';
import {
  ZoomApiError,
  zoomMeetings,
  type ZoomAccountApi,
  type ZoomCallOptions,
  type ZoomClient,
  type ZoomConnectionRef,
  type ZoomMeeting,
  type ZoomMeetingsApi,
} from '../zoom';
import { MeetingCreates, type Placement } from './meetings.creates';
import {
  reconcileErrorText,
  recordGone,
  recordSent,
  recordZoomAnswer,
  type RecordOptions,
} from './meetings.record';
import { StudentCourseViews } from './meetings.cache';
import * as repo from './meetings.repo';
import type { MeetingRequest } from './meetings.schema';
import { courseJobKey, RECONCILE_JOB } from './meetings.sync';
import { reserveHostRequest, sendsCounted, zoomRefusal } from './meetings.usage';
import { toZoomInput } from './meetings.zoom';
import type { MeetingAttendance } from './meetings.attendance';

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
export { DAILY_LIMIT, DAILY_WARNING } from './meetings.usage';
export { CONFIRM_AFTER_MS, CONFIRM_CREATE_JOB } from './meetings.creates';
/** An edit Zoom applied but whose answer could not be read is read again this much later. */
export const REREAD_AFTER_MS = 60_000;

export interface Outcome {
  meeting: repo.MeetingRow;
  /** Set from the 80th request of the host today: how many, and when the count starts again. */
  usage?: { count: number; resetsAt: Date };
  /** The create could not be confirmed yet (Zoom did not answer): it is looked for again shortly. */
  pending?: boolean;
}

/**
 * Class meetings of a course: scheduled with the instructor's own Zoom user, kept in our tables (the
 * student path reads only those), and changed in Zoom first. A create is recorded as an intent
 * before Zoom is asked; after an ambiguous failure the host's meetings are searched before asking
 * again, so no meeting is made twice or left without its row.
 */
export class MeetingsService {
  readonly now: () => number;

  /** Creates, retries and confirmations of creates (meetings.creates.ts). */
  private readonly creates: MeetingCreates;

  constructor(private readonly options: MeetingsOptions) {
    this.now = options.now ?? Date.now;
    this.creates = new MeetingCreates({
      db: options.db,
      jobs: options.jobs,
      logger: options.logger,
      now: this.now,
      api: (schoolId) => this.api(schoolId),
      zoomUserOf: options.zoomUserOf,
      reserveRequest: (schoolId, host, actor) => this.reserveRequest(schoolId, host, actor),
      sendsCounted: (schoolId, host, actor) => this.sendsCounted(schoolId, host, actor),
      apply: (meeting, zoom) => this.apply(meeting, zoom),
      zoomInput: async (course, request, host) =>
        toZoomInput(request, undefined, { registration: await this.takesAttendance(course, host) }),
      refusal: (error, actor) => this.refusal(error, actor),
      require: (course, meetingId) => this.require(course, meetingId),
    });
  }

  /** Schedules a meeting with the actor's Zoom user (the intent first; see meetings.creates.ts). */
  schedule(
    course: repo.CourseKey,
    actor: Actor,
    request: MeetingRequest,
    placement: Placement = {},
  ): Promise<Outcome> {
    return this.creates.schedule(course, actor, request, placement);
  }

  /** Staff retry a create the confirm job gave up on (state `failed`). */
  retryCreate(course: repo.CourseKey, meetingId: string, actor: Actor): Promise<Outcome> {
    return this.creates.retry(course, meetingId, actor);
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
      await api.update(
        meeting.zoomMeetingId,
        meeting.hostZoomUserId,
        toZoomInput(request, meeting, {
          registration: await this.takesAttendance(course, meeting.hostZoomUserId),
        }),
        this.sendsCounted(course.schoolId, meeting.hostZoomUserId, actor),
      );
    } catch (error) {
      throw this.refusal(error, actor);
    }
    // Zoom made the change: it is reported as made (a retry would spend the host's quota again).
    try {
      const fresh = await api.get(meeting.zoomMeetingId);
      return { meeting: await this.apply(meeting, fresh, this.linksAfter()), usage };
    } catch (error) {
      this.options.logger.warn(
        { meetingId: meeting.id, err: error instanceof Error ? error.message : String(error) },
        'meeting updated in Zoom but not read back; recorded as sent, read again later',
      );
      const recorded = await recordSent(this.options.db, meeting, request);
      await this.options.jobs.enqueue(
        RECONCILE_JOB,
        courseJobKey(course),
        { ...course },
        this.now() + REREAD_AFTER_MS,
      );
      return { meeting: recorded, usage };
    }
  }

  /** Attendance's part in creates and edits (services.ts: attendance's links); none: no registration. */
  useAttendance(attendance: MeetingAttendance): void {
    this.attendance = attendance;
  }

  private attendance: MeetingAttendance | undefined;

  private async takesAttendance(course: repo.CourseKey, hostZoomUserId: string): Promise<boolean> {
    return (await this.attendance?.takesAttendance(course, hostZoomUserId)) ?? false;
  }

  /** A created or edited meeting's links are asked for in the transaction that records it. */
  private linksAfter(): RecordOptions {
    const attendance = this.attendance;
    return attendance ? { inTransaction: (tx, meeting) => attendance.recorded(tx, meeting) } : {};
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
    // A failed create has no Zoom meeting: it is removed here only, nothing is asked of Zoom.
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
   * Records what Zoom answered about a meeting read before Zoom was asked (ids, join link,
   * occurrences; `meetings.record.ts`): an intent that found its meeting at Zoom becomes scheduled;
   * a webhook that changed the row meanwhile keeps its state; a deleted meeting stays deleted. A
   * create (an intent, however confirmed) asks for its links with the row.
   */
  async apply(
    meeting: repo.MeetingRow,
    zoom: ZoomMeeting,
    options: RecordOptions = {},
  ): Promise<repo.MeetingRow> {
    const links = meeting.state === 'creating' ? this.linksAfter() : {};
    return recordZoomAnswer(this.options.db, meeting, zoom, {
      at: new Date(this.now()),
      ...links,
      ...options,
    });
  }

  // For the sync (reconcile, confirm job): our rows, written with the version read.

  /** The host's meeting that an unconfirmed create made, if Zoom has it. */
  findCreated(api: ZoomMeetingsApi, intent: repo.MeetingRow): Promise<ZoomMeeting | undefined> {
    return this.creates.findCreated(api, intent);
  }

  /** An unconfirmed create Zoom does not have: its intent is dropped (unless it changed meanwhile). */
  dropIntent(intent: repo.MeetingRow): Promise<void> {
    return this.creates.dropIntent(intent);
  }

  /** The confirm job gave up on a create: it is shown to staff as failed (Retry, Delete). */
  markCreateFailed(intent: repo.MeetingRow): Promise<void> {
    return this.creates.markFailed(intent);
  }

  /** Takes the course's reconcile turn when the last one started before `before`. */
  claimReconcile(course: repo.CourseKey, now: Date, before: Date): Promise<boolean> {
    return repo.claimReconcile(this.options.db, course, now, before);
  }

  /** The course's meetings that are not deleted (failed ones too), with occurrences. */
  courseMeetings(course: repo.CourseKey): Promise<repo.MeetingWithDetails[]> {
    return repo.meetingsOf(this.options.db, course);
  }

  meetingById(id: string): Promise<repo.MeetingRow | undefined> {
    return repo.meetingById(this.options.db, id);
  }

  /** Zoom no longer has the meeting: `ended` (over) or `deleted`, unless the row moved on since it was read. */
  recordGone(meeting: repo.MeetingRow, state: 'ended' | 'deleted'): Promise<repo.MeetingRow | undefined> {
    return recordGone(this.options.db, meeting, state);
  }

  /** Why Zoom could not be read about this meeting (shown to staff until a read succeeds). */
  async recordReconcileError(meeting: repo.MeetingRow, error: unknown): Promise<void> {
    const reason = reconcileErrorText(error);
    this.options.logger.warn(
      { meetingId: meeting.id, reason },
      'reconcile could not read a meeting from Zoom',
    );
    await repo.updateMeeting(this.options.db, meeting.id, {
      reconcileError: reason,
      reconcileErrorAt: new Date(this.now()),
    });
  }

  /** Zoom's refusal as the error the person sees (nothing was changed). */
  refusal(error: unknown, actor: Actor): unknown {
    return zoomRefusal(error, actor, this.now());
  }

  /** One of the host's daily requests (meetings.usage.ts), and another for each retry Zoom may have counted. */
  private reserveRequest(schoolId: string, host: string, actor: Actor): Promise<Outcome['usage']> {
    return reserveHostRequest(this.options.db, schoolId, host, actor, this.now());
  }
  private sendsCounted(schoolId: string, host: string, actor: Actor): ZoomCallOptions {
    return sendsCounted(() => this.reserveRequest(schoolId, host, actor));
  }

  // For the routes
  /** A new calendar link for the course: the old one stops working. */
  async rotateFeed(course: repo.CourseKey): Promise<void> {
    await repo.bumpFeedVersion(this.options.db, course);
  }

  /**
   * A calendar feed's course and its meetings, when the course exists and `signed` accepts it (the
   * signature is checked before any meeting is read).
   */
  async calendarOf(
    key: repo.CourseKey,
    signed: (course: repo.CourseRow) => boolean,
  ): Promise<{ course: repo.CourseRow; meetings: repo.MeetingWithDetails[] } | undefined> {
    const course = await repo.courseRow(this.options.db, key);
    if (!course || !signed(course)) return undefined;
    return { course, meetings: await repo.meetingsOf(this.options.db, course) };
  }

  /** The topic and host of a meeting of this course (school, LMS and context; a deleted one too). */
  async topicOf(
    course: repo.CourseKey,
    meetingId: string,
  ): Promise<{ topic: string; hostLmsUserId: string; hostName: string } | undefined> {
    return repo.meetingTopicInCourse(this.options.db, course, meetingId);
  }

  // … and for the pages (meetings.pages.ts)

  /** The course as staff see it: recorded (its title, for the calendar), its meetings read afresh. */
  async staffView(
    course: repo.CourseKey,
    title: string,
    services?: repo.CourseLaunchServices,
  ): Promise<{ course: repo.CourseRow; meetings: repo.MeetingWithDetails[] }> {
    const row = await repo.upsertCourse(this.options.db, course, title, services);
    await this.attendance?.staffViewed(course).catch((error: unknown) => {
      this.options.logger.warn(
        { err: error },
        'attendance could not ask for the roster; the page opens anyway',
      );
    });
    return { course: row, meetings: await repo.meetingsOf(this.options.db, course) };
  }

  /** What students read of a course, shared for a moment by the whole class (no Zoom request). */
  studentView(course: repo.CourseKey): ReturnType<StudentCourseViews['read']> {
    this.studentViews ??= new StudentCourseViews(this.options.db);
    return this.studentViews.read(course);
  }

  private studentViews: StudentCourseViews | undefined;

  /** A meeting placed by deep linking belongs to the resource link the LMS made for it. */
  async placeOnLink(meetingId: string, resourceLinkId: string): Promise<void> {
    await repo.updateMeeting(this.options.db, meetingId, { resourceLinkId });
  }
}
