export { AttendanceEvents, PARTICIPANT_JOINED, PARTICIPANT_LEFT } from './attendance.events';
export { sessionsOfInstance, type SessionRow } from './attendance.repo';
