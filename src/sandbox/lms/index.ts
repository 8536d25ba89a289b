/** The LMS emulator: an LTI 1.3 platform behaving like Moodle 4.x or Canvas, for tests and the sandbox. */
export { createLmsEmulator } from './lms.emulator';
export { LmsAuthError } from './lms.types';
export type {
  AgsActivityProgress,
  AgsFault,
  AgsGradingProgress,
  AgsLineItem,
  AgsScore,
  AuthorizeResult,
  BeginRegistrationOptions,
  DeepLinkingRequest,
  DeepLinkingReturn,
  LmsActivity,
  LaunchOptions,
  LmsCourse,
  LmsEmulator,
  LmsEmulatorOptions,
  LmsGradebook,
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
export { AGS_MEDIA_TYPES } from './lms.ags.schema';
