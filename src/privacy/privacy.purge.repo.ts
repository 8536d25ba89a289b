import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../storage';
import type { CourseKey } from './privacy.retention.repo';

/** Rows deleted per statement: each batch is its own short transaction, so a large course never holds locks long. */
export const PURGE_BATCH = 500;

/**
 * Deletes the rows of `table` that `where` selects, `batch` at a time, each batch in its own
 * transaction; returns how many went. Running it again deletes nothing more (idempotent).
 */
export async function deleteInBatches(
  db: Db,
  table: string,
  where: SQL,
  batch = PURGE_BATCH,
): Promise<number> {
  const target = sql.identifier(table);
  let total = 0;
  for (;;) {
    const deleted = await db.transaction(async (tx) => {
      const [row] = await queryRows<{ n: number | string }>(
        tx,
        sql`with gone as (
              delete from ${target} where ctid = any(array(select ctid from ${target} where ${where} limit ${batch}))
              returning 1)
            select count(*) as n from gone`,
      );
      return Number(row?.n ?? 0);
    });
    total += deleted;
    if (deleted < batch) return total;
  }
}

const courseMeetings = (course: CourseKey) =>
  sql`(select id from meetings where school_id = ${course.schoolId} and lms_issuer = ${course.lmsIssuer}
        and context_id = ${course.contextId})`;
const inCourse = (course: CourseKey) =>
  sql`school_id = ${course.schoolId} and lms_issuer = ${course.lmsIssuer} and context_id = ${course.contextId}`;

/**
 * A course's attendance, table by table (children first): participant sessions, results, the
 * scores sent to the LMS, registrant links, held instances, the roster and its sections. The
 * gradebook columns stay (they name no one, and keep the LMS's column linked).
 */
export function attendanceOf(course: CourseKey): Array<[string, SQL]> {
  const meetingIds = courseMeetings(course);
  return [
    ['attendance_sessions', sql`school_id = ${course.schoolId} and meeting_id in ${meetingIds}`],
    [
      'attendance_results',
      sql`school_id = ${course.schoolId} and instance_id in (select id from meeting_instances
            where school_id = ${course.schoolId} and meeting_id in ${meetingIds})`,
    ],
    ['grade_scores', sql`line_id in (select id from grade_lines where ${inCourse(course)})`],
    ['meeting_registrants', sql`school_id = ${course.schoolId} and meeting_id in ${meetingIds}`],
    ['meeting_instances', sql`school_id = ${course.schoolId} and meeting_id in ${meetingIds}`],
    ['course_people', inCourse(course)],
    ['course_sections', inCourse(course)],
  ];
}

/**
 * A course's meetings with their occurrences and recordings' links (after its attendance, which
 * names them). The course row stays: it says when the course ended and holds no one's data.
 */
export function meetingsOf(course: CourseKey): Array<[string, SQL]> {
  return [
    ['meeting_occurrences', sql`meeting_id in ${courseMeetings(course)}`],
    ['meeting_recordings', sql`meeting_id in ${courseMeetings(course)}`],
    ['grade_lines', sql`${inCourse(course)} and instance_id is not null`],
    ['meetings', inCourse(course)],
  ];
}

/** A school's logs older than `before`: Zoom's deliveries to its account, its errors, its failed jobs. */
export function logsOf(schoolId: string, before: Date): Array<[string, SQL]> {
  const at = sql`${before.toISOString()}::timestamptz`;
  return [
    [
      'zoom_webhook_deliveries',
      sql`received_at < ${at} and zoom_account_id in
            (select zoom_account_id from zoom_connections where school_id = ${schoolId})`,
    ],
    ['school_errors', sql`school_id = ${schoolId} and at < ${at}`],
    ['background_jobs', sql`status = 'failed' and payload->>'schoolId' = ${schoolId} and updated_at < ${at}`],
  ];
}
