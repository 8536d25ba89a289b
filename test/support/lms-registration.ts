import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { LmsEmulator, LmsProfileName } from '../../src/sandbox/lms';

/** A fake tool and the registration it posts, for the LMS emulator's dynamic registration tests. */
export const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
export const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
export const CANVAS_PRIVACY = 'https://canvas.instructure.com/lti/privacy_level';

/** What the fake tool saw and got during one registration. */
interface ToolVisit {
  query: Record<string, string>;
  configurationStatus: number;
  configuration: Record<string, unknown>;
  registrationStatus: number;
  registration: Record<string, unknown>;
}

/**
 * A tiny tool that does what ours will do at GET /lti/register: read the platform's OpenID
 * configuration (with the registration token as Bearer), post its client registration to the
 * registration endpoint with the token, and answer the page that closes the LMS's dialog.
 */
export async function startFakeTool(bodyFor: (baseUrl: string) => Record<string, unknown>) {
  const visits: ToolVisit[] = [];
  const app = express();
  let baseUrl = '';
  app.get('/lti/register', async (req, res) => {
    const query = req.query as Record<string, string>;
    const bearer = { authorization: `Bearer ${query.registration_token}` };
    const configurationResponse = await fetch(query.openid_configuration as string, { headers: bearer });
    const configuration = (await configurationResponse.json()) as Record<string, unknown>;
    const registrationResponse = await fetch(configuration.registration_endpoint as string, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify(bodyFor(baseUrl)),
    });
    visits.push({
      query,
      configurationStatus: configurationResponse.status,
      configuration,
      registrationStatus: registrationResponse.status,
      registration: (await registrationResponse.json()) as Record<string, unknown>,
    });
    res
      .type('html')
      .send(
        '<script>(window.opener || window.parent).postMessage({subject: "org.imsglobal.lti.close"}, "*");</script>',
      );
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    visits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function registrationBody(baseUrl: string, profile: LmsProfileName): Record<string, unknown> {
  const canvas = profile === 'canvas';
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: `${baseUrl}/lti/login`,
    redirect_uris: [`${baseUrl}/lti/launch`],
    client_name: 'Zoom for courses',
    jwks_uri: `${baseUrl}/lti/keys`,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: `${NRPS_SCOPE} https://example.com/unknown-scope`,
    [TOOL_CONFIGURATION]: {
      domain: new URL(baseUrl).host,
      target_link_uri: `${baseUrl}/lti/launch`,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      messages: [
        { type: 'LtiResourceLinkRequest', ...(canvas ? { placements: ['course_navigation'] } : {}) },
        { type: 'LtiDeepLinkingRequest', target_link_uri: `${baseUrl}/lti/launch` },
      ],
      ...(canvas ? { [CANVAS_PRIVACY]: 'public' } : {}),
    },
  };
}

/** Deep-clones the body and applies a change at a dotted path (undefined deletes the member). */
export function changed(
  body: Record<string, unknown>,
  path: string[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(body);
  let target = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

export async function post(lms: LmsEmulator, token: string | undefined, body: unknown) {
  const response = await fetch(lms.registrationEndpointUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const tokenOf = (url: string) => new URL(url).searchParams.get('registration_token') as string;
