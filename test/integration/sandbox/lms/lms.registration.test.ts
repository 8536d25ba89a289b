import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../../src/sandbox/lms';
import { authRequestFor, decodeToken, fetchJwks, verifyWithJwks } from './lms.helpers';

import {
  changed,
  NRPS_SCOPE,
  PLATFORM_CONFIGURATION,
  post,
  registrationBody,
  startFakeTool,
  tokenOf,
  TOOL_CONFIGURATION,
} from '../../../support/lms-registration';

describe.each<LmsProfileName>(['moodle', 'canvas'])('%s emulator: dynamic registration', (profile) => {
  let lms: LmsEmulator;
  let tool: Awaited<ReturnType<typeof startFakeTool>>;
  const initialClientId = 'preconfigured-client';

  beforeEach(async () => {
    lms = createLmsEmulator({ profile, clientId: initialClientId });
    await lms.start();
    tool = await startFakeTool((baseUrl) => registrationBody(baseUrl, profile));
  });
  afterEach(async () => {
    await lms.stop();
    await tool.close();
  });

  it('opens the tool URL with openid_configuration and a registration token, keeping its query', () => {
    const opened = new URL(lms.beginRegistration(`${tool.baseUrl}/lti/register?invite=abc123`));
    expect(opened.origin + opened.pathname).toBe(`${tool.baseUrl}/lti/register`);
    expect(opened.searchParams.get('invite')).toBe('abc123');
    expect(opened.searchParams.get('openid_configuration')).toBe(lms.openidConfigurationUrl);
    const token = opened.searchParams.get('registration_token') as string;
    expect(token.split('.')).toHaveLength(3);
    const claims = decodeToken(token).payload;
    expect((claims.exp as number) - Date.now() / 1000).toBeGreaterThan(3500);
    expect((claims.exp as number) - Date.now() / 1000).toBeLessThanOrEqual(3601);
    // Two admins pasting the URL get two different tokens.
    expect(tokenOf(lms.beginRegistration(`${tool.baseUrl}/lti/register`))).not.toBe(token);
  });

  it('registers the tool end to end and from then on launches it with the new ids', async () => {
    const page = await fetch(lms.beginRegistration(`${tool.baseUrl}/lti/register?invite=abc123`));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('org.imsglobal.lti.close');

    const [visit] = tool.visits;
    expect(visit?.query.invite).toBe('abc123');
    expect(visit?.configurationStatus).toBe(200);
    expect(visit?.registrationStatus).toBe(200);
    const answer = visit?.registration as Record<string, unknown>;
    const clientId = answer.client_id as string;
    const answered = (answer[TOOL_CONFIGURATION] as Record<string, unknown>).deployment_id;
    const deploymentId = lms.registrations[0]?.deploymentId ?? '';
    expect(clientId).not.toBe(initialClientId);
    if (profile === 'moodle') {
      expect(clientId).toMatch(/^[A-Za-z0-9]{15}$/);
      expect(answered).toBe('2');
      expect(deploymentId).toBe('2');
    } else {
      // Canvas names no deployment in its answer; its launches carry the one the install made.
      expect(clientId).toMatch(/^1\d{13}$/);
      expect(answered).toBeUndefined();
      expect(deploymentId).toMatch(/^\d+:[0-9a-f]{40}$/);
    }
    expect(answer.scope).toBe(NRPS_SCOPE);
    expect(answer.redirect_uris).toEqual([`${tool.baseUrl}/lti/launch`]);

    expect(lms.registrations).toHaveLength(1);
    const [stored] = lms.registrations;
    expect(stored).toMatchObject({
      clientId,
      deploymentId,
      status: profile === 'moodle' ? 'pending' : 'active',
      tool: {
        loginUrl: `${tool.baseUrl}/lti/login`,
        launchUrl: `${tool.baseUrl}/lti/launch`,
        jwksUrl: `${tool.baseUrl}/lti/keys`,
      },
      body: registrationBody(tool.baseUrl, profile),
    });
    if (profile === 'moodle') lms.activateRegistration(clientId);

    expect(lms.clientId).toBe(clientId);
    const initiation = lms.loginInitiation(lms.users.instructor.id);
    expect(initiation.client_id).toBe(clientId);
    expect(initiation.lti_deployment_id).toBe(deploymentId);
    expect(initiation.target_link_uri).toBe(`${tool.baseUrl}/lti/launch`);
    expect(lms.loginInitiationUrl(lms.users.instructor.id)).toMatch(
      new RegExp(`^${tool.baseUrl}/lti/login\\?`),
    );
    const result = await lms.authorize(authRequestFor(lms, initiation, `${tool.baseUrl}/lti/launch`));
    const claims = verifyWithJwks(result.fields.id_token, await fetchJwks(lms)).payload;
    expect(claims.aud).toBe(clientId);
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/deployment_id']).toBe(deploymentId);
  });

  it('answers its OpenID configuration as this LMS does', async () => {
    const token = tokenOf(lms.beginRegistration(`${tool.baseUrl}/lti/register`));
    const response = await fetch(lms.openidConfigurationUrl, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const configuration = (await response.json()) as Record<string, unknown>;
    expect(configuration).toMatchObject({
      issuer: lms.issuer,
      authorization_endpoint: lms.authUrl,
      token_endpoint: lms.tokenUrl,
      jwks_uri: lms.jwksUrl,
      registration_endpoint: lms.registrationEndpointUrl,
      response_types_supported: ['id_token'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    });
    expect(configuration.scopes_supported).toEqual(expect.arrayContaining(['openid', NRPS_SCOPE]));
    expect(configuration.claims_supported).toEqual(expect.arrayContaining(['sub', 'email', 'name']));
    expect(Array.isArray(configuration.subject_types_supported)).toBe(true);
    const platform = configuration[PLATFORM_CONFIGURATION] as Record<string, unknown>;
    expect(platform.product_family_code).toBe(profile);
    expect(typeof platform.version).toBe('string');
    expect((platform.messages_supported as { type: string }[]).map((message) => message.type)).toEqual([
      'LtiResourceLinkRequest',
      'LtiDeepLinkingRequest',
    ]);
    expect(platform.variables).toEqual(expect.arrayContaining(['Person.email.primary']));
    const path = new URL(lms.openidConfigurationUrl).pathname;
    expect(path).toBe(
      profile === 'moodle' ? '/mod/lti/openid-configuration.php' : '/api/lti/security/openid-configuration',
    );
  });

  it(
    profile === 'moodle'
      ? 'serves its OpenID configuration without a token (Moodle checks none)'
      : 'refuses its OpenID configuration without a valid registration token (Canvas)',
    async () => {
      const bare = await fetch(lms.openidConfigurationUrl);
      const wrong = await fetch(lms.openidConfigurationUrl, { headers: { authorization: 'Bearer nope' } });
      if (profile === 'moodle') {
        expect(bare.status).toBe(200);
        expect(wrong.status).toBe(200);
      } else {
        expect(bare.status).toBe(401);
        expect(await bare.json()).toMatchObject({ error: 'missing_registration_token' });
        expect(wrong.status).toBe(401);
        expect(await wrong.json()).toMatchObject({ error: 'invalid_token' });
      }
    },
  );

  it('refuses a reused registration token with 401 and records nothing more', async () => {
    const token = tokenOf(lms.beginRegistration(`${tool.baseUrl}/lti/register`));
    const first = await post(lms, token, registrationBody(tool.baseUrl, profile));
    expect(first.status).toBe(200);
    const again = await post(lms, token, registrationBody(tool.baseUrl, profile));
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ error: 'token_already_used' });
    expect(lms.registrations).toHaveLength(1);
    expect(lms.clientId).toBe(first.body.client_id);
  });

  it('refuses an expired registration token with 401 and records nothing', async () => {
    const token = tokenOf(lms.beginRegistration(`${tool.baseUrl}/lti/register`, { expiresInMs: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await post(lms, token, registrationBody(tool.baseUrl, profile));
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: 'invalid_token' });
    expect(String(response.body.error_description)).toMatch(/expired/);
    expect(lms.registrations).toHaveLength(0);
    expect(lms.clientId).toBe(initialClientId);
  });

  it('refuses a missing or unknown registration token with 401 and records nothing', async () => {
    const missing = await post(lms, undefined, registrationBody(tool.baseUrl, profile));
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ error: 'missing_registration_token' });
    const unknown = await post(lms, 'made-up-token', registrationBody(tool.baseUrl, profile));
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ error: 'invalid_token' });
    expect(lms.registrations).toHaveLength(0);
  });

  const invalid: [string, string, string[], unknown][] = [
    ['application_type', 'not web', ['application_type'], 'native'],
    ['response_types', 'without id_token', ['response_types'], ['code']],
    ['grant_types', 'without client_credentials', ['grant_types'], ['implicit']],
    ['initiate_login_uri', 'missing', ['initiate_login_uri'], undefined],
    ['redirect_uris', 'empty', ['redirect_uris'], []],
    ['redirect_uris.0', 'http off localhost', ['redirect_uris'], ['http://tool.example.com/lti/launch']],
    ['jwks_uri', 'not a URL', ['jwks_uri'], 'not a url'],
    ['client_name', 'empty', ['client_name'], ''],
    ['token_endpoint_auth_method', 'a client secret', ['token_endpoint_auth_method'], 'client_secret_basic'],
    [TOOL_CONFIGURATION, 'missing', [TOOL_CONFIGURATION], undefined],
    [`${TOOL_CONFIGURATION}.domain`, 'missing', [TOOL_CONFIGURATION, 'domain'], undefined],
    [
      `${TOOL_CONFIGURATION}.domain`,
      'not the target host',
      [TOOL_CONFIGURATION, 'domain'],
      'elsewhere.example.com',
    ],
    [`${TOOL_CONFIGURATION}.target_link_uri`, 'missing', [TOOL_CONFIGURATION, 'target_link_uri'], undefined],
    [`${TOOL_CONFIGURATION}.claims`, 'not a list', [TOOL_CONFIGURATION, 'claims'], 'email'],
    [`${TOOL_CONFIGURATION}.messages`, 'missing', [TOOL_CONFIGURATION, 'messages'], undefined],
    [
      `${TOOL_CONFIGURATION}.messages.0.type`,
      'an unsupported message',
      [TOOL_CONFIGURATION, 'messages'],
      [{ type: 'LtiSubmissionReviewRequest' }],
    ],
  ];
  it.each(invalid)(
    'refuses a registration whose %s is %s (400 naming it), keeping the token',
    async (field, _why, path, value) => {
      const token = tokenOf(lms.beginRegistration(`${tool.baseUrl}/lti/register`));
      const response = await post(lms, token, changed(registrationBody(tool.baseUrl, profile), path, value));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_client_metadata', field });
      expect(String(response.body.error_description)).toContain(field);
      expect(lms.registrations).toHaveLength(0);
      // A refused body does not spend the token: the corrected registration goes through.
      expect((await post(lms, token, registrationBody(tool.baseUrl, profile))).status).toBe(200);
    },
  );

  it('refuses a body that is not a JSON object with 400', async () => {
    const token = tokenOf(lms.beginRegistration(`${tool.baseUrl}/lti/register`));
    const response = await post(lms, token, ['application_type', 'web']);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_client_metadata' });
    expect(lms.registrations).toHaveLength(0);
  });

  it('refuses a bad registration URL or lifetime with a clear error', () => {
    expect(() => lms.beginRegistration('not a url')).toThrow(/registration URL must be an http\(s\) URL/);
    expect(() => lms.beginRegistration('ftp://tool.example.com/register')).toThrow(/http\(s\)/);
    expect(() => lms.beginRegistration(`${tool.baseUrl}/lti/register`, { expiresInMs: 0 })).toThrow(
      /expiresInMs must be a positive number/,
    );
    expect(() => lms.activateRegistration('no-such-client')).toThrow(
      /no registration has client id no-such-client/,
    );
  });
});
