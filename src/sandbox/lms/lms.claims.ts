import crypto from 'node:crypto';
import { LTI_ADVANTAGE_SCOPES, SCOPES, type LmsProfile } from './lms.profiles';
import type { DeepLinkingRequest, LmsActivity, LmsCourse, LmsUser, ResolvedLaunch } from './lms.types';

/** The id token claim sets Moodle 4.x and Canvas send, built from one launch description. */
const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const DL_SETTINGS = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';

export interface ClaimSource {
  profile: LmsProfile;
  issuer: string;
  clientId: string;
  baseUrl: string;
  shareEmail: boolean;
  platformGuid: string;
  course(courseId: string): LmsCourse;
  identity(user: LmsUser): UserIdentity;
  /** Issues the opaque `data` a deep-linking response must echo. */
  issueDeepLinkData(request: DeepLinkingRequest): string;
  /** The link the LMS created from a content item, launched by its resource link id. */
  activity(courseId: string, resourceLinkId: string): LmsActivity | undefined;
  /** The tool's own custom parameters, substituted for the course (lms.copy.ts): the link's win over them. */
  toolCustom?(course: LmsCourse): Record<string, string>;
  /** The custom parameters with the person's section variables substituted (lms.sections.ts; Canvas only). */
  sectionCustom?(courseId: string, userId: string, custom: Record<string, string>): Record<string, string>;
}

export interface UserIdentity {
  /** The `sub` of the launch and `user_id` in NRPS. */
  sub: string;
  username: string;
  /** Canvas: the LTI 1.1 user id (40 hex). */
  legacyUserId: string;
}

function digest(algorithm: 'sha1' | 'sha256', text: string): string {
  return crypto.createHash(algorithm).update(text).digest('hex');
}

/** Stable per issuer and user, so a restarted emulator launches the same people. */
export function deriveIdentity(
  profile: LmsProfile,
  issuer: string,
  user: LmsUser,
  username?: string,
): UserIdentity {
  const fallbackUsername = user.email ?? `user${user.id}`;
  if (profile.name === 'moodle') {
    return {
      sub: user.id,
      username: username ?? fallbackUsername.split('@')[0] ?? user.id,
      legacyUserId: user.id,
    };
  }
  const hex = digest('sha256', `${issuer}|user|${user.id}`);
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return {
    sub: uuid,
    username: username ?? fallbackUsername,
    legacyUserId: digest('sha1', `${issuer}|lti11|${user.id}`),
  };
}

/** Canvas's `lti_context_id`: an opaque 40-hex id per course. */
export function canvasContextId(issuer: string, courseId: string): string {
  return digest('sha1', `${issuer}|course|${courseId}`);
}

function personClaims(source: ClaimSource, user: LmsUser): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    given_name: user.givenName,
    family_name: user.familyName,
    name: user.name,
  };
  if (source.shareEmail && user.email) claims.email = user.email;
  return claims;
}

/** Canvas decorates its claim objects with these (serialised validation state). */
const CANVAS_NOISE = { validation_context: null, errors: { errors: {} } };

export function buildClaims(
  source: ClaimSource,
  user: LmsUser,
  launch: ResolvedLaunch,
  nonce: string,
): Record<string, unknown> {
  const { profile, baseUrl } = source;
  const course = source.course(launch.courseId);
  const identity = source.identity(user);
  const iat = Math.floor(Date.now() / 1000);
  const isDeepLinking = launch.messageType === 'LtiDeepLinkingRequest';
  const canvas = profile.name === 'canvas';
  const noise = canvas ? CANVAS_NOISE : {};

  const claims: Record<string, unknown> = {
    [`${LTI}/message_type`]: launch.messageType,
    [`${LTI}/version`]: '1.3.0',
    iss: source.issuer,
    aud: source.clientId,
    ...(canvas ? { azp: source.clientId } : {}),
    sub: identity.sub,
    iat,
    exp: iat + profile.idTokenLifetimeSeconds,
    nonce,
    ...personClaims(source, user),
    [`${LTI}/deployment_id`]: launch.deploymentId,
    [`${LTI}/target_link_uri`]: launch.targetLinkUri,
    [`${LTI}/roles`]: [...user.roles],
    [`${LTI}/context`]: {
      id: course.contextId,
      label: course.label,
      title: course.title,
      type: canvas ? ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] : ['CourseSection'],
      ...noise,
    },
    [`${LTI}/launch_presentation`]: {
      document_target: 'iframe',
      return_url: baseUrl + profile.paths.returnUrl(course.id, launch.resourceLinkId),
      locale: launch.locale,
    },
    [AGS_CLAIM]: {
      scope: LTI_ADVANTAGE_SCOPES.filter((scope) => scope !== SCOPES.nrps),
      lineitems: baseUrl + profile.paths.lineItems(course.id),
      ...noise,
    },
    [NRPS_CLAIM]: {
      context_memberships_url: baseUrl + profile.paths.nrps(course.id, launch.deploymentId),
      service_versions: [...profile.nrpsServiceVersions],
      ...noise,
    },
  };

  // A link created from a content item launches with its title, text and custom parameters.
  const activity = isDeepLinking ? undefined : source.activity(course.id, launch.resourceLinkId);
  if (!isDeepLinking) {
    claims[`${LTI}/resource_link`] = {
      id: launch.resourceLinkId,
      title: activity?.title ?? 'Zoom class meetings',
      description: activity?.text || (canvas ? null : ''),
      ...noise,
    };
    if (activity && !canvas && Object.keys(activity.custom).length > 0)
      claims[`${LTI}/custom`] = { ...activity.custom };
  } else {
    claims[DL_SETTINGS] = {
      deep_link_return_url: baseUrl + profile.paths.deepLinkReturn(course.id),
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true,
      auto_create: false,
      data: source.issueDeepLinkData({ userId: user.id, courseId: course.id, locale: launch.locale }),
      ...(canvas ? { accept_media_types: 'application/vnd.ims.lti.v1.ltilink', ...noise } : {}),
    };
  }

  if (canvas) {
    Object.assign(claims, {
      [`${LTI}/tool_platform`]: {
        guid: source.platformGuid,
        name: 'Emulated Canvas',
        version: 'cloud',
        product_family_code: 'canvas',
        ...noise,
      },
      locale: launch.locale,
      [`${LTI}/custom`]: { canvas_course_id: course.id, canvas_user_id: user.id, ...activity?.custom },
      [`${LTI}/lti11_legacy_user_id`]: identity.legacyUserId,
      [`${LTI}/lti1p1`]: { user_id: identity.legacyUserId, ...noise },
      errors: { errors: {} },
      'https://www.instructure.com/placement': null,
    });
  } else {
    Object.assign(claims, {
      [`${LTI}/tool_platform`]: {
        product_family_code: 'moodle',
        version: '2024100706',
        guid: new URL(baseUrl).hostname,
        name: 'Emulated Moodle',
        description: 'Emulated Moodle 4.5 site',
      },
      [`${LTI}/ext`]: { user_username: identity.username, lms: 'moodle-2' },
    });
  }
  const toolCustom = source.toolCustom?.(course) ?? {};
  if (Object.keys(toolCustom).length > 0)
    claims[`${LTI}/custom`] = { ...toolCustom, ...(claims[`${LTI}/custom`] as object | undefined) };
  const custom = claims[`${LTI}/custom`] as Record<string, string> | undefined;
  if (custom && source.sectionCustom)
    claims[`${LTI}/custom`] = source.sectionCustom(course.id, user.id, custom);
  return claims;
}
