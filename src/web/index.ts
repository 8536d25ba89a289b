export { faviconRoute, healthRoutes } from './web.routes';
export { coursePagePresenter, type CoursePageModel, type CoursePagePresenter } from './web.presenter';
export { frameFor, securityHeaders } from './web.security';
export {
  launchContext,
  requestContext,
  type LaunchContextDeps,
  type LaunchRequestContext,
  type LaunchSchool,
} from './web.launch-context';
