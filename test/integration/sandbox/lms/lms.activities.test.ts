import crypto from 'node:crypto';
import request from 'supertest';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../../src/sandbox/lms';
import { startToolKeys, type ToolKeys } from './lms.helpers';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const profiles: LmsProfileName[] = ['moodle', 'canvas'];

/**
 * What Moodle's "Select content" and Canvas's link selection do with the picker's answer: a link per
 * ltiResourceLink item, launched with the item's title and custom parameters (Moodle: the
 * activity's "Custom parameters"; Canvas: beside its own canvas_* ones); an empty answer (Cancel)
 * creates nothing and closes the picker, Canvas showing the tool's message, Moodle not.
 */
describe.each(profiles)('%s emulator: links created by the content picker', (profile) => {
  let toolKeys: ToolKeys;
  let lms: LmsEmulator;

  beforeAll(async () => {
    toolKeys = await startToolKeys();
    const base = toolKeys.baseUrl;
    lms = createLmsEmulator({
      profile,
      tool: { loginUrl: `${base}/lti/login`, launchUrl: `${base}/lti/launch`, jwksUrl: toolKeys.jwksUrl },
    });
    await lms.start();
  });
  afterAll(async () => {
    await lms.stop();
    await toolKeys.close();
  });

  /** A picker's launch for the instructor, answered by the tool with these items and message. */
  async function answerPicker(items: unknown[], msg?: string, locale?: string) {
    const settings = lms.claimsFor(lms.users.instructor.id, {
      nonce: 'n',
      messageType: 'LtiDeepLinkingRequest',
      locale,
    })[`${DL}deep_linking_settings`] as { deep_link_return_url: string; data: string };
    const now = Math.floor(Date.now() / 1000);
    const jwt = toolKeys.sign({
      iss: lms.clientId,
      aud: lms.issuer,
      iat: now,
      exp: now + 60,
      nonce: crypto.randomUUID(),
      [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: lms.deploymentId,
      [`${DL}data`]: settings.data,
      [`${DL}content_items`]: items,
      ...(msg ? { [`${DL}msg`]: msg } : {}),
    });
    const url = new URL(settings.deep_link_return_url);
    return request(lms.app)
      .post(url.pathname + url.search)
      .type('form')
      .send({ JWT: jwt })
      .expect(200);
  }

  const coursePage = (locale?: string) => {
    const url = new URL(lms.coursePageUrl(lms.users.instructor.id, { locale }));
    return request(lms.app).get(url.pathname + url.search);
  };

  it('creates a link per resource-link item and launches it with its title and custom parameters', async () => {
    const returned = await answerPicker(
      [
        {
          type: 'ltiResourceLink',
          title: 'Weekly lab',
          text: 'Mondays',
          custom: { meeting_id: 'm-1', n: 3 },
        },
        { type: 'html', html: '<p>ignored</p>' },
      ],
      'Added “Weekly lab”',
    );
    const [activity] = lms.deepLinkingReturns.at(-1)?.activities ?? [];
    expect(lms.deepLinkingReturns.at(-1)?.activities).toHaveLength(1);
    expect(activity).toMatchObject({
      title: 'Weekly lab',
      text: 'Mondays',
      custom: { meeting_id: 'm-1', n: '3' },
    });
    expect(lms.activities).toContainEqual(activity);
    // The picker closes: its frame sends the whole window back to the course page.
    expect(returned.text).toContain('Content added to the course');
    expect(returned.text).toContain('window.top.location.href');
    expect(returned.text).toMatch(/id="back-to-course" href="\/course\/[^"]+" target="_top"/);

    const claims = lms.claimsFor(lms.users.learner.id, {
      nonce: 'n',
      resourceLinkId: activity?.resourceLinkId,
    });
    expect(claims[`${LTI}resource_link`]).toMatchObject({
      id: activity?.resourceLinkId,
      title: 'Weekly lab',
      description: 'Mondays',
    });
    if (profile === 'moodle') {
      // With the tool's own custom parameter, substituted (no copy history).
      expect(claims[`${LTI}custom`]).toEqual({ context_id_history: '', meeting_id: 'm-1', n: '3' });
    } else {
      expect(claims[`${LTI}custom`]).toEqual({
        canvas_course_id: lms.course.id,
        canvas_user_id: lms.users.learner.id,
        context_id_history: '',
        canvas_previous_context_ids: '',
        section_ids: '',
        section_names: '[]',
        meeting_id: 'm-1',
        n: '3',
      });
    }
    // The course's own link still launches without them.
    const plain = lms.claimsFor(lms.users.learner.id, { nonce: 'n' });
    expect(plain[`${LTI}resource_link`]).toMatchObject({ title: 'Zoom class meetings' });
    expect((plain[`${LTI}custom`] as Record<string, string> | undefined)?.meeting_id).toBeUndefined();

    // The course page says it once, and lists the new link to open it.
    const first = (await coursePage()).text;
    expect(first).toMatch(/role="status"[^>]*><h2 id="notice-heading">Content added to the course<\/h2>/);
    expect(first).toContain('<p>Added: Weekly lab</p>');
    expect(first).toContain(`resourceLinkId=${encodeURIComponent(activity?.resourceLinkId ?? '')}`);
    const again = (await coursePage()).text;
    expect(again).not.toContain('Content added to the course');
    expect(again).toMatch(
      /<h2 id="activities-heading">Activities<\/h2><ul><li><a href="[^"]+">Weekly lab<\/a>/,
    );
  });

  it('an empty answer (Cancel) creates nothing and closes the picker', async () => {
    const before = lms.activities.length;
    const returned = await answerPicker([], 'Nothing was added to the course.', 'es');
    expect(lms.activities).toHaveLength(before);
    expect(lms.deepLinkingReturns.at(-1)?.activities).toEqual([]);
    expect(returned.text).toContain('Nothing was added to the course');
    // Back to the course page in the picker's language.
    expect(returned.text).toMatch(/href="\/course\/[^"]+locale=es"/);
    const page = (await coursePage('es')).text;
    expect(page).toContain('<h2 id="notice-heading">Nothing was added to the course</h2>');
    // Moodle closes its dialogue without the tool's message; Canvas shows it.
    expect(page.includes('<p>Nothing was added to the course.</p>')).toBe(profile === 'canvas');
  });
});
