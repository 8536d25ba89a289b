import request from 'supertest';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../../src/sandbox/lms';
import {
  authRequestFor,
  decodeToken,
  fetchJwks,
  readForm,
  toolEndpointsAt,
  verifyWithJwks,
} from './lms.helpers';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';
const tool = toolEndpointsAt('http://localhost:3999');
const profiles: LmsProfileName[] = ['moodle', 'canvas'];

async function launch(lms: LmsEmulator, userId: string, options = {}) {
  const initiation = lms.loginInitiation(userId, options);
  const auth = authRequestFor(lms, initiation, tool.launchUrl);
  const result = await lms.authorize(auth);
  const verified = verifyWithJwks(result.fields.id_token, await fetchJwks(lms));
  return { initiation, auth, result, claims: verified.payload, header: verified.header };
}

describe.each(profiles)('%s emulator: login and launch', (profile) => {
  let lms: LmsEmulator;

  beforeAll(async () => {
    lms = createLmsEmulator({ profile, tool });
    await lms.start();
  });
  afterAll(() => lms.stop());

  it('sends the login initiation parameters this LMS sends', () => {
    const params = lms.loginInitiation(lms.users.instructor.id);
    const common = [
      'client_id',
      'iss',
      'login_hint',
      'lti_deployment_id',
      'lti_message_hint',
      'target_link_uri',
    ];
    const canvasOnly = ['canvas_environment', 'canvas_region', 'lti_storage_target'];
    expect(Object.keys(params).sort()).toEqual(
      profile === 'canvas' ? [...canvasOnly, ...common].sort() : common,
    );
    expect(params).toMatchObject({
      iss: lms.issuer,
      target_link_uri: tool.launchUrl,
      login_hint: lms.users.instructor.id,
      client_id: lms.clientId,
      lti_deployment_id: lms.deploymentId,
    });
    if (profile === 'moodle') {
      expect(lms.issuer).toBe(lms.baseUrl);
      expect(lms.clientId).toMatch(/^[A-Za-z0-9]{15}$/);
      expect(lms.deploymentId).toBe('1');
      expect(JSON.parse(params.lti_message_hint!)).toEqual({
        cmid: 1,
        launchid: expect.stringMatching(/^ltilaunch1_/),
      });
    } else {
      expect(lms.issuer).toBe('https://canvas.instructure.com');
      expect(lms.clientId).toMatch(/^1\d{13}$/);
      expect(lms.deploymentId).toMatch(/^\d+:[0-9a-f]{40}$/);
      expect(params).toMatchObject({
        canvas_region: 'us-east-1',
        canvas_environment: 'prod',
        lti_storage_target: '_parent',
      });
      expect(decodeToken(params.lti_message_hint!).header.alg).toBe('HS256');
    }
    const url = new URL(lms.loginInitiationUrl(lms.users.learner.id));
    expect(url.origin + url.pathname).toBe(tool.loginUrl);
    expect(url.searchParams.get('login_hint')).toBe(lms.users.learner.id);
  });

  it('answers a valid authentication request with a signed id token for the tool, echoing nonce and state', async () => {
    const { auth, result, claims, header } = await launch(lms, lms.users.instructor.id);
    expect(result.action).toBe(tool.launchUrl);
    expect(result.fields.state).toBe(auth.state);
    expect(header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(claims).toMatchObject({
      iss: lms.issuer,
      aud: lms.clientId,
      nonce: auth.nonce,
      given_name: 'Terry',
      family_name: 'Teacher',
      name: 'Terry Teacher',
      email: lms.users.instructor.email,
      [`${LTI}/message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}/version`]: '1.3.0',
      [`${LTI}/deployment_id`]: lms.deploymentId,
      [`${LTI}/target_link_uri`]: tool.launchUrl,
      [`${LTI}/resource_link`]: expect.objectContaining({
        id: expect.any(String),
        title: expect.any(String),
      }),
      [`${LTI}/roles`]: expect.arrayContaining([`${LIS}/membership#Instructor`]),
      [`${LTI}/context`]: expect.objectContaining({
        id: lms.course.contextId,
        label: lms.course.label,
        title: lms.course.title,
      }),
      [`${LTI}/launch_presentation`]: expect.objectContaining({ document_target: 'iframe', locale: 'en' }),
      [NRPS]: expect.objectContaining({ context_memberships_url: expect.stringContaining(lms.baseUrl) }),
      'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': expect.objectContaining({
        lineitems: expect.any(String),
      }),
    });
    expect(typeof claims.aud).toBe('string');
    expect(claims.exp).toBe(Number(claims.iat) + (profile === 'moodle' ? 60 : 3600));
    expect(Math.abs(Number(claims.iat) - Date.now() / 1000)).toBeLessThan(5);
    expect(claims[`${LTI}/resource_link`]).toHaveProperty('description');
    expect(claims).not.toHaveProperty(DL);
  });

  if (profile === 'moodle') {
    it('carries the Moodle 4.x specifics', async () => {
      const { claims } = await launch(lms, lms.users.instructor.id);
      expect(claims.sub).toBe('3');
      expect(claims).not.toHaveProperty('azp');
      expect(claims[`${LTI}/context`]).toMatchObject({ id: '2', type: ['CourseSection'] });
      expect(claims[`${LTI}/ext`]).toEqual({ user_username: 'teacher', lms: 'moodle-2' });
      expect(claims[`${LTI}/tool_platform`]).toMatchObject({ product_family_code: 'moodle' });
      expect(claims[NRPS]).toEqual({
        context_memberships_url: `${lms.baseUrl}/mod/lti/services.php/CourseSection/2/bindings/1/memberships`,
        service_versions: ['1.0', '2.0'],
      });
      expect(claims[`${LTI}/launch_presentation`]).toMatchObject({
        return_url: expect.stringMatching(new RegExp(`^${lms.baseUrl}/mod/lti/return\\.php\\?course=2&`)),
      });
    });

    it('gives the site admin the administrator roles and the non-editing teacher Instructor', async () => {
      expect((await launch(lms, lms.users.admin.id)).claims[`${LTI}/roles`]).toEqual([
        `${LIS}/institution/person#Administrator`,
        `${LIS}/membership#Instructor`,
        `${LIS}/system/person#Administrator`,
      ]);
      expect((await launch(lms, lms.users.ta.id)).claims[`${LTI}/roles`]).toEqual([
        `${LIS}/membership#Instructor`,
      ]);
      expect((await launch(lms, lms.users.learner.id)).claims[`${LTI}/roles`]).toEqual([
        `${LIS}/membership#Learner`,
      ]);
    });
  } else {
    it('carries the Canvas specifics', async () => {
      const { claims } = await launch(lms, lms.users.learner.id);
      expect(claims.azp).toBe(lms.clientId);
      expect(claims.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(claims.locale).toBe('en');
      expect(claims).toHaveProperty(['https://www.instructure.com/placement'], null);
      expect(claims[`${LTI}/context`]).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f]{40}$/),
        type: [`${LIS}/course#CourseOffering`],
      });
      expect(claims[`${LTI}/lti11_legacy_user_id`]).toMatch(/^[0-9a-f]{40}$/);
      expect(claims[`${LTI}/lti1p1`]).toMatchObject({ user_id: claims[`${LTI}/lti11_legacy_user_id`] });
      expect(claims[`${LTI}/tool_platform`]).toMatchObject({
        guid: expect.stringMatching(/:canvas-lms$/),
        name: expect.any(String),
        version: 'cloud',
        product_family_code: 'canvas',
      });
      // With the tool's own custom fields (canvas.json's), substituted: no copy history, no section.
      expect(claims[`${LTI}/custom`]).toEqual({
        canvas_course_id: lms.course.id,
        canvas_user_id: lms.users.learner.id,
        context_id_history: '',
        canvas_previous_context_ids: '',
        section_ids: '',
        section_names: '[]',
      });
      expect(claims[NRPS]).toMatchObject({
        context_memberships_url: `${lms.baseUrl}/api/lti/courses/${lms.course.id}/names_and_roles`,
        service_versions: ['2.0'],
      });
      expect(claims[`${LTI}/roles`]).toEqual([
        `${LIS}/institution/person#Student`,
        `${LIS}/membership#Learner`,
        `${LIS}/system/person#User`,
      ]);
    });

    it('sends Canvas admin and TA role sets, and the admin named by email', async () => {
      const admin = (await launch(lms, lms.users.admin.id)).claims;
      expect(admin).toMatchObject({ given_name: lms.users.admin.email, family_name: '' });
      expect(admin[`${LTI}/roles`]).toEqual(
        expect.arrayContaining([
          `${LIS}/institution/person#Administrator`,
          `${LIS}/system/person#SysAdmin`,
          `${LIS}/system/person#User`,
          `${LIS}/membership#Instructor`,
        ]),
      );
      expect((await launch(lms, lms.users.ta.id)).claims[`${LTI}/roles`]).toEqual(
        expect.arrayContaining([
          `${LIS}/membership/instructor#TeachingAssistant`,
          `${LIS}/institution/person#Instructor`,
        ]),
      );
    });
  }

  it('sends deep-linking requests with settings pointing back to the emulator and no resource link', async () => {
    const { claims } = await launch(lms, lms.users.instructor.id, { messageType: 'LtiDeepLinkingRequest' });
    expect(claims[`${LTI}/message_type`]).toBe('LtiDeepLinkingRequest');
    expect(claims).not.toHaveProperty(`${LTI}/resource_link`);
    expect(claims[DL]).toMatchObject({
      deep_link_return_url: expect.stringMatching(new RegExp(`^${lms.baseUrl}/`)),
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
    });
  });

  it('carries the launch options given at login initiation into the id token', async () => {
    const options = {
      resourceLinkId: 'link-7',
      targetLinkUri: `${tool.launchUrl}?x=1`,
      deploymentId: 'dep-2',
      courseId: '77',
    };
    const { claims } = await launch(lms, lms.users.learner.id, options);
    expect(claims[`${LTI}/resource_link`]).toMatchObject({ id: 'link-7' });
    expect(claims[`${LTI}/target_link_uri`]).toBe(options.targetLinkUri);
    expect(claims[`${LTI}/deployment_id`]).toBe('dep-2');
    expect(claims[`${LTI}/context`]).toMatchObject({ title: 'Course 77' });
  });

  it('applies a claims tamper before signing, and the token still verifies', async () => {
    const initiation = lms.loginInitiation(lms.users.learner.id);
    const result = await lms.authorize(authRequestFor(lms, initiation, tool.launchUrl), {
      claims: (claims) => {
        claims.nonce = 'replaced';
        delete claims[`${LTI}/deployment_id`];
      },
    });
    const { payload } = verifyWithJwks(result.fields.id_token, await fetchJwks(lms));
    expect(payload.nonce).toBe('replaced');
    expect(payload).not.toHaveProperty(`${LTI}/deployment_id`);
  });

  it('lets a tamper sign mode reach the id token from authorize', async () => {
    const initiation = lms.loginInitiation(lms.users.learner.id);
    const result = await lms.authorize(authRequestFor(lms, initiation, tool.launchUrl), { sign: 'none' });
    expect(decodeToken(result.fields.id_token).header.alg).toBe('none');
  });

  it('accepts the request as an absolute URL, a query string or URLSearchParams', async () => {
    for (const shape of ['url', 'query', 'params'] as const) {
      const auth = authRequestFor(lms, lms.loginInitiation(lms.users.learner.id), tool.launchUrl);
      const query = new URLSearchParams(auth);
      const input =
        shape === 'url'
          ? `${lms.authUrl}?${query.toString()}`
          : shape === 'query'
            ? `?${query.toString()}`
            : query;
      const result = await lms.authorize(input);
      expect(decodeToken(result.fields.id_token).payload.nonce).toBe(auth.nonce);
    }
  });

  it('serves the auth endpoint over GET and POST, answering an auto-post form to the redirect_uri', async () => {
    const authPath = profile === 'moodle' ? '/mod/lti/auth.php' : '/api/lti/authorize_redirect';
    expect(lms.authUrl).toBe(`${lms.baseUrl}${authPath}`);
    const viaGet = authRequestFor(lms, lms.loginInitiation(lms.users.learner.id), tool.launchUrl);
    const getPage = await request(lms.app)
      .get(authPath)
      .query(viaGet)
      .expect(200)
      .expect('content-type', /html/);
    const viaPost = authRequestFor(lms, lms.loginInitiation(lms.users.learner.id), tool.launchUrl);
    const postPage = await request(lms.app).post(authPath).type('form').send(viaPost).expect(200);
    for (const [page, auth] of [
      [getPage.text, viaGet],
      [postPage.text, viaPost],
    ] as const) {
      const form = readForm(page);
      expect(form.action).toBe(tool.launchUrl);
      expect(Object.keys(form.fields).sort()).toEqual(['id_token', 'state']);
      expect(form.fields.state).toBe(auth.state);
      expect(decodeToken(form.fields.id_token!).payload.nonce).toBe(auth.nonce);
      expect(page).toMatch(/<form[^>]*method="post"/);
      expect(page).toMatch(/<noscript>[\s\S]*<button type="submit">/);
      expect(page).toMatch(/\.submit\(\)/);
    }
  });
});

