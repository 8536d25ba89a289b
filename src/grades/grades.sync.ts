import type { Logger } from 'pino';
import { z } from 'zod';
import type { JobContext, JobResult } from '../jobs';
import { AGS_SCOPES } from '../lti';
import { errors, isAppError, type AppError } from '../shared/errors';
import type { Db, Queryable } from '../storage';
import { createAgsClient, type AgsClient, type AgsClientOptions } from './grades.ags';
import type { RetryOptions } from './grades.http';
import {
  alreadySent,
  columnsFor,
  COURSE_RESOURCE,
  GRADE_TAG,
  nextTimestamp,
  secondWait,
  type Column,
} from './grades.sync.columns';
import * as repo from './grades.sync.repo';
import { nextRunAt, rememberingRetryAfter } from './grades.sync.retry';
import type { LmsUrlPolicy } from './grades.urls';

/**
 * Sends a course's attendance to the LMS gradebook: the durable job `attendance.grades` (key: the
 * course) and what the instructor's grades settings do (docs/architecture.md, "Grades (AGS)").
 * - Columns are found by `resourceId` and tag before any is made (the AGS client) and kept in
 *   `grade_lines`; a column the LMS answers 404 for becomes `deleted_in_lms` and is not made again
 *   until `recreate`.
 * - Every active student gets a score; one equal to the last sent is not sent; each sent one is
 *   recorded in `grade_scores` with its timestamp, which never goes backwards and falls in a later
 *   second than the last (Moodle keeps seconds: a run waits up to a second when it must). A student
 *   the LMS refuses (no longer in its course) is skipped; the others are sent.
 * - 429 and 5xx: the client retries briefly; past that the job runs again later (`Retry-After` if the
 *   LMS gave one, else a pause as long as the outage, 30 s to an hour: `grades.sync.retry.ts`) for up
 *   to 3 days after the LMS first failed; scores already taken stay recorded, the rest are sent by
 *   the next run (nothing lost). Any other refusal of a whole run (a column the LMS will not make, a
 *   URL the policy refuses) is kept and tried again the same way, as the LMS being unavailable.
 * - Refusals are kept on the course's settings as an error id (`grade_error`: scope not granted,
 *   column deleted, LMS unavailable), cleared by the next good run. No LMS request at all when the
 *   launch granted no score scope or gave no line items URL.
 * No LMS request is made inside a database transaction.
 */

export const GRADES_JOB = 'attendance.grades';
/** The job's retries are its own (`retryAt`, bounded by `GIVE_UP_AFTER_MS`): many runs are allowed. */
export const GRADES_JOB_ATTEMPTS = 500;
/** The refusals a course shows (their words and fixes are in the error catalog). */
const KEPT_ERRORS = new Set([
  'grades_scope_not_granted',
  'grades_line_item_deleted',
  'grades_lms_unavailable',
]);

const courseSchema = z.object({
  schoolId: z.uuid(),
  lmsIssuer: z.string().min(1).max(2048),
  contextId: z.string().min(1).max(2048),
});
const modeSchema = z.enum(['off', 'course', 'meeting']);

export type GradeCourse = repo.CourseRef;
export type GradeMode = repo.GradeMode;

export interface GradeStatus {
  mode: GradeMode;
  /** The last refusal, as an error id (`grades_…`), until a good run clears it. */
  error: string | undefined;
  errorAt: Date | undefined;
  /** The columns of the current mode (none when off). */
  lines: Array<{ label: string; state: 'ok' | 'deleted_in_lms'; url: string | undefined }>;
  lastSentAt: Date | undefined;
}

export interface GradesSyncOptions {
  db: Db;
  jobs: {
    enqueue(
      kind: string,
      key: string,
      payload: Record<string, unknown>,
      runAt?: number,
      db?: Queryable,
    ): Promise<void>;
  };
  /** The LTI facade's `serviceToken`. */
  serviceToken: AgsClientOptions['serviceToken'];
  urls: LmsUrlPolicy;
  logger: Logger;
  now?: () => number;
  /** Waits before a score whose previous one was sent in this very second (Moodle's rule). */
  sleep?: (ms: number) => Promise<void>;
  /** The AGS client's own retries (tests shorten them). */
  retry?: Partial<RetryOptions>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

type ColumnOutcome = 'sent' | 'deleted';

function checkedCourse(course: unknown): GradeCourse {
  const parsed = courseSchema.safeParse(course);
  if (!parsed.success) throw errors.badRequest('The course to send grades for is not valid.');
  return parsed.data;
}

export const gradesJobKey = (course: GradeCourse) =>
  `${course.schoolId}:${course.lmsIssuer}:${course.contextId}`;

export class GradesSync {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GradesSyncOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Asks for the course's grades to be sent (with `db`'s transaction when given). */
  async enqueue(course: GradeCourse, db?: Queryable): Promise<void> {
    const { schoolId, lmsIssuer, contextId } = checkedCourse(course);
    await this.options.jobs.enqueue(
      GRADES_JOB,
      gradesJobKey(course),
      { schoolId, lmsIssuer, contextId },
      undefined,
      db,
    );
  }

