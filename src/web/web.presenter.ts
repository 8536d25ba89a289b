import { isSchoolAdministrator, isStaff, type LaunchContext } from '../lti';
import type { OutcomeMessage } from '../provisioning';

export interface CoursePageModel {
  name: string;
  roleLabel: string;
  role: string;
  /** Instructors and administrators of the course (the scheduler); learners see meetings to join. */
  isStaff: boolean;
  courseTitle: string;
  schoolName: string;
  /** The school is one the sandbox made (`npm start`): the page says SANDBOX. */
  sandbox: boolean;
  platformName: string;
  isTeachingAssistant: boolean;
  ltik: string;
  returnUrl: string | undefined;
  /** The school's Zoom connection, for instructors and administrators (learners never need it). */
  zoom: 'none' | 'connected' | 'reconnect_required' | 'disconnected' | undefined;
  canManageZoom: boolean;
  /** For instructors and administrators: what happened with their Zoom user. */
  provisioning: OutcomeMessage | undefined;
}

/** The page's model for a launch of a school (the caller already knows the school: no second look-up). */
export type CoursePagePresenter = (
  launch: LaunchContext,
  roleLabel: string,
  school: { id: string; name: string; sandbox?: boolean },
) => Promise<CoursePageModel>;

export interface CoursePageSources {
  zoomStatusOf(schoolId: string): Promise<NonNullable<CoursePageModel['zoom']>>;
  provisioningOf(launch: LaunchContext, schoolId: string): Promise<OutcomeMessage | undefined>;
}

export function coursePagePresenter(sources: CoursePageSources): CoursePagePresenter {
  return async (launch, roleLabel, school) => {
    // Only instructors and administrators are told about Zoom here: a learner's page reads nothing of it.
    const staff = isStaff(launch.role);
    return {
      name: launch.name,
      roleLabel,
      role: launch.role ?? 'none',
      isStaff: staff,
      courseTitle: launch.course.title ?? launch.course.label ?? 'this course',
      schoolName: school.name,
      sandbox: school.sandbox === true,
      platformName: launch.platform.name ?? launch.platform.productFamily ?? 'your LMS',
      isTeachingAssistant: launch.isTeachingAssistant,
      ltik: launch.ltik,
      returnUrl: launch.returnUrl,
      zoom: staff ? await sources.zoomStatusOf(school.id) : undefined,
      canManageZoom: isSchoolAdministrator(launch),
      provisioning: staff ? await sources.provisioningOf(launch, school.id) : undefined,
    };
  };
}
