import type { Logger } from 'pino';
import { z } from 'zod';
import type { JobResult } from '../jobs';
import { meetingOfSchool, takesRegistration, type MeetingAttendance } from '../meetings';
import type { SecretBox } from '../shared/crypto';
import { isAppError } from '../shared/errors';
import type { Db, Queryable } from '../storage';
import {
  registrantNames,
  zoomRegistrants,
  ZoomApiError,
  type ZoomAccountApi,
  type ZoomRegistrantsApi,
} from '../zoom';
import type { RegistrantIdentity } from './attendance.identity';
import * as repo from './attendance.links.repo';

export const LINKS_JOB = 'attendance.links';
export const LINKS_ATTEMPTS = 8;
/**
 * Links are made a week before a meeting (a series: before its first start). Meetings months
 * ahead cost Zoom nothing yet, and the roster is fresh by then; a student who clicks Join earlier
 * gets their own link at that click.
 */
export const LINKS_AHEAD_MS = 7 * 24 * 60 * 60_000;

/**
 * Each student's own Zoom registrant link (docs/architecture.md, "When links are made"): made ahead
 * by the job `attendance.links` (key: the meeting) for every active student of the course without a
 * ready one, or at a first Join click (`linkNow`). The rules, which the code keeps:
 * - An intent row (`creating`) is written before Zoom is asked, and taken by one worker at a time
 *   (`claim` compares what it read): two workers never send for one person.
 * - An unanswered POST (5xx, time-out, dropped connection) is never sent again blindly: the
 *   meeting's registrants are listed and the one with our email adopted. Only when Zoom's list says
 *   it has none is the person sent again (Zoom answers the same registrant for the same email
 *   anyway); at most `SENDS` POSTs a person.
 * - Calls go through the account's client and pacer (`WORKERS` at once: the pacer sets the pace);
 *   a rate or daily limit, or a connection that needs reconnecting, stops the run until later.
 * - The join URL lets anyone join as that student: sealed (`SecretBox`), never logged.
 */
const WORKERS = 8;
const SENDS = 5;
/** A send taken this recently may still be waiting for Zoom's answer: not adopted or sent by another. */
const IN_FLIGHT_MS = 30_000;
const AGAIN_AFTER_MS = 30_000;
const AMBIGUOUS = new Set(['server', 'timeout', 'network']);
/** Refusals that say nothing of the person: the run stops and the job tries again later. */
const STOPS_RUN = new Set([
  'rate_limited',
  'daily_limit',
  'account_daily_limit',
  'unauthorized',
  'missing_scopes',
]);

/** `now`: a student's first click asked for it (made at once, whenever the meeting is). */
const payloadSchema = z.object({ schoolId: z.uuid(), meetingId: z.uuid(), now: z.boolean().optional() });

export interface BackgroundWork {
  enqueue(
    kind: string,
    key: string,
    payload: Record<string, unknown>,
    runAt?: number,
    db?: Queryable,
  ): Promise<void>;
}

export interface AttendanceLinksOptions {
  db: Db;
  /** The Zoom API of the school's connection (throws an AppError when it has none usable). */
  accountApi(schoolId: string): Promise<ZoomAccountApi>;
  identity: RegistrantIdentity;
  secretBox: SecretBox;
  jobs: BackgroundWork;
  /** The course's roster, read after a meeting is recorded and on staff views (at most hourly). */
  roster?: { maybeRead(course: repo.CourseKey, db?: Queryable, force?: boolean): Promise<void> };
  /** The meeting's sweep of held instances (`attendance.sweep`), scheduled with its links. */
  sweep?: { schedule(tx: Queryable, meeting: repo.MeetingRow): Promise<void> };
  logger: Logger;
  now?: () => number;
}

export type LinkOutcome = 'ready' | 'pending' | 'failed';

/** Associated data of a sealed join URL: it opens only on its own row. */
export const joinUrlData = (meetingId: string, lmsUserId: string) =>
  `meeting-registrant:${meetingId}:${lmsUserId}`;

const courseOf = (meeting: repo.MeetingRow): repo.CourseKey => ({
  schoolId: meeting.schoolId,
  lmsIssuer: meeting.lmsIssuer,
  contextId: meeting.contextId,
});

export class AttendanceLinks implements MeetingAttendance {
  private readonly now: () => number;

  constructor(private readonly options: AttendanceLinksOptions) {
    this.now = options.now ?? Date.now;
  }

  // The meetings service's seam (meetings.attendance.ts)

  async takesAttendance(course: repo.CourseKey, hostZoomUserId: string): Promise<boolean> {
    return (
      (await repo.attendanceEnabled(this.options.db, course)) &&
      repo.hostMayRegister(this.options.db, course.schoolId, hostZoomUserId)
    );
  }

