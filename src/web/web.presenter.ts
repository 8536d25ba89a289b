import type { LaunchContext } from '../lti';

export interface CoursePageModel {
  name: string;
  roleLabel: string;
  role: string;
  courseTitle: string;
  schoolName: string;
  platformName: string;
  isTeachingAssistant: boolean;
  ltik: string;
  returnUrl: string | undefined;
}

export type CoursePagePresenter = (launch: LaunchContext, roleLabel: string) => Promise<CoursePageModel>;

export function coursePagePresenter(
  schoolNameOf: (issuer: string, clientId: string) => Promise<string | undefined>,
): CoursePagePresenter {
  return async (launch, roleLabel) => ({
    name: launch.name,
    roleLabel,
    role: launch.role ?? 'none',
    courseTitle: launch.course.title ?? launch.course.label ?? 'this course',
    schoolName: (await schoolNameOf(launch.issuer, launch.clientId)) ?? '',
    platformName: launch.platform.name ?? launch.platform.productFamily ?? 'your LMS',
    isTeachingAssistant: launch.isTeachingAssistant,
    ltik: launch.ltik,
    returnUrl: launch.returnUrl,
  });
}
