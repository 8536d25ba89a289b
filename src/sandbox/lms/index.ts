/** The LMS emulator: an LTI 1.3 platform behaving like Moodle 4.x or Canvas, for tests and the sandbox. */
export { createLmsEmulator } from './lms.emulator';
export { LmsAuthError } from './lms.types';
export type {
  AuthorizeResult,
  BeginRegistrationOptions,
  DeepLinkingRequest,
  DeepLinkingReturn,
  LmsActivity,
  LaunchOptions,
  LmsCourse,
  LmsEmulator,
  LmsEmulatorOptions,
  LmsProfileName,
  LmsRegistration,
  LmsUser,
  LmsUsers,
  LtiMessageType,
  Tamper,
  TamperSign,
  ToolEndpoints,
} from './lms.types';
export { ROLES as LMS_ROLES, SCOPES as LTI_SCOPES } from './lms.profiles';
