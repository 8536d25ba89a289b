import crypto from 'node:crypto';
import type { LmsProfileName, LmsUser } from './lms.types';

/**
 * What differs between the emulated LMSs: endpoint paths, identifiers, role strings and users.
 * Values follow launches observed from Moodle 4.5 and Canvas cloud (see LTI-NOTES.md) and the
 * Canvas source's LIS_V2_ROLE_MAP.
 */
const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
export const ROLES = {
  membershipInstructor: `${LIS}/membership#Instructor`,
  membershipLearner: `${LIS}/membership#Learner`,
  /** Canvas really sends the lower-case `instructor` here (LIS_V2_ROLE_MAP, TaEnrollment). */
  canvasTeachingAssistant: `${LIS}/membership/instructor#TeachingAssistant`,
  institutionAdministrator: `${LIS}/institution/person#Administrator`,
  institutionInstructor: `${LIS}/institution/person#Instructor`,
  institutionStudent: `${LIS}/institution/person#Student`,
  systemAdministrator: `${LIS}/system/person#Administrator`,
  systemSysAdmin: `${LIS}/system/person#SysAdmin`,
  systemUser: `${LIS}/system/person#User`,
} as const;

export const SCOPES = {
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;
export const LTI_ADVANTAGE_SCOPES: readonly string[] = Object.values(SCOPES);

export const NRPS_MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

interface UserSeed extends LmsUser {
  username: string;
}

export interface LmsProfile {
  name: LmsProfileName;
  productName: 'Moodle' | 'Canvas';
  paths: {
    auth: string;
    token: string;
    jwks: string;
    /** Express route pattern of the Names and Roles endpoint. */
    nrpsRoute: string;
    nrps(courseId: string, deploymentId: string): string;
    deepLinkReturnRoute: string;
    deepLinkReturn(courseId: string): string;
    returnRoute: string;
    returnUrl(courseId: string, resourceLinkId: string): string;
    lineItems(courseId: string): string;
    /** Express route patterns of the AGS line items container and of one line item. */
    lineItemsRoute: string;
    lineItemRoute: string;
    /** One line item's URL path (with its query), or its scores or results beside it. */
    lineItem(courseId: string, itemId: string, child?: 'scores' | 'results'): string;
  };
  idTokenLifetimeSeconds: number;
  /** How long a login initiation's lti_message_hint stays usable (it is single-use). */
  messageHintLifetimeSeconds: number;
  nrpsServiceVersions: string[];
  /** NRPS paging: Moodle pages with an offset (`from`), Canvas with a page number (`page`). */
  nrpsPaging: 'from' | 'page';
  /** Moodle grants the allowed subset of requested scopes; Canvas refuses any scope it does not allow. */
  scopePolicy: 'subset' | 'strict';
  defaultIssuer(baseUrl: string): string;
  newClientId(): string;
  newDeploymentId(): string;
  newKid(existing: readonly string[]): string;
  defaultResourceLinkId(): string;
  course: { id: string; label: string; title: string };
  users: { instructor: UserSeed; learner: UserSeed; admin: UserSeed; ta: UserSeed };
  /** Names of the users who are enrolled in the course (and so listed by NRPS). */
  enrolled: readonly ('instructor' | 'learner' | 'ta' | 'admin')[];
  registration: RegistrationProfile;
}

/**
 * LTI Dynamic Registration as each LMS does it (Moodle: mod/lti/startltiadvregistration.php,
 * openid-configuration.php, openid-registration.php and registration_helper; Canvas:
 * Lti::IMS::DynamicRegistrationController and its developer docs "Registration").
 */
export interface RegistrationProfile {
  openidConfigurationPath: string;
  registrationPath: string;
  /**
   * Moodle's openid-configuration.php checks no token: it is public. Canvas answers its OpenID
   * configuration only with the registration token as `Authorization: Bearer` (its docs: the
   * registration_token "is the token used to access that URL").
   */
  configurationNeedsToken: boolean;
  /** Moodle adds the tool as LTI_TOOL_STATE_PENDING until an admin activates it; Canvas: active. */
  initialStatus: 'pending' | 'active';
  /** `version` in the platform configuration: Moodle its release string; Canvas 'OpenSource'. */
  version: string;
  claimsSupported: string[];
  subjectTypesSupported: string[];
  messagesSupported: { type: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest'; placements?: string[] }[];
  variables: string[];
  /**
   * The registration token as minted: Moodle an RS256 JWT `{sub: <the future client id>, scope:
   * 'reg', iat, exp}` signed with the platform key; Canvas an HS256 JWT `{uuid, initiated_at,
   * user_id, root_account_global_id, exp}`. Both are opaque to the tool.
   */
  tokenKind: 'platform-rs256' | 'hs256';
  /** The deployment id of the n-th dynamically registered tool (n from 1). */
  newRegisteredDeploymentId(n: number): string;
}

/** Substitution variables both LMSs advertise (a subset of each one's list). */
const COMMON_VARIABLES = [
  'Context.id',
  'Context.title',
  'Context.label',
  'CourseSection.sourcedId',
  'Person.name.full',
  'Person.name.given',
  'Person.name.family',
  'Person.email.primary',
  'Person.sourcedId',
  'User.id',
  'User.username',
  'Membership.role',
  'ResourceLink.id',
  'ResourceLink.title',
];

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Moodle's random_string(): letters and digits. */
export function randomAlnum(length: number): string {
  return Array.from({ length }, () => ALNUM[crypto.randomInt(ALNUM.length)]).join('');
}

function unique(make: () => string, existing: readonly string[]): string {
  let value = make();
  while (existing.includes(value)) value = make();
  return value;
}

/** Canvas deployment ids: `<context external tool id>:<40 hex of the context>`. */
function canvasDeploymentId(): string {
  return `${crypto.randomInt(1, 1000)}:${crypto.randomBytes(20).toString('hex')}`;
}

const moodle: LmsProfile = {
  name: 'moodle',
  productName: 'Moodle',
  paths: {
    auth: '/mod/lti/auth.php',
    token: '/mod/lti/token.php',
    jwks: '/mod/lti/certs.php',
    nrpsRoute: '/mod/lti/services.php/CourseSection/:courseId/bindings/:deploymentId/memberships',
    nrps: (courseId, deploymentId) =>
      `/mod/lti/services.php/CourseSection/${encodeURIComponent(courseId)}/bindings/${encodeURIComponent(deploymentId)}/memberships`,
    deepLinkReturnRoute: '/mod/lti/contentitem_return.php',
    deepLinkReturn: (courseId) =>
      `/mod/lti/contentitem_return.php?course=${encodeURIComponent(courseId)}&id=1&sesskey=${randomAlnum(10)}`,
    returnRoute: '/mod/lti/return.php',
    returnUrl: (courseId, resourceLinkId) =>
      `/mod/lti/return.php?course=${encodeURIComponent(courseId)}&launch_container=3&instanceid=${encodeURIComponent(resourceLinkId)}&sesskey=${randomAlnum(10)}`,
    lineItems: (courseId) => `/mod/lti/services.php/${encodeURIComponent(courseId)}/lineitems?type_id=1`,
    // gradebookservices: '/{context_id}/lineitems/{item_id}/lineitem' and its '/scores' and '/results'.
    lineItemsRoute: '/mod/lti/services.php/:courseId/lineitems',
    lineItemRoute: '/mod/lti/services.php/:courseId/lineitems/:itemId/lineitem',
    lineItem: (courseId, itemId, child) =>
      `/mod/lti/services.php/${encodeURIComponent(courseId)}/lineitems/${encodeURIComponent(itemId)}/lineitem${child ? `/${child}` : ''}?type_id=1`,
  },
  idTokenLifetimeSeconds: 60,
  messageHintLifetimeSeconds: 600,
  nrpsServiceVersions: ['1.0', '2.0'],
  nrpsPaging: 'from',
  scopePolicy: 'subset',
  defaultIssuer: (baseUrl) => baseUrl,
  newClientId: () => randomAlnum(15),
  newDeploymentId: () => '1',
  newKid: (existing) => unique(() => randomAlnum(15), existing),
  defaultResourceLinkId: () => '1',
  course: { id: '2', label: 'ZOOM101', title: 'Zoom Practice 101' },
  users: {
    admin: {
      id: '2',
      username: 'admin',
      givenName: 'Admin',
      familyName: 'User',
      name: 'Admin User',
      email: 'admin@school.example.edu',
      roles: [ROLES.institutionAdministrator, ROLES.membershipInstructor, ROLES.systemAdministrator],
    },
    instructor: {
      id: '3',
      username: 'teacher',
      givenName: 'Terry',
      familyName: 'Teacher',
      name: 'Terry Teacher',
      email: 'terry.teacher@school.example.edu',
      roles: [ROLES.membershipInstructor],
    },
    learner: {
      id: '4',
      username: 'student',
      givenName: 'Sam',
      familyName: 'Student',
      name: 'Sam Student',
      email: 'sam.student@school.example.edu',
      roles: [ROLES.membershipLearner],
    },
    // A non-editing teacher: Moodle grants mod/lti:manage to that archetype, so it launches as Instructor.
    ta: {
      id: '5',
      username: 'assistant',
      givenName: 'Tina',
      familyName: 'Assistant',
      name: 'Tina Assistant',
      email: 'tina.assistant@school.example.edu',
      roles: [ROLES.membershipInstructor],
    },
  },
  enrolled: ['instructor', 'learner', 'ta'],
  registration: {
    openidConfigurationPath: '/mod/lti/openid-configuration.php',
    registrationPath: '/mod/lti/openid-registration.php',
    configurationNeedsToken: false,
    initialStatus: 'pending',
    version: '4.5.6 (Build: 20250811)',
    claimsSupported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
    subjectTypesSupported: ['public', 'pairwise'],
    messagesSupported: [
      { type: 'LtiResourceLinkRequest' },
      { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] },
    ],
    variables: ['basic-lti-launch-request', 'ContentItemSelectionRequest', ...COMMON_VARIABLES],
    tokenKind: 'platform-rs256',
    // The tool type's id: type 1 is the tool the site already had, so the first new one is 2.
    newRegisteredDeploymentId: (n) => String(n + 1),
  },
};

const canvas: LmsProfile = {
  name: 'canvas',
  productName: 'Canvas',
  paths: {
    auth: '/api/lti/authorize_redirect',
    token: '/login/oauth2/token',
    jwks: '/api/lti/security/jwks',
    nrpsRoute: '/api/lti/courses/:courseId/names_and_roles',
    nrps: (courseId) => `/api/lti/courses/${encodeURIComponent(courseId)}/names_and_roles`,
    deepLinkReturnRoute: '/courses/:courseId/deep_linking_response',
    deepLinkReturn: (courseId) => `/courses/${encodeURIComponent(courseId)}/deep_linking_response?modal=true`,
    returnRoute: '/courses/:courseId/external_content/success/external_tool_redirect',
    returnUrl: (courseId) =>
      `/courses/${encodeURIComponent(courseId)}/external_content/success/external_tool_redirect`,
    lineItems: (courseId) => `/api/lti/courses/${encodeURIComponent(courseId)}/line_items`,
    lineItemsRoute: '/api/lti/courses/:courseId/line_items',
    lineItemRoute: '/api/lti/courses/:courseId/line_items/:itemId',
    lineItem: (courseId, itemId, child) =>
      `/api/lti/courses/${encodeURIComponent(courseId)}/line_items/${encodeURIComponent(itemId)}${child ? `/${child}` : ''}`,
  },
  idTokenLifetimeSeconds: 3600,
  messageHintLifetimeSeconds: 300,
  nrpsServiceVersions: ['2.0'],
  nrpsPaging: 'page',
  scopePolicy: 'strict',
  defaultIssuer: () => 'https://canvas.instructure.com',
  newClientId: () => String(10000000000000 + crypto.randomInt(1, 100000)),
  newDeploymentId: () => canvasDeploymentId(),
  // Canvas names its keys by their creation time.
  newKid: (existing) => {
    let at = Date.now();
    const kidAt = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    while (existing.includes(kidAt(at))) at += 1000;
    return kidAt(at);
  },
  defaultResourceLinkId: () => crypto.randomUUID(),
  course: { id: '42', label: 'ZOOM-101', title: 'Zoom Practice 101' },
  users: {
    // Canvas admins in the wild: given_name is the email, family_name empty.
    admin: {
      id: '1',
      username: 'admin@school.example.edu',
      givenName: 'admin@school.example.edu',
      familyName: '',
      name: 'admin@school.example.edu',
      email: 'admin@school.example.edu',
      roles: [
        ROLES.institutionAdministrator,
        ROLES.membershipInstructor,
        ROLES.systemSysAdmin,
        ROLES.systemUser,
      ],
    },
    instructor: {
      id: '101',
      username: 'terry.teacher@school.example.edu',
      givenName: 'Terry',
      familyName: 'Teacher',
      name: 'Terry Teacher',
      email: 'terry.teacher@school.example.edu',
      roles: [ROLES.institutionInstructor, ROLES.membershipInstructor, ROLES.systemUser],
    },
    learner: {
      id: '102',
      username: 'sam.student@school.example.edu',
      givenName: 'Sam',
      familyName: 'Student',
      name: 'Sam Student',
      email: 'sam.student@school.example.edu',
      roles: [ROLES.institutionStudent, ROLES.membershipLearner, ROLES.systemUser],
    },
    ta: {
      id: '103',
      username: 'tina.assistant@school.example.edu',
      givenName: 'Tina',
      familyName: 'Assistant',
      name: 'Tina Assistant',
      email: 'tina.assistant@school.example.edu',
      roles: [
        ROLES.institutionInstructor,
        ROLES.membershipInstructor,
        ROLES.canvasTeachingAssistant,
        ROLES.systemUser,
      ],
    },
  },
  enrolled: ['instructor', 'learner', 'ta'],
  registration: {
    openidConfigurationPath: '/api/lti/security/openid-configuration',
    registrationPath: '/api/lti/registrations',
    configurationNeedsToken: true,
    initialStatus: 'active',
    version: 'OpenSource',
    claimsSupported: ['sub', 'picture', 'email', 'name', 'given_name', 'family_name', 'locale'],
    subjectTypesSupported: ['public'],
    messagesSupported: [
      { type: 'LtiResourceLinkRequest', placements: ['course_navigation', 'link_selection'] },
      { type: 'LtiDeepLinkingRequest', placements: ['link_selection', 'assignment_selection'] },
    ],
    variables: ['Canvas.course.id', 'Canvas.user.id', 'Canvas.api.domain', ...COMMON_VARIABLES],
    tokenKind: 'hs256',
    newRegisteredDeploymentId: () => canvasDeploymentId(),
  },
};

export const PROFILES: Record<LmsProfileName, LmsProfile> = { moodle, canvas };

/** Context (course membership) roles only: what NRPS lists, without institution and system roles. */
export function membershipRoles(roles: readonly string[]): string[] {
  return roles.filter((role) => !role.includes('/institution/') && !role.includes('/system/'));
}
