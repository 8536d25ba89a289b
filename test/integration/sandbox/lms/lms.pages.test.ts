import crypto from 'node:crypto';
import request from 'supertest';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../../src/sandbox/lms';
import { authRequestFor, decodeToken, readForm, startToolKeys, type ToolKeys } from './lms.helpers';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
const profiles: LmsProfileName[] = ['moodle', 'canvas'];

describe.each(profiles)('%s emulator: course page and browser flows', (profile) => {
  let toolKeys: ToolKeys;
  let lms: LmsEmulator;
  let tool: { loginUrl: string; launchUrl: string; jwksUrl: string };

  beforeAll(async () => {
    toolKeys = await startToolKeys();
    // The tool on "localhost", the LMS on 127.0.0.1: framed cross-site, as in production.
    const toolBase = toolKeys.baseUrl.replace('127.0.0.1', 'localhost');
    tool = {
      loginUrl: `${toolBase}/lti/login`,
      launchUrl: `${toolBase}/lti/launch`,
      jwksUrl: toolKeys.jwksUrl,
    };
    lms = createLmsEmulator({ profile, tool });
    await lms.start();
  });
  afterAll(async () => {
    await lms.stop();
    await toolKeys.close();
  });

  it('serves a course page that frames the tool through the initiate page', async () => {
    const url = new URL(lms.coursePageUrl(lms.users.learner.id));
    expect(url.origin).toBe(lms.baseUrl);
    expect(url.pathname).toBe(`/course/${lms.course.id}`);
    const response = await request(lms.app)
      .get(url.pathname + url.search)
      .expect(200)
      .expect('content-type', /html/);
    const productName = profile === 'moodle' ? 'Moodle' : 'Canvas';
    expect(response.text).toContain(`<title>Emulated ${productName} course: ${lms.course.title}</title>`);
    const iframe = /<iframe[^>]*>/.exec(response.text)?.[0] ?? '';
    expect(iframe).toContain('title="Zoom class meetings"');
    expect(iframe).toContain('allow="camera; microphone; fullscreen; display-capture; clipboard-write *"');
    const src = /src="([^"]+)"/.exec(iframe)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(src).toBe(`/course/${lms.course.id}/initiate?user=${lms.users.learner.id}`);
    // Canvas answers the platform-storage messages (lti_storage_target=_parent); Moodle does not.
    expect(response.text.includes("data.subject === 'lti.put_data'")).toBe(profile === 'canvas');
  });

  it('frames the tool without clipboard-write on ?clipboard=refused (an LMS that does not delegate it)', async () => {
    const url = new URL(lms.coursePageUrl(lms.users.learner.id));
    const response = await request(lms.app).get(`${url.pathname}${url.search}&clipboard=refused`).expect(200);
    const iframe = /<iframe[^>]*>/.exec(response.text)?.[0] ?? '';
    expect(iframe).toContain('allow="camera; microphone; fullscreen; display-capture"');
    const src = /src="([^"]+)"/.exec(iframe)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(src).toBe(`/course/${lms.course.id}/initiate?user=${lms.users.learner.id}`);
  });

  it('posts the login initiation from the initiate page to the tool login URL', async () => {
    const response = await request(lms.app)
      .get(`/course/${lms.course.id}/initiate?user=${lms.users.instructor.id}`)
      .expect(200)
      .expect('content-type', /html/);
    const form = readForm(response.text);
    expect(form.action).toBe(tool.loginUrl);
    expect(response.text).toMatch(/<form[^>]*method="post"/);
    expect(response.text).toMatch(/<noscript>[\s\S]*<button type="submit">/);
    expect(form.fields).toMatchObject({
      iss: lms.issuer,
      login_hint: lms.users.instructor.id,
      client_id: lms.clientId,
      lti_deployment_id: lms.deploymentId,
      target_link_uri: tool.launchUrl,
    });
    // The hint the browser carried resolves at the auth endpoint.
    const result = await lms.authorize(authRequestFor(lms, form.fields, tool.launchUrl));
    expect(decodeToken(result.fields.id_token).payload.sub).toBe(
      lms.claimsFor(lms.users.instructor.id, { nonce: 'n' }).sub,
    );
  });

  it('passes launch options from the course page through to the login initiation', async () => {
    const url = new URL(lms.coursePageUrl(lms.users.instructor.id, { messageType: 'LtiDeepLinkingRequest' }));
    const page = await request(lms.app)
      .get(url.pathname + url.search)
      .expect(200);
    const src = /<iframe[^>]*src="([^"]+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const initiate = await request(lms.app).get(src).expect(200);
    const result = await lms.authorize(authRequestFor(lms, readForm(initiate.text).fields, tool.launchUrl));
    expect(decodeToken(result.fields.id_token).payload[`${LTI}/message_type`]).toBe('LtiDeepLinkingRequest');
  });

  it('answers 404 for a course page of an unknown user', async () => {
    await request(lms.app).get(`/course/${lms.course.id}?user=nobody`).expect(404);
    await request(lms.app).get(`/course/${lms.course.id}/initiate?user=nobody`).expect(404);
  });

  it('records every request it serves', async () => {
    const before = lms.requestLog.length;
    await request(lms.app).get(new URL(lms.jwksUrl).pathname).expect(200);
    const entry = lms.requestLog[before];
    expect(lms.requestLog).toHaveLength(before + 1);
    expect(entry).toEqual({ method: 'GET', path: new URL(lms.jwksUrl).pathname, at: expect.any(Number) });
  });

  describe('deep-linking return', () => {
    const settingsFor = () => {
      const claims = lms.claimsFor(lms.users.instructor.id, {
        nonce: 'n',
        messageType: 'LtiDeepLinkingRequest',
      });
      return claims[DL] as { deep_link_return_url: string; data: string };
    };
    const response = (settings: { data: string }, overrides: Record<string, unknown> = {}) =>
      toolKeys.sign({
        iss: lms.clientId,
        aud: lms.issuer,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 60,
        nonce: crypto.randomUUID(),
        [`${LTI}/message_type`]: 'LtiDeepLinkingResponse',
        [`${LTI}/version`]: '1.3.0',
        [`${LTI}/deployment_id`]: lms.deploymentId,
        'https://purl.imsglobal.org/spec/lti-dl/claim/data': settings.data,
        'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [
          { type: 'ltiResourceLink', title: 'Weekly Zoom class', url: tool.launchUrl },
        ],
        ...overrides,
      });
    const post = (returnUrl: string, jwt: string) => {
      const url = new URL(returnUrl);
      return request(lms.app)
        .post(url.pathname + url.search)
        .type('form')
        .send({ JWT: jwt });
    };

    it('accepts a response signed by the tool and records its content items', async () => {
      const settings = settingsFor();
      const page = await post(settings.deep_link_return_url, response(settings)).expect(200);
      expect(page.text).toContain('Weekly Zoom class');
      const recorded = lms.deepLinkingReturns[lms.deepLinkingReturns.length - 1];
      expect(recorded?.contentItems).toEqual([expect.objectContaining({ title: 'Weekly Zoom class' })]);
    });

    it('refuses a replayed data value, a wrong issuer, and a signature from another key', async () => {
      const settings = settingsFor();
      await post(settings.deep_link_return_url, response(settings)).expect(200);
      const replay = await post(settings.deep_link_return_url, response(settings)).expect(400);
      expect(replay.text).toMatch(/data/);
      const fresh = settingsFor();
      await post(fresh.deep_link_return_url, response(fresh, { iss: 'someone' })).expect(400);
      const foreign = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const forged = toolKeys.sign(decodeToken(response(fresh)).payload, { key: foreign });
      const refused = await post(fresh.deep_link_return_url, forged).expect(400);
      expect(refused.text).toMatch(/signature/);
    });
  });
});
