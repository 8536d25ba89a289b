import request from 'supertest';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../../src/sandbox/lms';
import { authRequestFor, decodeToken, readForm, toolEndpointsAt } from './lms.helpers';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
const tool = toolEndpointsAt('http://localhost:3999');
const profiles: LmsProfileName[] = ['moodle', 'canvas'];

/** The emulator launches a person in the language their LMS shows them (`launch_presentation.locale`). */
describe.each(profiles)('%s emulator: the launch locale', (profile) => {
  let lms: LmsEmulator;

  beforeAll(async () => {
    lms = createLmsEmulator({ profile, tool });
    await lms.start();
  });
  afterAll(() => lms.stop());

  const claimsOf = async (initiation: Record<string, string>) => {
    const result = await lms.authorize(authRequestFor(lms, initiation, tool.launchUrl));
    return decodeToken(result.fields.id_token).payload;
  };

  it('launches in English unless told otherwise', async () => {
    const claims = await claimsOf(lms.loginInitiation(lms.users.learner.id));
    expect(claims[`${LTI}/launch_presentation`]).toMatchObject({ locale: 'en' });
  });

  it('launches in the locale a launch option asks for, where this LMS puts it', async () => {
    const initiation = lms.loginInitiation(lms.users.learner.id, { locale: 'es-MX' });
    const claims = await claimsOf(initiation);
    expect(claims[`${LTI}/launch_presentation`]).toMatchObject({
      locale: 'es-MX',
      document_target: 'iframe',
    });
    if (profile === 'canvas') {
      expect(claims.locale).toBe('es-MX');
      const hint = decodeToken(String(initiation.lti_message_hint)).payload;
      expect(hint.canvas_locale).toBe('es-MX');
    } else {
      expect(claims).not.toHaveProperty('locale');
    }
  });

  it('carries the locale from the course page through its frame, view-as and deep-linking links', async () => {
    const url = new URL(lms.coursePageUrl(lms.users.instructor.id, { locale: 'es' }));
    expect(url.searchParams.get('locale')).toBe('es');
    const page = await request(lms.app)
      .get(url.pathname + url.search)
      .expect(200);
    const hrefs = [...page.text.matchAll(/(?:href|src)="(\/course\/[^"]+)"/g)].map((match) =>
      (match[1] ?? '').replace(/&amp;/g, '&'),
    );
    expect(hrefs.length).toBeGreaterThanOrEqual(6); // the frame, four "view as" links, deep linking
    for (const href of hrefs) expect(new URL(href, lms.baseUrl).searchParams.get('locale')).toBe('es');

    const src = /<iframe[^>]*src="([^"]+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const initiate = await request(lms.app).get(src).expect(200);
    const claims = await claimsOf(readForm(initiate.text).fields);
    expect(claims[`${LTI}/launch_presentation`]).toMatchObject({ locale: 'es' });
  });

  it('refuses a course page whose locale is not a language tag', async () => {
    await request(lms.app)
      .get(`/course/${lms.course.id}?user=${lms.users.learner.id}&locale=${encodeURIComponent('<es>')}`)
      .expect(404);
  });
});
