export {
  createLtiProvider,
  launchOf,
  type ContentItem,
  type CourseMember,
  type LtiProvider,
} from './provider';
export { LaunchChecks, type RegistrationLookup } from './lti.checks';
export { LtijsDatabasePlugin } from './lti.plugin';
export { PlatformKeys } from './lti.platform-keys';
export { normaliseRoles, describeRole, isStaff, isAdministrator, type CourseRole } from './roles';
export type { DeepLinkingSettings, LaunchContext, StateCheck } from './lti.launch';
export { deleteExpiredLoginStates } from './lti.states.repo';
export { canvasConfiguration, canvasConfigurationRoutes } from './lti.canvas-config';
export { registrationRoutes } from './lti.registration.routes';
