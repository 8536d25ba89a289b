import type { Queryable } from '../storage';
import type * as repo from './meetings.repo';

/**
 * Attendance's part in a meeting's create and edit (docs/architecture.md, "When links are made"),
 * filled by attendance (services.ts): whether the course takes attendance (the meeting is then made
 * with registration: `meetings.zoom.ts` REGISTRATION), and what is enqueued in the transaction that
 * records a created or edited meeting (its registrant links). Without it, meetings take no registrants.
 */
export interface MeetingAttendance {
  /** The course takes attendance and its meetings by this host can have registrants (a licensed host). */
  takesAttendance(course: repo.CourseKey, hostZoomUserId: string): Promise<boolean>;
  recorded(tx: Queryable, meeting: repo.MeetingRow): Promise<void>;
  /** Staff opened the course page (after their launch): attendance may read the roster. */
  staffViewed(course: repo.CourseKey): Promise<void>;
}
