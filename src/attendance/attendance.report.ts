import type { Logger } from 'pino';
import type { JobResult } from '../jobs';
import { ZoomApiError, zoomReports, type ZoomAccountApi, type ZoomReportParticipant } from '../zoom';
import type { Db, Queryable } from '../storage';
import { unionOf } from './attendance.compute';
import type { AttendanceResults } from './attendance.results';
import { parseInstanceJob } from './attendance.results';
import * as repo from './attendance.results.repo';
import * as reportRepo from './attendance.report.repo';

/**
 * Minutes after the end at which Zoom's report is read while it comes back empty or not found
 * (docs "Sources"): 2, 5, 10, 30, then hourly up to 24 h; after that it is given up as unavailable.
 */
export const REPORT_SCHEDULE_MINUTES = [2, 5, 10, 30, ...Array.from({ length: 24 }, (_, k) => (k + 1) * 60)];

/** Zoom's refusals that mean this account has no report at all (a free plan, no report scope). */
const isUnavailable = (error: ZoomApiError) =>
  error.kind === 'missing_scopes' ||
  error.kind === 'forbidden' ||
  (error.code === 200 && error.status === 400) ||
  /paid/i.test(error.zoomMessage);

/**
 * `attendance.report`: the past participants report of an ended instance adds the sessions the
 * webhooks missed (source 'report'; a session or interval already known is not added twice), then
 * the results are computed again (grades follow a change). The Zoom call is made outside any
 * transaction, paced like every other call by the school's client.
 */
export class AttendanceReport {
  constructor(
    private readonly deps: {
      db: Db;
      results: AttendanceResults;
      accountApi: (schoolId: string) => Promise<ZoomAccountApi>;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  async run(payload: unknown): Promise<JobResult> {
    const { schoolId, instanceId } = parseInstanceJob(payload);
    const instance = await repo.instanceById(this.deps.db, schoolId, instanceId);
    if (!instance?.endedAt || instance.reportState !== 'pending') return;
    // A meeting that takes no attendance costs no report (a Heavy call).
    if (!(await this.deps.results.takesAttendance(this.deps.db, instance))) return;
    const attempts = instance.reportAttempts + 1;
    let participants: ZoomReportParticipant[];
    try {
      const api = await this.deps.accountApi(schoolId);
      participants = await zoomReports(api).meetingParticipants(instance.zoomUuid);
    } catch (error) {
      if (!(error instanceof ZoomApiError)) throw error;
      if (isUnavailable(error)) {
        const reason = `zoom ${error.code ?? error.status}: ${error.zoomMessage}`.slice(0, 500);
        await this.unavailable(instance, attempts, reason);
        this.deps.logger.info(
          { instanceId, reason },
          'the past participants report is unavailable for this account',
        );
        return;
      }
      if (error.kind !== 'not_found') throw error;
      participants = [];
    }
    if (participants.length === 0) return this.later(instance, attempts);
    const added = await this.deps.db.transaction(async (tx) => {
      const count = await addMissed(tx, instance, participants);
      await repo.setReportState(tx, instance.id, {
        reportState: 'read',
        reportAttempts: attempts,
        reportError: null,
      });
      await this.deps.results.computeInstance(tx, schoolId, instance.id, true);
      return count;
    });
    this.deps.logger.info(
      { instanceId, participants: participants.length, added },
      'past participants report read',
    );
  }

  /**
   * No report for this instance. Results come from the webhooks' sessions: `finalize` computed them
   * when `meeting.ended` came; an instance only the sweep ended (no `meeting.ended`) is computed here.
   */
  private async unavailable(instance: repo.InstanceRow, attempts: number, reason: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await repo.setReportState(tx, instance.id, {
        reportState: 'unavailable',
        reportAttempts: attempts,
        reportError: reason,
      });
      if (!instance.computedAt)
        await this.deps.results.computeInstance(tx, instance.schoolId, instance.id, true);
    });
  }

  /** Empty or not found yet: the next read on the schedule, or given up after 24 h. */
  private async later(instance: repo.InstanceRow, attempts: number): Promise<JobResult> {
    const now = (this.deps.now ?? Date.now)();
    const waited = REPORT_SCHEDULE_MINUTES[attempts - 1];
    const next = REPORT_SCHEDULE_MINUTES[attempts];
    if (waited === undefined || next === undefined) {
      await this.unavailable(
        instance,
        attempts,
        'report_empty: Zoom had no participants report 24 hours after the meeting ended',
      );
      return;
    }
    await repo.setReportState(this.deps.db, instance.id, { reportAttempts: attempts });
    return { retryAt: now + (next - waited) * 60_000 };
  }
}

/** Adds the report's sessions the webhooks missed; answers how many rows it added or completed. */
async function addMissed(
  tx: Queryable,
  instance: repo.InstanceRow,
  participants: readonly ZoomReportParticipant[],
): Promise<number> {
  const known = await repo.sessionsOf(tx, instance);
  let added = 0;
  for (const p of participants) {
    if (p.leftAt < p.joinedAt) continue;
    const same = (s: (typeof known)[number]) => p.zoomUserId !== null && s.zoomUserId === p.zoomUserId;
    if (known.some((s) => same(s) && s.joinedAt?.getTime() === p.joinedAt.getTime())) continue;
    const leaveOnly = known.find((s) => same(s) && !s.joinedAt && s.leftAt?.getTime() === p.leftAt.getTime());
    if (leaveOnly) {
      await reportRepo.fillJoin(tx, leaveOnly.id, p.joinedAt);
      added += 1;
      continue;
    }
    // The same person's known intervals already cover it (e.g. a webhook session with another id).
    const theirs = known.filter(
      (s) =>
        s.joinedAt &&
        ((p.registrantId !== null && s.registrantId === p.registrantId) ||
          (p.email !== null && s.email?.toLowerCase() === p.email.toLowerCase()) ||
          (p.zoomAccountUserId !== null && s.zoomAccountUserId === p.zoomAccountUserId)),
    );
    const covered = unionOf(
      theirs.map((s) => ({ from: s.joinedAt!.getTime(), to: (s.leftAt ?? instance.endedAt!).getTime() })),
    ).some((span) => span.from <= p.joinedAt.getTime() && span.to >= p.leftAt.getTime());
    if (covered) continue;
    await reportRepo.insertReportSession(tx, instance, {
      participantUuid: `report:${p.zoomUserId ?? p.registrantId ?? p.email ?? p.displayName}`,
      zoomUserId: p.zoomUserId,
      zoomAccountUserId: p.zoomAccountUserId,
      registrantId: p.registrantId,
      email: p.email,
      displayName: p.displayName,
      joinedAt: p.joinedAt,
      leftAt: p.leftAt,
    });
    added += 1;
  }
  return added;
}
