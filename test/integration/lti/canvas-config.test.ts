import request from 'supertest';
import { z } from 'zod';
import { createLtiHarness, TOOL_URL, type LtiHarness } from '../../support/lti-harness';

/**
 * The developer-key JSON a Canvas admin points Canvas at (Developer Keys › + LTI Key › Enter URL):
 * public, built from PUBLIC_URL, and every URL in it works with this tool.
 */
const canvasJson = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  oidc_initiation_url: z.url(),
  target_link_uri: z.url(),
  public_jwk_url: z.url(),
  scopes: z.array(z.string()),
  custom_fields: z.record(z.string(), z.string()),
  extensions: z
    .array(
      z.object({
        platform: z.literal('canvas.instructure.com'),
        domain: z.string(),
        privacy_level: z.enum(['anonymous', 'name_only', 'email_only', 'public']),
        settings: z.object({
          placements: z.array(
            z.object({
              placement: z.string(),
              message_type: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']),
              target_link_uri: z.url(),
            }),
          ),
        }),
      }),
    )
    .length(1),
});

describe('GET /lti/canvas.json', () => {
  let h: LtiHarness;
  let config: z.infer<typeof canvasJson>;
  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'canvas' });
    const response = await request(h.app).get('/lti/canvas.json');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    config = canvasJson.parse(response.body);
  });
  afterAll(() => h.close());

  it('needs no launch and names this tool’s login, launch and key URLs', () => {
    expect(config.oidc_initiation_url).toBe(`${TOOL_URL}/lti/login`);
    expect(config.target_link_uri).toBe(`${TOOL_URL}/lti/launch`);
    expect(config.public_jwk_url).toBe(`${TOOL_URL}/lti/keys`);
    expect(config.extensions[0]?.domain).toBe(new URL(TOOL_URL).host);
  });

  it('asks for names and emails (privacy public), Names and Roles, and Assignment and Grade Services', () => {
    expect(config.extensions[0]?.privacy_level).toBe('public');
    expect(config.scopes).toEqual([
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
    ]);
  });

  it('places the tool in the course navigation (launch) and the link picker (deep linking)', () => {
    const placements = config.extensions[0]?.settings.placements ?? [];
    expect(placements.map((p) => [p.placement, p.message_type])).toEqual([
      ['course_navigation', 'LtiResourceLinkRequest'],
      ['link_selection', 'LtiDeepLinkingRequest'],
    ]);
    for (const placement of placements) expect(placement.target_link_uri).toBe(config.target_link_uri);
  });

  it('names URLs that work: the key set answers, and a login for that launch URL is accepted', async () => {
    const keys = await request(h.app).get(new URL(config.public_jwk_url).pathname);
    expect(keys.status).toBe(200);
    expect(keys.body.keys.length).toBeGreaterThan(0);
    const login = await h.login(h.lms.users.learner.id, undefined, {
      target_link_uri: config.target_link_uri,
    });
    // Canvas offers platform storage: the login's page keeps the state there, then goes to Canvas.
    expect(login.status).toBe(200);
    expect(new URL(login.location).searchParams.get('redirect_uri')).toBe(config.target_link_uri);
  });
});
