import { isSchoolAdministrator, isStaff, normaliseRoles, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';

/** Only the school's administrators (institution or system role) see and change its instructors' Zoom users and settings. */
export function assertCanManagePeople(launch: LaunchContext): void {
  if (!isSchoolAdministrator(launch))
    throw errors.forbidden('Only a school administrator can see and change Zoom users.');
}

/** Who opened the course, as far as deciding on their Zoom user goes. */
export interface Opener {
  role: 'administrator' | 'instructor' | 'learner' | null;
  /** The launch's roles as the LMS sent them (absent: the course role alone decides). */
  roles?: readonly unknown[];
}

/**
 * Whether someone's launch gives them a Zoom user of the school:
 * - instructors of the course (a course membership Instructor, teaching assistant or designer,
 *   whatever other roles they hold) always;
 * - administrators (of the school or of the course) who are not instructors of the course only when
 *   the school's settings say so: a Zoom user may take one of the school's paid seats;
 * - learners and guests never.
 */
export function zoomUserFor(
  opener: Opener,
  settings: { provisionAdministrators: boolean },
): 'provision' | 'administrator_left_out' | 'not_applicable' {
  if (!isStaff(opener.role)) return 'not_applicable';
  if (opener.role === 'instructor' || isInstructorOfCourse(opener)) return 'provision';
  return settings.provisionAdministrators ? 'provision' : 'administrator_left_out';
}

/** An administrator whose launch needs the school's settings to decide (everyone else is decided by roles alone). */
export function dependsOnSettings(opener: Opener): boolean {
  return opener.role === 'administrator' && !isInstructorOfCourse(opener);
}

/** An instructor of this course by membership; an institution or system role never makes one. */
function isInstructorOfCourse(opener: Opener): boolean {
  return opener.roles === undefined
    ? opener.role === 'instructor'
    : normaliseRoles(opener.roles).isInstructor;
}
