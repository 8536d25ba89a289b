import { addPlatformInput } from '../../../src/tenants/tenants.schema';

const base = {
  issuer: 'https://canvas.instructure.com',
  clientId: '10000000000042',
  loginUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
  tokenUrl: 'https://sso.canvaslms.com/login/oauth2/token',
  jwksUrl: 'https://sso.canvaslms.com/api/lti/security/jwks',
  school: 'East College',
};

describe('a registration’s deployments', () => {
  it('need at least one, unless new deployments are accepted', () => {
    const refused = addPlatformInput.safeParse({ ...base, deployments: [] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues).toEqual([
      expect.objectContaining({ path: ['deployments'], message: 'at least one --deployment is required' }),
    ]);
  });

  it('may be none yet when the first one launches carry is accepted (Canvas’s dynamic registration)', () => {
    const parsed = addPlatformInput.parse({ ...base, deployments: [], acceptNewDeployments: true });
    expect(parsed.deployments).toEqual([]);
  });
});