  /** What the grades settings show: the mode, the refusal if any, the columns, when scores were last sent. */
  async status(course: GradeCourse): Promise<GradeStatus> {
    const ref = checkedCourse(course);
    const { db } = this.options;
    const settings = await repo.settingsOf(db, ref);
    const mode = settings?.gradeMode ?? 'off';
    const lines = (await repo.linesOf(db, ref)).filter((line) =>
      mode === 'course'
        ? line.resourceId === COURSE_RESOURCE
        : mode === 'meeting' && line.instanceId !== null,
    );
    return {
      mode,
      error: settings?.gradeError ?? undefined,
      errorAt: settings?.gradeErrorAt ?? undefined,
      lines: lines.map((line) => ({
        label: line.label,
        state: line.state,
        url: line.lineItemUrl ?? undefined,
      })),
      lastSentAt: await repo.lastSentAt(db, ref),
    };
  }

  /** Sets how grades are sent (off, one course column, one column per meeting) and sends them. */
  async setMode(course: GradeCourse, mode: GradeMode, by: string): Promise<void> {
    const ref = checkedCourse(course);
    const parsed = modeSchema.safeParse(mode);
    if (!parsed.success) throw errors.badRequest('The grade mode is one of off, course or meeting.');
    if (typeof by !== 'string' || by.length === 0)
      throw errors.badRequest('Who changes the grade mode is required.');
    await this.options.db.transaction(async (tx) => {
      await repo.saveMode(tx, ref, parsed.data, by);
      // The next run says again what still stands; off leaves nothing to fix.
      await repo.setGradeError(tx, ref, null);
      if (parsed.data !== 'off') await this.enqueue(ref, tx);
    });
  }

  /** "Create it again": the columns deleted in the LMS are made again, with every score. Returns how many. */
  async recreate(course: GradeCourse): Promise<number> {
    const ref = checkedCourse(course);
    return this.options.db.transaction(async (tx) => {
      const reopened = await repo.reopenDeletedLines(tx, ref);
      await repo.setGradeError(tx, ref, null);
      await this.enqueue(ref, tx);
      return reopened;
    });
  }

  /** "Stop sending grades": the mode becomes off (the columns and scores in the LMS stay). */
  async stop(course: GradeCourse, by = 'instructor'): Promise<void> {
    await this.setMode(course, 'off', by);
  }

