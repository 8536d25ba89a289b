import { isSchoolAdministrator, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';

/** Only the school's administrators (an institution or system administrator role) connect or disconnect Zoom. */
export function assertCanManageZoom(launch: LaunchContext): void {
  if (!isSchoolAdministrator(launch)) {
    throw errors.forbidden('Only a school administrator can manage the Zoom connection.');
  }
}
