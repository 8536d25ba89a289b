export { MeetingsService, CONFIRM_CREATE_JOB, type ZoomUserLookup } from './meetings.service';
export { MeetingsSync, RECONCILE_JOB, CONFIRM_CREATE_ATTEMPTS } from './meetings.sync';
export { MeetingsPages } from './meetings.pages';
export { MeetingSections, refusedSections } from './meetings.sections';
export { peopleInSections } from './meetings.sections.repo';
export { AlternativeHosts } from './meetings.hosts';
export { meetingRoutes } from './meetings.routes';
export { MeetingImports, importPanel } from './meetings.import';
export { importRoutes } from './meetings.import.routes';
export { calendarRoutes } from './meetings.calendar.routes';
export { RecordingsHiding, RECORDING_SHARE_JOB, RECORDING_SHARE_ATTEMPTS } from './meetings.recordings.hide';
export { recordingRoutes } from './meetings.recordings.routes';
export { NextTermService } from './meetings.nextterm';
export { nextTermRoutes } from './meetings.nextterm.routes';
export { meetingByZoomId, meetingOfSchool } from './meetings.repo';
export { MeetingHandover, HANDOVER_JOB, HANDOVER_ATTEMPTS } from './meetings.handover';
export { handoverRoutes } from './meetings.handover.routes';
export { MeetingOrphans } from './meetings.orphans';
export type { MeetingAttendance } from './meetings.attendance';
export { takesRegistration } from './meetings.zoom';
export {
  CoursePanels,
  type CoursePanel,
  type CoursePanelInput,
  type CoursePanelSource,
} from './meetings.panels';