  /** The job `attendance.grades`: sends what changed; `{retryAt}` while the LMS is unavailable. */
  async run(payload: Record<string, unknown>, context?: JobContext): Promise<JobResult> {
    const { db, logger } = this.options;
    const parsed = courseSchema.safeParse(payload);
    if (!parsed.success) {
      logger.warn('grades job with a malformed payload dropped');
      return;
    }
    const course = parsed.data;
    const settings = await repo.settingsOf(db, course);
    if (!settings || settings.gradeMode === 'off') return;
    const service = await repo.gradeServiceOf(db, course);
    if (!service?.clientId || !service.lineItemsUrl || !service.agsScopes.includes(AGS_SCOPES.score)) {
      await repo.setGradeError(db, course, 'grades_scope_not_granted');
      return;
    }
    const excluded = settings.excludedMeetingIds;
    const held = await repo.heldInstances(db, course, excluded);
    const columns = columnsFor({
      mode: settings.gradeMode,
      held,
      results: await repo.resultsOf(
        db,
        course.schoolId,
        held.map((instance) => instance.id),
      ),
      students: await repo.activeStudents(db, course),
      upcoming: await repo.hasUpcoming(db, course, excluded, new Date(this.now())),
    });
    const lines = new Map((await repo.linesOf(db, course)).map((line) => [line.resourceId, line]));
    const answers = rememberingRetryAfter(this.options.fetch ?? fetch, this.now);
    const client = createAgsClient({
      registration: { issuer: course.lmsIssuer, clientId: service.clientId },
      serviceToken: this.options.serviceToken,
      scopes: service.agsScopes,
      urls: this.options.urls,
      retry: this.options.retry,
      timeoutMs: this.options.timeoutMs,
      fetch: answers.fetch,
    });
    let deleted = false;
    try {
      for (const column of columns) {
        if (context?.signal.aborted) return;
        const outcome = await this.sendColumn(
          client,
          course,
          service.lineItemsUrl,
          column,
          lines.get(column.resourceId),
          context,
        );
        if (outcome === 'deleted') deleted = true;
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      return this.refused(course, error, answers.retryAfter());
    }
    if (context?.signal.aborted) return;
    await repo.setGradeError(db, course, deleted ? 'grades_line_item_deleted' : null);
  }

  private async sendColumn(
    client: AgsClient,
    course: GradeCourse,
    container: string,
    column: Column,
    line: repo.GradeLineRow | undefined,
    context: JobContext | undefined,
  ): Promise<ColumnOutcome> {
    const { db, logger } = this.options;
    if (line?.state === 'deleted_in_lms') return 'deleted';
    const input = {
      label: column.label,
      scoreMaximum: column.scoreMaximum,
      resourceId: column.resourceId,
      tag: GRADE_TAG,
    };
    const record = (lineItemUrl: string) =>
      repo.saveLine(db, course, { ...input, instanceId: column.instanceId, lineItemUrl });
    let url = line?.lineItemUrl ?? undefined;
    let saved = line;
    try {
      if (!url) {
        const { lineItem } = await client.findOrCreateLineItem(container, input);
        url = lineItem.id;
        saved = await record(url);
      } else if (line && (line.label !== column.label || line.scoreMaximum !== column.scoreMaximum)) {
        // The meeting's topic changed: its column follows.
        await client.updateLineItem(url, input);
        saved = await record(url);
      }
    } catch (error) {
      if (!(isAppError(error) && error.id === 'grades_line_item_deleted' && line?.lineItemUrl)) throw error;
      await repo.markLineDeleted(db, course, line.id, line.lineItemUrl);
      return 'deleted';
    }
    if (!saved) throw new Error('grade line not recorded');
    const lineId = saved.id;
    const sent = await repo.sentScores(db, course, lineId);
    const due = [...column.scores].filter(([student, wanted]) => !alreadySent(wanted, sent.get(student)));
    if (due.length === 0) return 'sent';
    const newest = Math.max(-1, ...due.map(([student]) => sent.get(student)?.sentAt.getTime() ?? -1));
    await this.sleep(secondWait(this.now(), newest < 0 ? undefined : newest));
    for (const [student, wanted] of due) {
      if (context?.signal.aborted) return 'sent';
      const timestamp = nextTimestamp(this.now(), sent.get(student));
      try {
        await client.postScore(url, {
          userId: student,
          scoreGiven: wanted.scoreGiven,
          scoreMaximum: column.scoreMaximum,
          activityProgress: wanted.activityProgress,
          gradingProgress: wanted.gradingProgress,
          timestamp: new Date(timestamp).toISOString(),
        });
      } catch (error) {
        if (!isAppError(error)) throw error;
        if (error.id === 'grades_line_item_deleted') {
          await repo.markLineDeleted(db, course, lineId, url);
          return 'deleted';
        }
        // One student the LMS will not grade (no longer enrolled there, a newer score of its own):
        // the others are still sent, and this one is tried again by the next run.
        if (error.id === 'grades_score_older' || error.id === 'bad_request') {
          logger.warn({ lineId, refusal: error.id }, 'the LMS refused one score; the others are sent');
          continue;
        }
        throw error;
      }
      await repo.recordScore(db, { lineId, lineItemUrl: url }, student, {
        ...wanted,
        sentAt: new Date(timestamp),
      });
    }
    return 'sent';
  }

  /** A refusal of the whole run: kept on the course; the LMS being unavailable is tried again later. */
  private async refused(
    course: GradeCourse,
    error: AppError,
    retryAfter: number | undefined,
  ): Promise<JobResult> {
    const { db, logger } = this.options;
    const id = KEPT_ERRORS.has(error.id) ? error.id : 'grades_lms_unavailable';
    await repo.setGradeError(db, course, id);
    if (id !== 'grades_lms_unavailable') {
      logger.warn({ refusal: error.id }, 'the LMS refused the course’s grades');
      return;
    }
    if (!KEPT_ERRORS.has(error.id)) {
      // Not a 5xx (another refusal of the LMS, or the URL policy): tried again later all the same.
      logger.warn({ refusal: error.id, detail: error.detail }, 'the LMS refused the course’s grades');
    }
    const now = this.now();
    const since = (await repo.settingsOf(db, course))?.gradeErrorAt?.getTime() ?? now;
    const retryAt = nextRunAt(now, since, retryAfter);
    if (retryAt === undefined)
      logger.warn('the LMS has been unavailable for 3 days; the grades wait for their next change');
    return retryAt === undefined ? undefined : { retryAt };
  }
}
