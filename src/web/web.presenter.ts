import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isSchoolAdministrator, isStaff, type LaunchContext } from '../lti';
import type { OutcomeMessage } from '../provisioning';
import { translatorFor, type Translator } from '../shared/i18n';
import { launchContextIfResolved } from './web.launch-context';

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

/** What every page's header says (views/partials/header.ejs), in the page's language. */
export interface PageHeaderModel {
  product: string;
  /** The course and its school, inside a launch. */
  context: string | undefined;
  /** Said on every page of a sandbox school, and of the sandbox deployment before a launch. */
  sandbox: { label: string; detail: string } | undefined;
}

export interface PageHeaderSource {
  sandbox: boolean;
  course?: string;
  school?: string;
}

export function pageHeaderModel(source: PageHeaderSource, translator: Translator): PageHeaderModel {
  const { t } = translator;
  const context =
    source.course && source.school
      ? t('chrome.context', { course: source.course, school: source.school })
      : (source.course ?? source.school);
  return {
    product: t('chrome.product'),
    context,
    sandbox: source.sandbox
      ? { label: t('chrome.sandbox.label'), detail: t('chrome.sandbox.detail') }
      : undefined,
  };
}

/**
 * Every page's header, provided once: views read `pageHeader(lang)` (res.locals), which names the
 * launch's course and school once the launch resolved (web.launch-context), and otherwise the product
 * alone. The language is the page's own, else the launch's (`res.locals.translator`), else English.
 * The SANDBOX line follows the launch's school, and before a launch the deployment (`sandbox`).
 */
export function pageHeaders(options: { sandbox: boolean }): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.locals.pageHeader = (lang?: string): PageHeaderModel => {
      const translator = res.locals.translator as Translator | undefined;
      const chosen = lang ? translatorFor(lang) : (translator ?? translatorFor('en'));
      const context = launchContextIfResolved(res);
      const source: PageHeaderSource = context
        ? {
            sandbox: context.school.sandbox,
            course: context.launch.course.title ?? context.launch.course.label,
            school: context.school.name,
          }
        : { sandbox: options.sandbox };
      return pageHeaderModel(source, chosen);
    };
    next();
  };
}
