import { z } from 'zod';
import { errors } from '../shared/errors';
import { NRPS_SCOPE } from './lti.canvas-config';

/**
 * LTI Dynamic Registration 1.0, the tool's side: read the platform's OpenID configuration, post
 * our client registration (with the platform's registration token), and read back the client id
 * and deployment id the platform gave us. Moodle 4.x and Canvas answer as LTI-NOTES describes;
 * Canvas also reads its privacy level and placements from our registration.
 */
const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const PLATFORM_CONFIG = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TIMEOUT_MS = 10_000;

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
}

async function exchange(url: string, init: RequestInit, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  } catch {
    throw errors.registrationFailed(`The LMS’s ${what} (${url}) could not be reached.`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw errors.registrationFailed(
      `The LMS’s ${what} answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}.`,
    );
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
    scope: NRPS_SCOPE,
    [TOOL_CONFIG]: {
      domain: new URL(publicUrl).host,
      target_link_uri: launchUrl,
      description:
        'Class meetings on Zoom: instructors schedule them from the course, students join with one click.',
      // Instructors need their name and email to get a Zoom user.
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
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
}): Promise<PlatformRegistration> {
  const bearer: Record<string, string> = input.registrationToken
    ? { authorization: `Bearer ${input.registrationToken}` }
    : {};
  const configuration = platformConfiguration.safeParse(
    await exchange(
      input.openidConfigurationUrl,
      { headers: { accept: 'application/json', ...bearer } },
      'configuration',
    ),
  );
  if (!configuration.success) {
    throw errors.registrationFailed('The LMS’s configuration lacks the endpoints a registration needs.');
  }
  const platform = configuration.data;
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
  };
}
