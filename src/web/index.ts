export { faviconRoute, healthRoutes } from './web.routes';
export {
  coursePagePresenter,
  pageHeaders,
  type CoursePageModel,
  type CoursePagePresenter,
  type PageHeaderModel,
} from './web.presenter';
export { frameFor, securityHeaders } from './web.security';
export {
  launchContext,
  requestContext,
  type LaunchContextDeps,
  type LaunchRequestContext,
  type LaunchSchool,
} from './web.launch-context';
