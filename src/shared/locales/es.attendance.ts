import type { enAttendance } from './en.attendance';

/** Spanish texts of the attendance area (wired into es.ts as `attendance`). */
export const esAttendance: typeof enAttendance = {};
