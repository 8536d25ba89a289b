export { AgsClient, createAgsClient, type AgsClientOptions, type LineItemFilter } from './grades.ags';
export { DEFAULT_RETRY, type RetryOptions } from './grades.http';
export { linkWithRel, retryAfterMs } from './grades.headers';
export { checkLmsUrl, lmsUrlPolicyFor, type LmsUrlPolicy } from './grades.urls';
export {
  AGS_MEDIA_TYPES,
  ACTIVITY_PROGRESS,
  GRADING_PROGRESS,
  type LineItem,
  type LineItemInput,
  type Result,
  type Score,
} from './grades.schema';

/**
 * Attendance to the LMS gradebook (`grades.sync.ts`): the job `attendance.grades` (key
 * `gradesJobKey(course)`, payload {schoolId, lmsIssuer, contextId}: register `GradesSync.run` with
 * `GRADES_JOB_ATTEMPTS`), and what the instructor's grades settings call, each checked (a bad course
 * or mode is `bad_request`, nothing written):
 * - `status(course)` → {mode, error (an error id) | undefined, errorAt, lines: [{label, state, url}]
 *   of the current mode, lastSentAt};
 * - `setMode(course, 'off' | 'course' | 'meeting', byLmsUserId)`: saved in a transaction with the job;
 * - `recreate(course)`: the columns deleted in the LMS are made again (with every score), returns how many;
 * - `stop(course, by?)`: "Stop sending grades" (mode off);
 * - `enqueue(course, tx?)`: for the work that changes results (after a computation or an override).
 * The caller checks the role (staff of that course).
 */
export {
  GradesSync,
  GRADES_JOB,
  GRADES_JOB_ATTEMPTS,
  gradesJobKey,
  type GradeCourse,
  type GradeMode,
  type GradeStatus,
  type GradesSyncOptions,
} from './grades.sync';
export { COURSE_RESOURCE, GRADE_TAG, instanceResource } from './grades.sync.columns';
