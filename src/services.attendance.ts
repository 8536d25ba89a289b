import type { Logger } from 'pino';
import type { Config } from './config';
import {
  AttendanceEvents,
  AttendanceInstances,
  AttendanceJoin,
  AttendanceLinks,
  AttendancePages,
  AttendanceReport,
  AttendanceResults,
  AttendanceRoster,
  AttendanceSweep,
  FINALIZE_JOB,
  LINKS_ATTEMPTS,
  LINKS_JOB,
  RECOMPUTE_JOB,
  RegistrantIdentity,
  REPORT_JOB,
  ROSTER_ATTEMPTS,
  ROSTER_JOB,
  SWEEP_ATTEMPTS,
  SWEEP_JOB,
} from './attendance';
import { GRADES_JOB, GRADES_JOB_ATTEMPTS, GradesSync, lmsUrlPolicyFor } from './grades';
import type { JobRunner } from './jobs';
import type { LtiProvider } from './lti';
import type { MeetingsService } from './meetings';
import { deriveKey, type SecretBox } from './shared/crypto';
import type { Db } from './storage';
import type { ZoomEvents } from './zoom';

/** Attendance and its grades in the LMS: what the app and the tests reach. */
export interface AttendanceServices {
  /** Each student's own registrant link at Zoom (made ahead, or at the first click). */
  links: AttendanceLinks;
  /** The course's people from Names and Roles. */
  roster: AttendanceRoster;
  /** The Join click: a 303 to the student's own link. */
  join: AttendanceJoin;
  /** Held instances' results (finalize, recompute). */
  results: AttendanceResults;
  /** Scores to the LMS gradebook (AGS). */
  grades: GradesSync;
  /** The instructor's and the student's attendance pages. */
  pages: AttendancePages;
}

/**
 * Part of the composition root (services.ts): participant sessions from Zoom's events, each
 * student's own registrant link (made from the course's roster), held instances and their report,
 * results, grades, the pages; each background part's job registered on the one runner.
 */
export function buildAttendance(deps: {
  config: Config;
  db: Db;
  masterKey: Buffer;
  secretBox: SecretBox;
  jobs: JobRunner;
  lti: LtiProvider;
  meetings: MeetingsService;
  events: ZoomEvents;
  logger: Logger;
}): AttendanceServices {
  const { config, db, masterKey, secretBox, jobs, lti, meetings, events, logger } = deps;
  const attendanceLogger = logger.child({ category: 'attendance' });
  const attendanceEvents = new AttendanceEvents({ logger: attendanceLogger });
  events.subscribe((event, context) => attendanceEvents.onZoomEvent(event, context));
  const sweep = new AttendanceSweep({
    db,
    jobs,
    accountApi: (schoolId) => meetings.accountApi(schoolId),
    logger: attendanceLogger,
  });
  jobs.register(SWEEP_JOB, { handler: (payload) => sweep.run(payload), maxAttempts: SWEEP_ATTEMPTS });
  const attendanceLinks: AttendanceLinks = new AttendanceLinks({
    db,
    accountApi: (schoolId) => meetings.accountApi(schoolId),
    identity: new RegistrantIdentity(
      deriveKey(masterKey, 'attendance-registrants'),
      config.attendanceEmailDomain,
    ),
    secretBox,
    jobs,
    roster: { maybeRead: (course, tx, force) => roster.maybeRead(course, tx, force) },
    sweep,
    logger: attendanceLogger,
  });
  const roster = new AttendanceRoster({
    db,
    serviceToken: (registration, scopes, options) => lti.serviceToken(registration, scopes, options),
    urls: lmsUrlPolicyFor(config),
    jobs,
    newStudents: (course) => attendanceLinks.enqueueForCourse(course),
    logger: attendanceLogger,
  });
  jobs.register(LINKS_JOB, {
    handler: (payload) => attendanceLinks.run(payload),
    maxAttempts: LINKS_ATTEMPTS,
  });
  jobs.register(ROSTER_JOB, { handler: (payload) => roster.run(payload), maxAttempts: ROSTER_ATTEMPTS });
  meetings.useAttendance(attendanceLinks);
  const attendanceJoin = new AttendanceJoin({ db, links: attendanceLinks });
  const instances = new AttendanceInstances({ jobs, logger: attendanceLogger });
  events.subscribe((event, context) => instances.onZoomEvent(event, context));
  const results = new AttendanceResults({ db, jobs, logger: attendanceLogger });
  const report = new AttendanceReport({
    db,
    results,
    accountApi: (schoolId) => meetings.accountApi(schoolId),
    logger: attendanceLogger,
  });
  jobs.register(FINALIZE_JOB, { handler: (payload) => results.finalize(payload), maxAttempts: 8 });
  jobs.register(REPORT_JOB, { handler: (payload) => report.run(payload), maxAttempts: 8 });
  jobs.register(RECOMPUTE_JOB, { handler: (payload) => results.recompute(payload), maxAttempts: 8 });
  const grades = new GradesSync({
    db,
    jobs,
    serviceToken: (registration, scopes, options) => lti.serviceToken(registration, scopes, options),
    urls: lmsUrlPolicyFor(config),
    logger: logger.child({ category: 'grades' }),
  });
  jobs.register(GRADES_JOB, {
    handler: (payload, run) => grades.run(payload, run),
    maxAttempts: GRADES_JOB_ATTEMPTS,
  });
  const attendancePages = new AttendancePages({ db, jobs, grades });
  return {
    links: attendanceLinks,
    roster,
    join: attendanceJoin,
    results,
    grades,
    pages: attendancePages,
  };
}
