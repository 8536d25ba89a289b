export { healthRoutes } from './web.routes';
export { coursePagePresenter, type CoursePageModel, type CoursePagePresenter } from './web.presenter';
export { securityHeaders } from './web.security';
