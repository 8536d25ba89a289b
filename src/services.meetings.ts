import type { Logger } from 'pino';
import type { JobRunner } from './jobs';
import {
  CoursePanels,
  HANDOVER_ATTEMPTS,
  HANDOVER_JOB,
  importPanel,
  MeetingHandover,
  MeetingImports,
  MeetingOrphans,
  NextTermService,
  RECORDING_SHARE_ATTEMPTS,
  RECORDING_SHARE_JOB,
  RecordingsHiding,
  type MeetingsService,
  type MeetingsSync,
  type ZoomUserLookup,
} from './meetings';
import type { AttendanceServices } from './services.attendance';
import type { Db } from './storage';
import type { ZoomEvents } from './zoom';

/** A course's life beyond scheduling (issue 20): what the app and the tests reach. */
export interface CourseLifeServices {
  /** Cards on the course page from the parts below. */
  panels: CoursePanels;
  /** Bringing an instructor's own Zoom meetings into a course. */
  imports: MeetingImports;
  /** Next term: last term's series offered to a copied course. */
  nextTerm: NextTermService;
  /** Meetings whose host left: the course page's card, the hand-over, the school admin's list. */
  handover: MeetingHandover;
  /** Recordings hidden from students (Zoom's sharing off, a new passcode) and their watch links. */
  recordings: RecordingsHiding;
}

/**
 * Wires import, next term, a host who left and hidden recordings onto the meetings capability:
 * their jobs, Zoom's events they follow, and their cards on the course page.
 */
export function buildCourseLife(deps: {
  db: Db;
  meetings: MeetingsService;
  sync: MeetingsSync;
  jobs: JobRunner;
  events: ZoomEvents;
  attendance: AttendanceServices;
  zoomUserOf: ZoomUserLookup;
  grantedScopes: (schoolId: string) => Promise<string[]>;
  logger: Logger;
}): CourseLifeServices {
  const { db, meetings, sync, jobs, events, attendance, zoomUserOf, grantedScopes, logger } = deps;
  const recordings = new RecordingsHiding({
    db,
    jobs,
    accountApi: (schoolId) => meetings.accountApi(schoolId),
    grantedScopes,
    logger,
  });
  jobs.register(RECORDING_SHARE_JOB, {
    handler: (payload, run) => recordings.share(payload, run),
    maxAttempts: RECORDING_SHARE_ATTEMPTS,
  });
  const panels = new CoursePanels((error) =>
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'a course page card failed'),
  );
  const imports = new MeetingImports({
    db,
    meetings,
    zoomUserOf,
    attendance: attendance.links,
    logger,
  });
  panels.add(importPanel(imports));
  const nextTerm = new NextTermService({ db, meetings, logger });
  panels.add((input) => nextTerm.panel(input));
  // When the host leaves: Zoom's user events, the reconcile's rule and the roster find it; staff hand over.
  const orphans = new MeetingOrphans({
    db,
    accountApi: (schoolId) => meetings.accountApi(schoolId),
    logger,
  });
  events.subscribe((event, context) => orphans.onZoomEvent(event, context));
  sync.useHostCheck((meeting) => orphans.hostLeft(meeting));
  attendance.roster.whenRead((tx, course) => orphans.afterRoster(tx, course));
  const handover = new MeetingHandover({
    db,
    meetings,
    jobs,
    attendance: attendance.links,
    logger,
  });
  jobs.register(HANDOVER_JOB, {
    handler: (payload) => handover.resume(payload),
    maxAttempts: HANDOVER_ATTEMPTS,
  });
  panels.add((input) => handover.panel(input));

  return { panels, imports, nextTerm, handover, recordings };
}
