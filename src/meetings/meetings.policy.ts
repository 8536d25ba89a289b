import { isStaff, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';

/** Only instructors (and administrators) of the course schedule, change, start or delete its meetings. */
export function assertCanChangeMeetings(launch: LaunchContext): void {
  if (!isStaff(launch.role))
    throw errors.forbidden('Only the instructors of this course can change its meetings.');
}
