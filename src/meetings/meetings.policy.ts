import { isStaff, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';

/** Only instructors (and administrators) of the course schedule, change, start or delete its meetings. */
export function assertCanChangeMeetings(launch: LaunchContext): void {
  if (!isStaff(launch.role))
    throw errors.forbidden('Only the instructors of this course can change its meetings.');
}

/**
 * Co-teaching, the rule in one place. Every instructor of the course (any membership role that
 * makes staff in lti/roles.ts: Instructor, TeachingAssistant, ContentDeveloper, a course's
 * Administrator, and a school administrator) may edit and delete any of its meetings and see their
 * attendance, whoever scheduled them. Starting is Zoom's rule, not ours: Zoom's `start_url` starts
 * the meeting as its host, so only the host gets it; an alternative host starts the meeting by
 * joining signed in to Zoom as themselves (Zoom then makes them host); anyone else only joins.
 * Students and people with no course role (Canvas observers, Moodle's non-editing teachers, whom
 * Moodle launches as Learner) manage nothing.
 */
export interface MeetingRights {
  edit: boolean;
  delete: boolean;
  /** `host`: the Start button (Zoom's start_url); `alternative`: starts it by joining signed in to Zoom. */
  start: 'host' | 'alternative' | false;
  attendance: boolean;
}

export function meetingRights(
  launch: Pick<LaunchContext, 'role' | 'userId'>,
  meeting: { hostLmsUserId: string; settings: { alternativeHosts?: string[] } },
  viewerZoomEmail?: string | null,
): MeetingRights {
  if (!isStaff(launch.role)) return { edit: false, delete: false, start: false, attendance: false };
  const email = viewerZoomEmail?.trim().toLowerCase();
  const alternative =
    email !== undefined &&
    email !== '' &&
    // A row written before alternative hosts were kept (or by hand) has none.
    (meeting.settings.alternativeHosts ?? []).some((a) => a.toLowerCase() === email);
  return {
    edit: true,
    delete: true,
    start: meeting.hostLmsUserId === launch.userId ? 'host' : alternative ? 'alternative' : false,
    attendance: true,
  };
}
