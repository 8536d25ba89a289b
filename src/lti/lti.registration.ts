import { z } from 'zod';
import { errors } from '../shared/errors';
import {
  guardedFetch,
  MAX_BODY_BYTES,
  OutboundFailure,
  TIMEOUT_MS,
  type OutboundPolicy,
} from './lti.registration.fetch';
import { grantedServices, TOOL_SCOPES, type GrantedServices } from './lti.scopes';
import { CANVAS_HISTORY_CUSTOM, CONTEXT_HISTORY_CUSTOM } from './lti.context-history';
import { CANVAS_SECTIONS_CUSTOM } from './lti.sections';

/**
 * LTI Dynamic Registration 1.0, the tool's side: read the platform's OpenID configuration, post
 * our client registration (with the platform's registration token), and read back the client id
 * and deployment id the platform gave us. Moodle 4.x and Canvas answer as LTI-NOTES describes;
 * Canvas also reads its privacy level and placements from our registration. Both requests go to
 * URLs the registration link's holder chose, so both go through the guarded fetch.
 */
const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const PLATFORM_CONFIG = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

const platformConfiguration = z.looseObject({
  issuer: z.url(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  registration_endpoint: z.url(),
  [PLATFORM_CONFIG]: z.looseObject({ product_family_code: z.string() }).optional(),
});

const registrationAnswer = z.looseObject({
  client_id: z.string().min(1),
  // The scopes the LMS granted (Moodle: the subset its admin allows); an answer without it granted none we can name.
  scope: z.string().optional().catch(undefined),
  [TOOL_CONFIG]: z.looseObject({ deployment_id: z.string().min(1).optional() }).optional(),
});

export interface PlatformRegistration {
  issuer: string;
  clientId: string;
  /** The deployment the platform made with the registration (Moodle, Canvas), if it said. */
  deploymentId: string | undefined;
  loginUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  productFamily: string | undefined;
  /** What the LMS said it granted, or undefined when its answer did not say (the launches will). */
  granted: GrantedServices | undefined;
}

/** What the LMS admin reads when a request to their LMS failed: its kind and status, never the body. */
function describeFailure(what: string, origin: string, failure: OutboundFailure): string {
  switch (failure.kind) {
    case 'address_refused':
      return `The LMS’s ${what} (${origin}) is at an address this tool does not reach (loopback, private or otherwise not public). If the LMS really is on a private network, the operator of this Zoom tool can allow its host with REGISTRATION_ALLOWED_HOSTS.`;
    case 'timeout':
      return `The LMS’s ${what} (${origin}) did not answer within ${TIMEOUT_MS / 1000} seconds.`;
    case 'too_large':
      return `The LMS’s ${what} (${origin}) answered more than ${MAX_BODY_BYTES / 1024} KiB.`;
    case 'status':
      return `The LMS’s ${what} (${origin}) answered HTTP ${failure.status}.`;
    default:
      return `The LMS’s ${what} (${origin}) could not be reached.`;
  }
}

async function exchange(
  url: string,
  request: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  what: string,
  policy: OutboundPolicy,
): Promise<unknown> {
  let text: string;
  try {
    text = await guardedFetch(url, request, policy);
  } catch (error) {
    if (error instanceof OutboundFailure) {
      throw errors.registrationFailed(describeFailure(what, new URL(url).origin, error));
    }
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw errors.registrationFailed(`The LMS’s ${what} did not answer JSON.`);
  }
}

/** The registration we post: our endpoints, the messages we take, the claims we need. */
export function clientRegistration(publicUrl: string, productFamily: string | undefined) {
  const launchUrl = `${publicUrl}/lti/launch`;
  const canvas = productFamily === 'canvas';
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: `${publicUrl}/lti/login`,
    redirect_uris: [launchUrl],
    client_name: 'Zoom for your course',
    jwks_uri: `${publicUrl}/lti/keys`,
    token_endpoint_auth_method: 'private_key_jwt',
    // Names and Roles, and Assignment and Grade Services (lti.scopes): an LMS may grant a subset.
    scope: TOOL_SCOPES.join(' '),
    [TOOL_CONFIG]: {
      domain: new URL(publicUrl).host,
      target_link_uri: launchUrl,
      description:
        'Class meetings on Zoom: instructors schedule them from the course, students join with one click.',
      // Instructors need their name and email to get a Zoom user.
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      // The course's copy history (next term): the LMS substitutes what it knows.
      // … and Canvas's sections of the launching person (lti.sections.ts); Moodle sends none.
      custom_parameters: {
        ...(canvas ? { ...CANVAS_HISTORY_CUSTOM, ...CANVAS_SECTIONS_CUSTOM } : CONTEXT_HISTORY_CUSTOM),
      },
      messages: [
        {
          type: 'LtiResourceLinkRequest',
          target_link_uri: launchUrl,
          label: 'Zoom',
          ...(canvas ? { placements: ['course_navigation'] } : {}),
        },
        {
          type: 'LtiDeepLinkingRequest',
          target_link_uri: launchUrl,
          label: 'Zoom class meeting',
          ...(canvas ? { placements: ['link_selection'] } : {}),
        },
      ],
      ...(canvas ? { 'https://canvas.instructure.com/lti/privacy_level': 'public' } : {}),
    },
  };
}

export async function registerWithPlatform(input: {
  openidConfigurationUrl: string;
  registrationToken: string | undefined;
  publicUrl: string;
  /** Which addresses the two requests may reach (lti.registration.fetch). */
  outbound: OutboundPolicy;
  /** Refuses the issuer the configuration names before anything is posted to the LMS (another school's). */
  checkIssuer: (platform: { issuer: string; loginUrl: string; jwksUrl: string }) => Promise<void>;
}): Promise<PlatformRegistration> {
  const bearer: Record<string, string> = input.registrationToken
    ? { authorization: `Bearer ${input.registrationToken}` }
    : {};
  const configuration = platformConfiguration.safeParse(
    await exchange(
      input.openidConfigurationUrl,
      { method: 'GET', headers: { accept: 'application/json', ...bearer } },
      'configuration',
      input.outbound,
    ),
  );
  if (!configuration.success) {
    throw errors.registrationFailed('The LMS’s configuration lacks the endpoints a registration needs.');
  }
  const platform = configuration.data;
  await input.checkIssuer({
    issuer: platform.issuer,
    loginUrl: platform.authorization_endpoint,
    jwksUrl: platform.jwks_uri,
  });
  const productFamily = platform[PLATFORM_CONFIG]?.product_family_code;
  const answer = registrationAnswer.safeParse(
    await exchange(
      platform.registration_endpoint,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...bearer },
        body: JSON.stringify(clientRegistration(input.publicUrl, productFamily)),
      },
      'registration service',
      input.outbound,
    ),
  );
  if (!answer.success)
    throw errors.registrationFailed('The LMS’s answer to the registration names no client id.');
  return {
    issuer: platform.issuer,
    clientId: answer.data.client_id,
    deploymentId: answer.data[TOOL_CONFIG]?.deployment_id,
    loginUrl: platform.authorization_endpoint,
    tokenUrl: platform.token_endpoint,
    jwksUrl: platform.jwks_uri,
    productFamily,
    granted: answer.data.scope === undefined ? undefined : grantedServices(answer.data.scope),
  };
}