describe.each(profiles)('%s emulator with shareEmail false', (profile) => {
  let lms: LmsEmulator;
  beforeAll(async () => {
    lms = createLmsEmulator({ profile, tool, shareEmail: false });
    await lms.start();
  });
  afterAll(() => lms.stop());

  it('withholds email from the id token but still sends names', async () => {
    const { claims } = await launch(lms, lms.users.instructor.id);
    expect(claims).not.toHaveProperty('email');
    expect(claims).toMatchObject({ given_name: 'Terry', family_name: 'Teacher', name: 'Terry Teacher' });
  });
});

describe('emulator options', () => {
  it('uses the issuer, client id and deployment id it is given', async () => {
    const lms = createLmsEmulator({
      profile: 'canvas',
      tool,
      issuer: 'https://canvas.test.instructure.com',
      clientId: '10000000000042',
      deploymentId: '7:abc',
    });
    await lms.start();
    try {
      const { claims } = await launch(lms, lms.users.learner.id);
      expect(claims).toMatchObject({
        iss: 'https://canvas.test.instructure.com',
        aud: '10000000000042',
        [`${LTI}/deployment_id`]: '7:abc',
      });
    } finally {
      await lms.stop();
    }
  });

  it('refuses a login initiation before a tool is set, and works after setTool', async () => {
    const lms = createLmsEmulator({ profile: 'moodle', port: 0 });
    await lms.start();
    try {
      expect(() => lms.loginInitiation(lms.users.learner.id)).toThrow(/setTool/);
      lms.setTool(tool);
      expect(lms.loginInitiation(lms.users.learner.id).target_link_uri).toBe(tool.launchUrl);
    } finally {
      await lms.stop();
    }
  });

  it('launches users added with addUser', async () => {
    const lms = createLmsEmulator({ profile: 'moodle', tool });
    await lms.start();
    try {
      lms.addUser({
        id: '42',
        givenName: 'Extra',
        familyName: 'Person',
        name: 'Extra Person',
        roles: ['Learner'],
      });
      const { claims } = await launch(lms, '42');
      expect(claims).toMatchObject({ sub: '42', name: 'Extra Person', [`${LTI}/roles`]: ['Learner'] });
      expect(claims).not.toHaveProperty('email');
    } finally {
      await lms.stop();
    }
  });
});
