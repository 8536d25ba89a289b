import type { Logger } from 'pino';
import type { JobRunner } from '../jobs';
import type { Db } from '../storage';
import * as purgeRepo from './privacy.purge.repo';
import * as retentionRepo from './privacy.retention.repo';
import type { Retention } from './privacy.schema';

export const PRIVACY_PURGE_JOB = 'privacy.purge';
const DAY_MS = 86_400_000;
/** The daily purge runs at 03:00 UTC, away from class hours in most of the world's day. */
const PURGE_HOUR_UTC = 3;

/** Rows removed per table by one run. */
export type PurgeCounts = Record<string, number>;

/** The next 03:00 UTC strictly after `now`. */
export function nextPurgeAt(now: number): number {
  const today = new Date(now);
  today.setUTCHours(PURGE_HOUR_UTC, 0, 0, 0);
  return today.getTime() > now ? today.getTime() : today.getTime() + DAY_MS;
}

/**
 * The retention purge (docs/privacy.md): for each school that limits anything, each course that
 * ended more than its days ago loses its attendance (`attendance_days`) and its meetings with their
 * occurrences and recordings' links (`meetings_days`; a meeting's attendance goes with it); the
 * school's logs older than `logs_days` go. Zoom is not asked to delete anything: the meetings and
 * recordings in the school's Zoom account follow that account's own retention. Batched, each batch
 * its own transaction, scoped by school; running it again removes nothing more.
 *
 * A durable job, once a day: setting a retention schedules it, and each run schedules the next
 * while any school limits something (one job per day, keyed by its date).
 */
export class RetentionPurge {
  private readonly now: () => number;

  constructor(
    private readonly options: {
      db: Db;
      jobs?: JobRunner;
      logger: Logger;
      now?: () => number;
      batch?: number;
    },
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Schedules the next daily run, after `after` too (a run schedules the day after its own): one job
   * per day, keyed by it, so an already scheduled day changes nothing.
   */
  async schedule(after = 0): Promise<void> {
    const at = nextPurgeAt(Math.max(this.now(), after));
    const day = new Date(at).toISOString().slice(0, 10);
    await this.options.jobs?.enqueue(PRIVACY_PURGE_JOB, day, { day }, at);
  }

  /** The job: purges every school, then schedules the next day's run while a school still limits anything. */
  async runJob(payload: Record<string, unknown> = {}): Promise<void> {
    const { failed } = await this.run();
    const ranFor = typeof payload.day === 'string' ? Date.parse(`${payload.day}T00:00:00Z`) : NaN;
    if ((await retentionRepo.schoolsWithRetention(this.options.db)).length > 0)
      await this.schedule(Number.isNaN(ranFor) ? 0 : ranFor + DAY_MS);
    if (failed.length > 0) throw new Error(`retention purge failed for ${failed.length} school(s)`);
  }

  /** Purges every school with a retention; a school that fails is logged and the others go on. */
  async run(): Promise<{ removed: PurgeCounts; failed: string[] }> {
    const removed: PurgeCounts = {};
    const failed: string[] = [];
    for (const retention of await retentionRepo.schoolsWithRetention(this.options.db)) {
      try {
        const counts = await this.purgeSchool(retention.schoolId, retention);
        for (const [table, n] of Object.entries(counts)) removed[table] = (removed[table] ?? 0) + n;
      } catch (error) {
        failed.push(retention.schoolId);
        this.options.logger.warn(
          { err: error, schoolId: retention.schoolId },
          'retention purge of a school failed',
        );
      }
    }
    return { removed, failed };
  }

  /** One school's purge under its retention. */
  async purgeSchool(schoolId: string, retention: Retention): Promise<PurgeCounts> {
    const { db, logger } = this.options;
    const counts: PurgeCounts = {};
    const apply = async (steps: Array<[string, ReturnType<typeof purgeRepo.logsOf>[number][1]]>) => {
      for (const [table, where] of steps) {
        const n = await purgeRepo.deleteInBatches(db, table, where, this.options.batch);
        if (n > 0) counts[table] = (counts[table] ?? 0) + n;
      }
    };
    const now = this.now();
    const ago = (days: number) => new Date(now - days * DAY_MS);
    if (retention.attendanceDays !== null) {
      for (const course of await retentionRepo.coursesEndedBefore(
        db,
        schoolId,
        ago(retention.attendanceDays),
      ))
        await apply(purgeRepo.attendanceOf(course));
    }
    if (retention.meetingsDays !== null) {
      for (const course of await retentionRepo.coursesEndedBefore(
        db,
        schoolId,
        ago(retention.meetingsDays),
      )) {
        // A meeting's attendance names it: it goes first, in batches, rather than by one large cascade.
        await apply(purgeRepo.attendanceOf(course));
        await apply(purgeRepo.meetingsOf(course));
      }
    }
    if (retention.logsDays !== null) await apply(purgeRepo.logsOf(schoolId, ago(retention.logsDays)));
    if (Object.keys(counts).length > 0)
      logger.info({ schoolId, removed: counts }, 'retention purge removed rows');
    return counts;
  }
}
