export { createLtiProvider, launchOf, type ContentItem, type LtiProvider } from './provider';
export type { CourseMember } from './lti.members';
export { LaunchChecks, type RegistrationLookup } from './lti.checks';
export { LaunchConfirmations } from './lti.launch-confirm';
export { LtijsDatabasePlugin } from './lti.plugin';
export { PlatformKeys } from './lti.platform-keys';
export {
  normaliseRoles,
  describeRole,
  isStaff,
  isAdministrator,
  isSchoolAdministrator,
  type CourseRole,
} from './roles';
export type { CourseServices, DeepLinkingSettings, LaunchContext, StateCheck } from './lti.launch';
export { deleteExpiredLoginStates } from './lti.states.repo';
export { canvasConfiguration, canvasConfigurationRoutes } from './lti.canvas-config';
export { contextHistory } from './lti.context-history';
export { registrationRoutes } from './lti.registration.routes';
export { CANVAS_SECTIONS_CUSTOM, launchSections, type LaunchSection } from './lti.sections';
export { generateToolKeyPair, type ToolKeyPair, type ToolKeyPairSource } from './lti.keypairs';
export { ServiceTokenRefused, type ServiceRegistration, type ServiceToken } from './lti.service-token';
export { NRPS_SCOPE, AGS_SCOPES } from './lti.scopes';
export { isPublicAddress, outboundPolicyFor, type OutboundPolicy } from './lti.registration.fetch';
