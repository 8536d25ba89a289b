import { isStaff, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';

/**
 * Who sees what of a course's attendance: its instructors (and administrators) everyone's, and
 * change overrides and rules; a student only their own. Checked on the server before any read.
 */
export function assertCanSeeCourseAttendance(launch: LaunchContext): void {
  if (!isStaff(launch.role))
    throw errors.forbidden("Only the instructors of this course can see its students' attendance.");
}

/** A student's own attendance: learners of the course. */
export function assertCanSeeOwnAttendance(launch: LaunchContext): void {
  if (launch.role !== 'learner')
    throw errors.forbidden('Only the students of this course have their own attendance.');
}

/** Whether the launch's person may see the whole course (instructors land there from "Attendance"). */
export function seesCourseAttendance(launch: LaunchContext): boolean {
  return isStaff(launch.role);
}
