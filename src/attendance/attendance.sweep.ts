import type { Logger } from 'pino';
import { z } from 'zod';
import type { JobResult } from '../jobs';
import { meetingOfSchool, takesRegistration } from '../meetings';
import { isAppError } from '../shared/errors';
import type { Db, Queryable } from '../storage';
import { ZoomApiError, zoomReports, type ZoomAccountApi, type ZoomPastInstance } from '../zoom';
import type { BackgroundWork } from './attendance.links';
import { REPORT_JOB, scheduledFor } from './attendance.instances';
import * as repo from './attendance.results.repo';
import { endIfOpen } from './attendance.sweep.repo';

export const SWEEP_JOB = 'attendance.sweep';
/** A series' sweep runs once per occurrence (`retryAt`): its attempts allow a long series and Zoom's hiccups. */
export const SWEEP_ATTEMPTS = 500;
/** An occurrence is swept this long after its scheduled end. */
export const SWEEP_AFTER_END_MS = 15 * 60_000;

const payloadSchema = z.object({ schoolId: z.uuid(), meetingId: z.uuid() });

/** Zoom's refusals that will not pass by themselves (no scope, the meeting gone, a plan without it). */
const REFUSED = new Set(['missing_scopes', 'forbidden', 'not_found', 'invalid_request', 'unauthorized']);

/**
 * When a meeting's sweep is next due: its first scheduled end (+15 min) still ahead of `now`, an
 * occurrence of a series Zoom already listed as held excepted (`held`: occurrence ids, '' for a
 * single meeting). None left: undefined.
 */
export async function sweepDueAt(
  db: Queryable,
  meeting: repo.MeetingRow,
  now: number,
  held: ReadonlySet<string> = new Set(),
): Promise<number | undefined> {
  const occurrences = meeting.recurrence ? await repo.occurrencesOf(db, meeting.id) : [];
  const slots =
    occurrences.length > 0
      ? occurrences.map((o) => ({ key: o.occurrenceId, start: o.startTime, minutes: o.durationMinutes }))
      : [{ key: '', start: meeting.startTime, minutes: meeting.durationMinutes }];
  const due = slots
    .filter((s) => !held.has(s.key))
    .map((s) => s.start.getTime() + s.minutes * 60_000 + SWEEP_AFTER_END_MS)
    .filter((at) => at > now)
    .sort((a, b) => a - b);
  return due[0];
}

/**
 * `attendance.sweep` (key: the meeting; docs "Sources"): a school whose Zoom app sends no events, or
 * whose `meeting.ended` was lost, still gets its held instances. Due 15 minutes after the meeting's
 * scheduled end (a series: each occurrence's, run again while occurrences remain), it lists the
 * meeting's ended instances at Zoom (outside any transaction, paced by the school's client); each one
 * with no row, or a row never ended, is ended at Zoom's start + the scheduled length (Zoom's list
 * names no end), its open sessions closed there, and its report enqueued (which computes the
 * results). An instance the webhooks ended is left alone. A refusal is logged once and ends the job.
 */
export class AttendanceSweep {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      db: Db;
      jobs: BackgroundWork;
      accountApi: (schoolId: string) => Promise<ZoomAccountApi>;
      logger: Logger;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** A meeting that takes attendance was recorded (made or edited): its sweep, in the same transaction. */
  async schedule(tx: Queryable, meeting: repo.MeetingRow): Promise<void> {
    const at = await sweepDueAt(tx, meeting, this.now());
    if (at === undefined) return;
    const payload = { schoolId: meeting.schoolId, meetingId: meeting.id };
    await this.deps.jobs.enqueue(SWEEP_JOB, meeting.id, payload, at, tx);
  }

  async run(payload: unknown): Promise<JobResult> {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) {
      this.deps.logger.warn('attendance.sweep job with a malformed payload: dropped');
      return;
    }
    const { db, logger } = this.deps;
    const { schoolId, meetingId } = parsed.data;
    const meeting = await meetingOfSchool(db, schoolId, meetingId);
    if (!meeting?.zoomMeetingId || meeting.state === 'deleted' || !takesRegistration(meeting)) return;
    let listed: ZoomPastInstance[];
    try {
      const api = await this.deps.accountApi(schoolId);
      listed = await zoomReports(api).pastInstances(meeting.zoomMeetingId);
    } catch (error) {
      const refused =
        isAppError(error) ||
        (error instanceof ZoomApiError && (REFUSED.has(error.kind) || /paid/i.test(error.zoomMessage)));
      if (!refused) throw error;
      const reason =
        error instanceof ZoomApiError ? `zoom ${error.code ?? error.status}: ${error.zoomMessage}` : error.id;
      logger.info({ meetingId, reason: reason.slice(0, 300) }, 'attendance sweep refused; not retried');
      return;
    }
    const held = new Set<string>();
    let ended = 0;
    for (const past of listed) {
      const scheduled = await scheduledFor(db, meeting, past.startedAt ?? undefined);
      held.add(scheduled.occurrenceId ?? '');
      if (await db.transaction((tx) => this.endInstance(tx, meeting, past, scheduled))) ended += 1;
    }
    logger.info({ meetingId, listed: listed.length, ended }, 'attendance sweep');
    const next = await sweepDueAt(db, meeting, this.now(), held);
    return next === undefined ? undefined : { retryAt: next };
  }

  /** One listed instance: its row made or ended unless the webhooks ended it; answers whether it ended it. */
  private async endInstance(
    tx: Queryable,
    meeting: repo.MeetingRow,
    past: ZoomPastInstance,
    scheduled: Awaited<ReturnType<typeof scheduledFor>>,
  ): Promise<boolean> {
    const row = await repo.upsertInstance(tx, {
      schoolId: meeting.schoolId,
      meetingId: meeting.id,
      zoomUuid: past.uuid,
      ...scheduled,
    });
    if (row.endedAt) return false;
    const startedAt = row.startedAt ?? past.startedAt ?? row.scheduledStart ?? scheduled.scheduledStart;
    const minutes = row.scheduledMinutes ?? scheduled.scheduledMinutes;
    const endedAt = new Date(startedAt.getTime() + minutes * 60_000);
    if (!(await endIfOpen(tx, meeting.schoolId, row.id, endedAt))) return false;
    if (past.startedAt) await repo.setInstanceTimes(tx, row.id, { startedAt: past.startedAt });
    await repo.closeOpenSessions(tx, meeting.schoolId, past.uuid, endedAt);
    const payload = { schoolId: meeting.schoolId, instanceId: row.id };
    await this.deps.jobs.enqueue(REPORT_JOB, row.id, payload, undefined, tx);
    return true;
  }
}
