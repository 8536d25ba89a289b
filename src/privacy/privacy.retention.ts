import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { errors } from '../shared/errors';
import { queryRows, type Db, type Queryable } from '../storage';
import * as repo from './privacy.retention.repo';
import { retentionChange, type Retention, type RetentionChange } from './privacy.schema';

const HOUR_MS = 3_600_000;
/** Courses remembered by one process as launched into within the hour (beyond it, the memo starts over). */
const MEMO_LIMIT = 10_000;
const MISSING_RETRY_MS = 60_000;

/** A school by its id or its exact name; refused in words when there is none. */
export async function schoolNamed(db: Queryable, idOrName: string): Promise<{ id: string; name: string }> {
  const [school] = await queryRows<{ id: string; name: string }>(
    db,
    sql`select id, name from schools where id::text = ${idOrName.toLowerCase()} or name = ${idOrName}
        order by (id::text = ${idOrName.toLowerCase()}) desc limit 1`,
  );
  if (!school) throw errors.notFound(`There is no school with the id or name “${idOrName}”.`);
  return school;
}

/**
 * A school's retention: how many days meetings, attendance and logs are kept after a course ends
 * (null: kept). Set by the operator (CLI or console); the purge job reads it.
 */
export class RetentionSettings {
  constructor(
    private readonly options: {
      db: Db;
      logger: Logger;
      /** Told after a change that limits something (the daily purge is scheduled). */
      onLimited?: () => Promise<void>;
    },
  ) {}

  async of(schoolId: string): Promise<Retention> {
    return (
      (await repo.retentionOf(this.options.db, schoolId)) ?? {
        meetingsDays: null,
        attendanceDays: null,
        logsDays: null,
        updatedBy: null,
        updatedAt: null,
      }
    );
  }

  /** Applies a change (days set, kinds kept; the rest as they were); bad input changes nothing. */
  async change(schoolId: string, input: unknown, by: string): Promise<Retention> {
    const parsed = retentionChange.safeParse(input);
    if (!parsed.success)
      throw errors.badRequest(parsed.error.issues.map((issue) => issue.message).join('; '));
    const change: RetentionChange = parsed.data;
    const current = await this.of(schoolId);
    const pick = (kind: 'meetings' | 'attendance' | 'logs', was: number | null) =>
      change.keep.includes(kind) ? null : (change[kind] ?? was);
    const next = {
      meetingsDays: pick('meetings', current.meetingsDays),
      attendanceDays: pick('attendance', current.attendanceDays),
      logsDays: pick('logs', current.logsDays),
    };
    await repo.saveRetention(this.options.db, schoolId, next, by);
    this.options.logger.info({ schoolId, ...next, by }, 'school retention changed');
    if (next.meetingsDays !== null || next.attendanceDays !== null || next.logsDays !== null)
      await this.options.onLimited?.();
    return this.of(schoolId);
  }
}

/**
 * Records launches into courses (`courses.last_launch_at`, one of the signs that a course ended):
 * at most once an hour per course, and a process that recorded one within the hour sends nothing,
 * so a class launching at once costs one statement, not one per student.
 */
export class CourseLaunches {
  private readonly recorded = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: { db: Db; now?: () => number }) {
    this.now = options.now ?? Date.now;
  }

  async record(course: repo.CourseKey): Promise<void> {
    const key = `${course.schoolId}\u0000${course.lmsIssuer}\u0000${course.contextId}`;
    const now = this.now();
    const last = this.recorded.get(key);
    if (last !== undefined && now - last < HOUR_MS) return;
    const found = await repo.recordLaunch(this.options.db, course, new Date(now));
    if (this.recorded.size >= MEMO_LIMIT) this.recorded.clear();
    // A course with no row yet (a launch before its first staff visit) is asked about again a minute
    // later, not an hour: a whole class launching at once still costs one statement.
    this.recorded.set(key, found ? now : now - HOUR_MS + MISSING_RETRY_MS);
  }
}
