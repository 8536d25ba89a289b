import { eq, sql } from 'drizzle-orm';
import { queryRows, tables, type Queryable } from '../storage';
import type { Retention } from './privacy.schema';

const { schoolRetention } = tables;

export interface CourseKey {
  schoolId: string;
  lmsIssuer: string;
  contextId: string;
}

/** A school's retention row, or undefined when it set none (everything kept). */
export async function retentionOf(db: Queryable, schoolId: string): Promise<Retention | undefined> {
  const [row] = await db.select().from(schoolRetention).where(eq(schoolRetention.schoolId, schoolId));
  return row;
}

export async function saveRetention(
  db: Queryable,
  schoolId: string,
  values: Pick<Retention, 'meetingsDays' | 'attendanceDays' | 'logsDays'>,
  by: string,
): Promise<void> {
  await db
    .insert(schoolRetention)
    .values({ schoolId, ...values, updatedBy: by })
    .onConflictDoUpdate({
      target: schoolRetention.schoolId,
      set: { ...values, updatedBy: by, updatedAt: sql`now()` },
    });
}

/** Schools that limit anything, with their limits. */
export async function schoolsWithRetention(db: Queryable): Promise<Array<Retention & { schoolId: string }>> {
  return db
    .select()
    .from(schoolRetention)
    .where(
      sql`${schoolRetention.meetingsDays} is not null or ${schoolRetention.attendanceDays} is not null
          or ${schoolRetention.logsDays} is not null`,
    );
}

/**
 * When each course of a school ended: the end date the LMS gave (`ends_at`), else the latest of its
 * meetings' ends (a series: its last occurrence's; a held instance's end), its last launch and
 * its creation (a course nobody used ended when it was made).
 */
export const courseEnds = (schoolId: string) => sql`
  select c.school_id, c.lms_issuer, c.context_id,
    coalesce(c.ends_at, greatest(c.last_launch_at, c.created_at,
      (select max(m.start_time + m.duration_minutes * interval '1 minute') from meetings m
        where m.school_id = c.school_id and m.lms_issuer = c.lms_issuer and m.context_id = c.context_id),
      (select max(o.start_time + o.duration_minutes * interval '1 minute')
        from meeting_occurrences o join meetings m on m.id = o.meeting_id
        where m.school_id = c.school_id and m.lms_issuer = c.lms_issuer and m.context_id = c.context_id),
      (select max(i.ended_at) from meeting_instances i join meetings m on m.id = i.meeting_id
        where i.school_id = c.school_id and m.lms_issuer = c.lms_issuer and m.context_id = c.context_id)
    )) as ended_at
  from courses c where c.school_id = ${schoolId}`;

/** The school's courses that ended before `before`. */
export async function coursesEndedBefore(
  db: Queryable,
  schoolId: string,
  before: Date,
): Promise<CourseKey[]> {
  const rows = await queryRows<{ school_id: string; lms_issuer: string; context_id: string }>(
    db,
    sql`select school_id, lms_issuer, context_id from (${courseEnds(schoolId)}) ends
        where ended_at < ${before.toISOString()}::timestamptz
        order by lms_issuer, context_id`,
  );
  return rows.map((row) => ({
    schoolId: row.school_id,
    lmsIssuer: row.lms_issuer,
    contextId: row.context_id,
  }));
}

/** When one course ended (or ends, when the LMS gave a date ahead), as `courseEnds` reckons it. */
export async function courseEnd(db: Queryable, course: CourseKey): Promise<Date | undefined> {
  const [row] = await queryRows<{ ended_at: string | Date | null }>(
    db,
    sql`select ended_at from (${courseEnds(course.schoolId)}) ends
        where lms_issuer = ${course.lmsIssuer} and context_id = ${course.contextId}`,
  );
  return row?.ended_at ? new Date(row.ended_at) : undefined;
}

/**
 * Records a launch into a course unless one was recorded within the hour: one statement, which also
 * says whether the course has a row (a launch before its first staff visit has none yet).
 */
export async function recordLaunch(db: Queryable, course: CourseKey, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const [row] = await queryRows<{ found: boolean }>(
    db,
    sql`with touched as (
          update courses set last_launch_at = ${at}::timestamptz
          where school_id = ${course.schoolId} and lms_issuer = ${course.lmsIssuer}
            and context_id = ${course.contextId}
            and (last_launch_at is null or last_launch_at < ${at}::timestamptz - interval '1 hour')
          returning 1)
        select exists (select 1 from courses where school_id = ${course.schoolId}
          and lms_issuer = ${course.lmsIssuer} and context_id = ${course.contextId}) as found`,
  );
  return row?.found === true;
}
