import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db, Queryable } from '../storage';
import { ZoomApiError, type ZoomAccountApi, type ZoomEventContext, type ZoomWebhookEvent } from '../zoom';
import * as handoverRepo from './meetings.handover.repo';
import type { CourseKey, MeetingRow } from './meetings.repo';

/** Zoom's user events (`payload.object`: the user; ZOOM-NOTES "Webhooks"). */
const userObject = z.looseObject({ id: z.string().min(1), email: z.string().optional() });

/** The user events that take a host away, and the reason each records. */
const LEAVES: Record<string, handoverRepo.HostLostReason> = {
  'user.deactivated': 'deactivated',
  'user.deleted': 'deleted',
  'user.disassociated': 'deleted',
};

export interface MeetingOrphansOptions {
  db: Db;
  /** The Zoom API of the school's connection (the reconcile's question about a host). */
  accountApi(schoolId: string): Promise<ZoomAccountApi>;
  logger: Logger;
  now?: () => number;
}

/**
 * Finding meetings whose host left (docs/architecture.md, "When the host leaves"): the host
 * deactivated or deleted in Zoom (`user.deactivated`, `user.deleted`, `user.disassociated`, in
 * the delivery's transaction), gone when a reconcile asks (the meeting not found and its host
 * neither: Zoom answers 1001 for the user), or dropped from the course by the roster. Each marks
 * the live meetings the person hosts `orphaned` with its reason; nothing is deleted. A deactivated
 * host activated again (`user.activated`) gets back what nobody handed over yet.
 */
export class MeetingOrphans {
  private readonly now: () => number;

  constructor(private readonly options: MeetingOrphansOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Zoom's user events, idempotent, scoped to the school whose account sent them. */
  async onZoomEvent(event: ZoomWebhookEvent, context: ZoomEventContext): Promise<void> {
    const reason = LEAVES[event.event];
    if (!reason && event.event !== 'user.activated') return;
    const user = userObject.safeParse(event.payload.object);
    if (!user.success) return;
    const { tx, schoolId } = context;
    const at = new Date(event.event_ts || this.now());
    if (!reason) {
      await handoverRepo.markZoomUser(tx, schoolId, user.data.id, 'active');
      await handoverRepo.restoreDeactivatedHost(tx, schoolId, user.data.id);
      return;
    }
    await handoverRepo.markZoomUser(
      tx,
      schoolId,
      user.data.id,
      reason === 'deleted' ? 'deleted' : 'inactive',
    );
    const orphaned = await handoverRepo.orphanHostedBy(tx, schoolId, user.data.id, reason, at);
    if (orphaned > 0)
      this.options.logger.info({ schoolId, orphaned, reason }, 'meetings lost their host (Zoom user event)');
  }

  /** The roster marked people removed (attendance.roster.ts, in its transaction): their meetings of the course lose their host. */
  async afterRoster(tx: Queryable, course: CourseKey): Promise<void> {
    const orphaned = await handoverRepo.orphanDroppedHosts(tx, course, new Date(this.now()));
    if (orphaned > 0)
      this.options.logger.info(
        { contextId: course.contextId, orphaned },
        'meetings lost their host (dropped from the course)',
      );
  }

  /**
   * The reconcile's rule (meetings.sync.ts) for a meeting still ahead that Zoom does not find: its
   * host is asked for (`GET /users/{id}`). Zoom answering 1001 (no such user) or the user being
   * inactive means the host left: the meeting is `orphaned` (`not_found` / `deactivated`), not
   * deleted, and true is answered. A host Zoom still has, active, means the meeting itself was
   * deleted in Zoom (false). When Zoom cannot say (busy, down), true: the row is left as it is for
   * the next reconcile rather than deleted on a guess.
   */
  async hostLeft(meeting: MeetingRow): Promise<boolean> {
    const at = new Date(this.now());
    try {
      const api = await this.options.accountApi(meeting.schoolId);
      const host = await api.getUser(meeting.hostZoomUserId);
      if (host.status !== 'inactive') return false;
      await handoverRepo.orphanMeeting(this.options.db, meeting, 'deactivated', at);
      return true;
    } catch (error) {
      if (error instanceof ZoomApiError && error.kind === 'not_found' && error.code === 1001) {
        const { db } = this.options;
        await handoverRepo.markZoomUser(db, meeting.schoolId, meeting.hostZoomUserId, 'deleted');
        await handoverRepo.orphanMeeting(db, meeting, 'not_found', at);
        return true;
      }
      this.options.logger.warn(
        { meetingId: meeting.id, reason: error instanceof Error ? error.message : 'unknown' },
        'the host of a meeting Zoom does not find could not be asked for: left for the next reconcile',
      );
      return true;
    }
  }
}
