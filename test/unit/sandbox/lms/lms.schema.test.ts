import { TOOL_CONFIGURATION, clientRegistrationSchema } from '../../../../src/sandbox/lms/lms.schema';

function registration(url: string): Record<string, unknown> {
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['client_credentials', 'implicit'],
    initiate_login_uri: `${url}/lti/login`,
    redirect_uris: [`${url}/lti/launch`],
    jwks_uri: `${url}/lti/keys`,
    client_name: 'Zoom for courses',
    token_endpoint_auth_method: 'private_key_jwt',
    [TOOL_CONFIGURATION]: {
      domain: new URL(url).host,
      target_link_uri: `${url}/lti/launch`,
      claims: ['sub', 'email'],
      messages: [{ type: 'LtiResourceLinkRequest' }],
      'https://canvas.instructure.com/lti/privacy_level': 'public',
    },
    'https://canvas.instructure.com/lti/vendor': 'Example',
  };
}

describe('the client registration schema of the LMS emulator', () => {
  it.each([
    'https://tool.example.com',
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://[::1]:3000',
  ])('accepts tool URLs at %s', (url) => {
    expect(clientRegistrationSchema.safeParse(registration(url)).success).toBe(true);
  });

  it.each(['http://tool.example.com', 'ftp://tool.example.com', 'http://127.0.0.1.example.com'])(
    'refuses tool URLs at %s, naming the first bad field',
    (url) => {
      const parsed = clientRegistrationSchema.safeParse(registration(url));
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['initiate_login_uri']);
      expect(parsed.error?.issues[0]?.message).toBe('must be an https URL (http only on localhost)');
    },
  );

  it('keeps members it does not know (Canvas extensions) so they can be echoed', () => {
    const parsed = clientRegistrationSchema.parse(registration('https://tool.example.com'));
    expect(parsed['https://canvas.instructure.com/lti/vendor']).toBe('Example');
    expect(parsed[TOOL_CONFIGURATION]['https://canvas.instructure.com/lti/privacy_level']).toBe('public');
  });
});
