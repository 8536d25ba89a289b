export { healthRoutes, coursePageRoutes } from './web.routes';
export { coursePagePresenter, type CoursePageModel } from './web.presenter';
export { securityHeaders } from './web.security';
