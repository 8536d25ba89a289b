export { AttendanceEvents, PARTICIPANT_JOINED, PARTICIPANT_LEFT } from './attendance.events';
export { sessionsOfInstance, type SessionRow } from './attendance.repo';
// results (held instances, the report, results)
export {
  computeAttendance,
  type ComputeInput,
  type ComputeOutput,
  type StudentResult,
} from './attendance.compute';
export { AttendanceInstances, FINALIZE_JOB, REPORT_JOB, RECOMPUTE_JOB } from './attendance.instances';
export { AttendanceResults } from './attendance.results';
export { AttendanceReport, REPORT_SCHEDULE_MINUTES } from './attendance.report';
export { AttendanceSweep, SWEEP_ATTEMPTS, SWEEP_JOB } from './attendance.sweep';
// pages (the instructor's and the student's views)
export { AttendancePages } from './attendance.pages';
export { attendanceRoutes } from './attendance.routes';
// links (registrant links, the roster, the Join click)
export { RegistrantIdentity } from './attendance.identity';
export { AttendanceLinks, LINKS_JOB, LINKS_ATTEMPTS } from './attendance.links';
export { AttendanceRoster, ROSTER_JOB, ROSTER_ATTEMPTS } from './attendance.roster';
export { AttendanceJoin } from './attendance.join.service';
export { joinRoutes } from './attendance.join.routes';
