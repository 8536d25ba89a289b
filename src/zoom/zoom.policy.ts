import { isAdministrator, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';

/** Only the school's administrators (LMS administrator role) connect or disconnect Zoom. */
export function assertCanManageZoom(launch: LaunchContext): void {
  if (!isAdministrator(launch.role)) {
    throw errors.forbidden('Only a school administrator can manage the Zoom connection.');
  }
}