  /** A created or edited meeting that takes registrants: its links (and its sweep) are asked for with its row. */
  async recorded(tx: Queryable, meeting: repo.MeetingRow): Promise<void> {
    if (!this.linkable(meeting)) return;
    // After a meeting is made or changed the roster is read whenever it was last read.
    await this.options.roster?.maybeRead(courseOf(meeting), tx, true);
    await this.options.jobs.enqueue(
      LINKS_JOB,
      meeting.id,
      { schoolId: meeting.schoolId, meetingId: meeting.id },
      this.dueAt(meeting.startTime),
      tx,
    );
    await this.options.sweep?.schedule(tx, meeting);
  }

  /** A staff member opened the course: its roster is read when it was not this past hour. */
  async staffViewed(course: repo.CourseKey): Promise<void> {
    await this.options.roster?.maybeRead(course);
  }

  /** Links for every upcoming meeting of the course (new students in the roster). */
  async enqueueForCourse(course: repo.CourseKey): Promise<void> {
    for (const meeting of await repo.upcomingMeetings(this.options.db, course, new Date(this.now())))
      await this.options.jobs.enqueue(
        LINKS_JOB,
        meeting.id,
        { schoolId: course.schoolId, meetingId: meeting.id },
        this.dueAt(meeting.startTime),
      );
  }

  /** When a meeting's links are made: a week before its (first) start, or now. */
  private dueAt(startTime: Date): number {
    return Math.max(this.now(), startTime.getTime() - LINKS_AHEAD_MS);
  }

