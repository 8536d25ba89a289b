import { z } from 'zod';
import type { Logger } from 'pino';
import type { JobResult, JobRunner } from '../jobs';
import { meetingOfSchool } from '../meetings';
import type { Db, Queryable } from '../storage';
import { computeAttendance } from './attendance.compute';
import { GRADES_JOB, gradesJobKey } from '../grades';
import * as repo from './attendance.results.repo';

const instancePayload = z.object({ schoolId: z.uuid(), instanceId: z.uuid() });
const coursePayload = z.object({
  schoolId: z.uuid(),
  lmsIssuer: z.string().min(1),
  contextId: z.string().min(1),
});
export type InstanceJob = z.infer<typeof instancePayload>;
export type CourseJob = z.infer<typeof coursePayload>;

/** Parses a job's payload; a bad one is a bug of its enqueuer, so it fails the job loudly. */
export const parseInstanceJob = (payload: unknown): InstanceJob => instancePayload.parse(payload);
export const parseCourseJob = (payload: unknown): CourseJob => coursePayload.parse(payload);

/**
 * Every active student's result of a held instance (docs "Finality and rules"), computed from its
 * sessions and the course's rules, absent too; a student who left the course keeps their old row
 * and gets no new one; an instructor's override is never touched. A change of any effective status
 * (the override's, else the computed one) enqueues the course's grades. A meeting that takes no
 * attendance (no registrant of ours, or attendance turned off for the course) gets no results.
 */
export class AttendanceResults {
  constructor(private readonly deps: { db: Db; jobs: JobRunner; logger: Logger; now?: () => number }) {}

  /** `attendance.finalize`: results after `meeting.ended` (and its trailing leaves). */
  async finalize(payload: unknown): Promise<JobResult> {
    const { schoolId, instanceId } = parseInstanceJob(payload);
    await this.deps.db.transaction((tx) => this.computeInstance(tx, schoolId, instanceId, true));
  }

  /** `attendance.recompute`: every held instance of a course again (its rules changed), then its grades. */
  async recompute(payload: unknown): Promise<JobResult> {
    const course = parseCourseJob(payload);
    const instances = await repo.endedInstancesOfCourse(this.deps.db, course);
    for (const instance of instances)
      await this.deps.db.transaction((tx) => this.computeInstance(tx, course.schoolId, instance.id, false));
    await this.deps.jobs.enqueue(GRADES_JOB, gradesJobKey(course), course);
  }

  /** Whether a held instance's meeting takes attendance (registrants of ours, attendance on for its course). */
  async takesAttendance(db: Queryable, instance: repo.InstanceRow): Promise<boolean> {
    const meeting = await meetingOfSchool(db, instance.schoolId, instance.meetingId);
    if (!meeting) return false;
    const course = {
      schoolId: instance.schoolId,
      lmsIssuer: meeting.lmsIssuer,
      contextId: meeting.contextId,
    };
    const [rules, registrants] = await Promise.all([
      repo.rulesOf(db, course),
      repo.registrantsOf(db, instance.schoolId, meeting.id),
    ]);
    return rules.enabled && registrants.length > 0;
  }

  /**
   * Computes and writes one instance's results in `tx`; answers whether an effective status changed
   * (then the grades job is enqueued with the writes). Nothing for an instance not ended yet.
   */
  async computeInstance(
    tx: Queryable,
    schoolId: string,
    instanceId: string,
    final: boolean,
  ): Promise<boolean> {
    const instance = await repo.instanceById(tx, schoolId, instanceId);
    if (!instance?.endedAt) return false;
    const meeting = await meetingOfSchool(tx, schoolId, instance.meetingId);
    if (!meeting) return false;
    const course = { schoolId, lmsIssuer: meeting.lmsIssuer, contextId: meeting.contextId };
    const [rules, registrants] = await Promise.all([
      repo.rulesOf(tx, course),
      repo.registrantsOf(tx, schoolId, meeting.id),
    ]);
    if (!rules.enabled || registrants.length === 0) {
      await repo.markComputed(tx, instance.id, final);
      return false;
    }
    const [roster, hosts, sessions, before] = await Promise.all([
      repo.rosterOf(tx, course, meeting.sectionIds),
      repo.hostIdsOf(tx, meeting),
      repo.sessionsOf(tx, instance),
      repo.resultsOf(tx, schoolId, instance.id),
    ]);
    const computed = computeAttendance({
      instance: {
        scheduledStart: instance.scheduledStart ?? meeting.startTime,
        scheduledMinutes: instance.scheduledMinutes ?? meeting.durationMinutes,
        startedAt: instance.startedAt,
        endedAt: instance.endedAt,
      },
      now: new Date((this.deps.now ?? Date.now)()),
      rules,
      roster,
      registrants,
      hostZoomUserIds: hosts,
      sessions: sessions.map(repo.asComputeSession),
    });
    const previous = new Map(before.map((r) => [r.lmsUserId, r]));
    const changed = computed.students.some((r) => {
      const old = previous.get(r.lmsUserId);
      return !old || (old.overrideStatus === null && old.status !== r.status);
    });
    await repo.upsertResults(tx, schoolId, instance.id, computed.students);
    await repo.markComputed(tx, instance.id, final);
    if (changed)
      await this.deps.jobs.enqueue(GRADES_JOB, gradesJobKey({ ...course, schoolId }), course, undefined, tx);
    this.deps.logger.info(
      { instanceId: instance.id, students: computed.students.length, changed, final },
      'attendance computed',
    );
    return changed;
  }
}
