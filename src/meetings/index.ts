export { MeetingsService, CONFIRM_CREATE_JOB, type ZoomUserLookup } from './meetings.service';
export { MeetingsSync, RECONCILE_JOB, CONFIRM_CREATE_ATTEMPTS } from './meetings.sync';
export { MeetingsPages } from './meetings.pages';
export { AlternativeHosts } from './meetings.hosts';
export { meetingRoutes } from './meetings.routes';
export { calendarRoutes } from './meetings.calendar.routes';
export { meetingByZoomId, meetingOfSchool } from './meetings.repo';
export type { MeetingAttendance } from './meetings.attendance';
export { takesRegistration } from './meetings.zoom';
