import { isSchoolAdministrator, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';

/** Only the school's administrators (institution or system role) see and change its instructors' Zoom users and settings. */
export function assertCanManagePeople(launch: LaunchContext): void {
  if (!isSchoolAdministrator(launch))
    throw errors.forbidden('Only a school administrator can see and change Zoom users.');
}