  /** The job `attendance.links`. */
  async run(payload: Record<string, unknown>): Promise<JobResult> {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) {
      this.options.logger.warn('attendance.links job with a malformed payload: dropped');
      return;
    }
    const { db } = this.options;
    const meeting = await meetingOfSchool(db, parsed.data.schoolId, parsed.data.meetingId);
    if (!meeting || !this.linkable(meeting)) return;
    if (!(await repo.attendanceEnabled(db, courseOf(meeting)))) return;
    // Asked early (the meeting moved later since): its time comes.
    if (!parsed.data.now && this.dueAt(meeting.startTime) > this.now())
      return { retryAt: this.dueAt(meeting.startTime) };
    const api = await this.registrantsApi(meeting.schoolId);
    if (!api) return;
    let pending = false;
    let stop: ZoomApiError | undefined;
    let tried = 0;
    // A second pass sends those Zoom's list showed it never got (their send went unanswered).
    for (let pass = 0; pass < 2 && !stop; pass += 1) {
      const queue = await repo.studentsWithoutLink(db, courseOf(meeting), meeting.id, meeting.sectionIds);
      if (queue.length === 0 && pass > 0) break;
      pending = false;
      tried += queue.length;
      const worker = async () => {
        for (let student = queue.shift(); student && !stop; student = queue.shift()) {
          try {
            if ((await this.makeLink(api, meeting, student)) === 'pending') pending = true;
          } catch (error) {
            if (error instanceof ZoomApiError && STOPS_RUN.has(error.kind)) stop ??= error;
            else throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(WORKERS, queue.length) }, worker));
      if (stop) break;
      // What this pass left pending went unanswered: the list settles it, or it is still on its way.
      const adopted = await this.adopt(api, meeting);
      pending = adopted.waiting;
      if (adopted.absent === 0) break;
      pending = true;
    }
    this.options.logger.info(
      { meetingId: meeting.id, tried, pending, stopped: stop?.kind },
      'registrant links made',
    );
    if (stop) {
      if (stop.retryAt) return { retryAt: stop.retryAt };
      throw stop;
    }
    return pending ? { retryAt: this.now() + AGAIN_AFTER_MS } : undefined;
  }

  /**
   * A student's link at their first click, asking Zoom once and waiting at most `budgetMs`: what
   * is not done by then finishes in the background (and the job is asked for the meeting).
   */
  async linkNow(meeting: repo.MeetingRow, student: repo.Student, budgetMs: number): Promise<LinkOutcome> {
    const work = (async () => {
      const api = await this.registrantsApi(meeting.schoolId);
      if (!api) return 'failed' as const;
      return this.makeLink(api, meeting, student);
    })();
    const finished = work.catch((error: unknown) => {
      this.options.logger.warn(
        { meetingId: meeting.id, err: error instanceof Error ? error.message : String(error) },
        'a registrant link at a first click failed; the job tries again',
      );
      return 'pending' as const;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), budgetMs);
    });
    const outcome = await Promise.race([finished, late]);
    clearTimeout(timer);
    if (outcome !== 'ready')
      await this.options.jobs.enqueue(
        LINKS_JOB,
        meeting.id,
        { schoolId: meeting.schoolId, meetingId: meeting.id, now: true },
        outcome === 'late' ? this.now() + AGAIN_AFTER_MS : undefined,
      );
    return outcome === 'late' ? 'pending' : outcome;
  }

  /** The registrant's join URL, opened (the caller redirects to it and never logs it). */
  joinUrlOf(row: repo.RegistrantRow): string | undefined {
    if (row.state !== 'ready' || !row.joinUrlSealed) return undefined;
    return this.options.secretBox.open(row.joinUrlSealed, joinUrlData(row.meetingId, row.lmsUserId));
  }

  /** Confirmed at Zoom, not deleted, taking registrants. */
  linkable(meeting: repo.MeetingRow): boolean {
    return (
      Boolean(meeting.zoomMeetingId) &&
      ['scheduled', 'started'].includes(meeting.state) &&
      takesRegistration(meeting)
    );
  }

  /** One person: intent, claim, one POST; an unanswered one is left to `adopt`. */
  private async makeLink(
    api: ZoomRegistrantsApi,
    meeting: repo.MeetingRow,
    student: repo.Student,
  ): Promise<LinkOutcome> {
    const { db, identity } = this.options;
    const email = identity.emailOf({
      schoolId: meeting.schoolId,
      issuer: meeting.lmsIssuer,
      lmsUserId: student.lmsUserId,
    });
    const row = await repo.intentFor(db, {
      schoolId: meeting.schoolId,
      meetingId: meeting.id,
      lmsUserId: student.lmsUserId,
      email,
    });
    if (row.state === 'ready') return 'ready';
    // Sent and not answered (or being sent): adoption's, never sent again here.
    if (row.state === 'creating' && row.attempts > 0) return 'pending';
    if (row.attempts >= SENDS) return 'failed';
    const mine = await repo.claim(db, row, true);
    if (!mine) return 'pending';
    try {
      // The row's email: the one first given for this person (a rotated master key makes new ones).
      const added = await api.add(meeting.zoomMeetingId ?? '', {
        email: mine.email,
        ...registrantNames(student.name),
      });
      await this.markReady(mine, added.registrant_id, added.join_url);
      return 'ready';
    } catch (error) {
      if (error instanceof ZoomApiError && AMBIGUOUS.has(error.kind)) {
        await repo.markError(db, mine, 'creating', 'unanswered');
        return 'pending';
      }
      const reason =
        error instanceof ZoomApiError ? `${error.kind}${error.code ? ` ${error.code}` : ''}` : 'error';
      await repo.markError(db, mine, 'failed', reason);
      if (error instanceof ZoomApiError && STOPS_RUN.has(error.kind)) throw error;
      if (!(error instanceof ZoomApiError)) throw error;
      this.options.logger.warn({ meetingId: meeting.id, reason }, 'Zoom refused a registrant');
      return 'failed';
    }
  }

  /**
   * Rows whose POST went unanswered: adopted from Zoom's list of the meeting's registrants (by our
   * email); those Zoom does not have are `failed` (`absent`: sent again). `waiting`: some may still
   * be on their way to Zoom (taken too recently to judge).
   */
  private async adopt(
    api: ZoomRegistrantsApi,
    meeting: repo.MeetingRow,
  ): Promise<{ waiting: boolean; absent: number }> {
    const { db } = this.options;
    const unanswered = await repo.unanswered(db, meeting.schoolId, meeting.id);
    if (unanswered.length === 0) return { waiting: false, absent: 0 };
    const listed = new Map(
      (await api.list(meeting.zoomMeetingId ?? '')).map((r) => [r.email.toLowerCase(), r] as const),
    );
    let waiting = false;
    let absent = 0;
    const settled = this.now() - IN_FLIGHT_MS;
    for (const row of unanswered) {
      const found = listed.get(row.email.toLowerCase());
      if (found?.join_url) await this.markReady(row, found.id, found.join_url);
      else if (row.lastError === 'unanswered' || row.updatedAt.getTime() < settled) {
        await repo.markError(db, row, 'failed', 'not at Zoom after an unanswered send');
        absent += 1;
      } else waiting = true;
    }
    return { waiting, absent };
  }

  private async markReady(row: repo.RegistrantRow, registrantId: string, joinUrl: string): Promise<void> {
    const sealed = this.options.secretBox.seal(joinUrl, joinUrlData(row.meetingId, row.lmsUserId));
    await repo.markReady(this.options.db, row, registrantId, sealed);
  }

  private async registrantsApi(schoolId: string): Promise<ZoomRegistrantsApi | undefined> {
    try {
      return zoomRegistrants(await this.options.accountApi(schoolId));
    } catch (error) {
      if (!isAppError(error)) throw error;
      this.options.logger.warn({ schoolId, errorId: error.id }, 'no Zoom connection for registrant links');
      return undefined;
    }
  }
}
