import request from 'supertest';
import { en } from '../../../src/shared/locales/en';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

/**
 * The pages before any launch (the LMS sends no language at login) speak the browser's language:
 * a Spanish Moodle user whose browser keeps no cookie of the tool is offered the new window in Spanish.
 */
describe('the login pages in the browser’s language (Moodle, no platform storage)', () => {
  let lti: LtiHarness;
  beforeAll(async () => {
    lti = await createLtiHarness({ profile: 'moodle' });
  });
  afterAll(() => lti.close());

  /** The probe's hop of a framed login whose state cookie did not come back. */
  async function cookielessCheck(acceptLanguage?: string) {
    const login = await request(lti.app)
      .post('/lti/login')
      .type('form')
      .set('Sec-Fetch-Dest', 'iframe')
      .send(lti.lms.loginInitiation(lti.lms.users.instructor.id));
    const check = request(lti.app).get(String(login.headers.location)).accept('html');
    if (acceptLanguage) check.set('Accept-Language', acceptLanguage);
    return check;
  }

  const blocked = en.errors.lti_cookies_blocked;
  const englishSentences = [blocked.title, blocked.detail, blocked.next, blocked.open, 'What to do'];

  it('a Spanish browser is offered the new window in Spanish', async () => {
    const page = await cookielessCheck('es-ES,es;q=0.9,en;q=0.5');

    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="es">');
    expect(page.text).toContain('Abrir en una ventana nueva');
    expect(page.text).toContain('Qué hacer');
    expect(englishSentences.filter((sentence) => page.text.includes(sentence))).toEqual([]);
  });

  it.each([
    ['no Accept-Language', undefined],
    ['an English browser', 'en-GB,en;q=0.9'],
    ['a language the tool does not speak', 'fr-FR'],
  ])('with %s, the page is in English', async (_name, acceptLanguage) => {
    const page = await cookielessCheck(acceptLanguage);

    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="en">');
    expect(englishSentences.filter((sentence) => !page.text.includes(sentence))).toEqual([]);
  });

  it('a broken sign-in step is refused in Spanish for a Spanish browser', async () => {
    const page = await request(lti.app)
      .get('/lti/login/check?c=broken')
      .set('Accept-Language', 'es-MX')
      .accept('html');

    expect(page.status).toBe(400);
    expect(page.text).toContain('<html lang="es">');
    expect(page.text).toContain('No se pudo iniciar el acceso');
    expect(page.text).toContain('lti_login_invalid');
  });
});
