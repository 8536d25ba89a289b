import fs from 'node:fs';
import request from 'supertest';
import { loadConfig } from '../../../src/config';
import { startServer, type RunningServer } from '../../../src/server';
import { createLogger } from '../../../src/shared/logger';
import { seededDataDir } from '../../support/data-dir';
import { loginNext } from '../../support/lti-login';
import { freePort } from '../../support/process';

/**
 * The sandbox's home page offers every course launch in English and in Spanish, and can itself be
 * read in Spanish (?lang=es, or the browser's Accept-Language).
 */
describe("the sandbox's home page, in English and Spanish", () => {
  let running: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await seededDataDir('sandbox-home-');
    const port = await freePort();
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: 'silent',
      SANDBOX: 'on',
    });
    running = await startServer(config, createLogger({ level: 'silent' }));
  }, 90_000);
  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const unescape = (href: string) => href.replace(/&amp;/g, '&');
  const linksOf = (html: string) =>
    [
      ...html.matchAll(/<a href="([^"]+)" lang="(en|es)" hreflang="\2" data-lang="\2"[^>]*>([^<]+)<\/a>/g),
    ].map(([, href, lang, label]) => ({ href: unescape(href ?? ''), lang, label }));

  it('in English by default, each person of each school opens the course in English or in Spanish', async () => {
    const home = await request(running.server).get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<html lang="en">');
    expect(home.text).toContain('<strong>SANDBOX</strong>');
    const links = linksOf(home.text);
    for (const school of running.sandbox!.schools) {
      for (const [user, en, es] of [
        [school.lms.users.instructor, 'Open the course as instructor', 'Abrir el curso como profesor'],
        [school.lms.users.learner, 'Open the course as student', 'Abrir el curso como estudiante'],
        [school.lms.users.admin, 'Open the course as administrator', 'Abrir el curso como administrador'],
      ] as const) {
        expect(links).toContainEqual({
          href: school.lms.coursePageUrl(user.id, { locale: 'en' }),
          lang: 'en',
          label: en,
        });
        expect(links).toContainEqual({
          href: school.lms.coursePageUrl(user.id, { locale: 'es' }),
          lang: 'es',
          label: es,
        });
      }
    }
    expect(home.text).toContain('href="/sandbox?lang=es"');
  });

  it('?lang=es and a Spanish browser read it in Spanish, with no English sentence left', async () => {
    const asked = await request(running.server).get('/sandbox?lang=es');
    const browser = await request(running.server).get('/').set('Accept-Language', 'es-ES,es;q=0.9,en;q=0.5');
    for (const page of [asked, browser]) {
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html lang="es">');
      expect(page.text).toContain('Entorno de pruebas: prueba la herramienta como lo haría un centro');
      expect(page.text).toContain('<strong>ENTORNO DE PRUEBAS</strong>');
      expect(page.text).toContain('Aún sin conectar (paso 1)');
      // English only in the English launch links (marked lang="en") and the way back to English.
      const text = page.text.replace(/<a [^>]*lang="en"[^>]*>[^<]*<\/a>/g, '');
      expect(text).not.toMatch(
        /Open the course|None yet|A guided path|emulated LMS|Sandbox: try|Behind the scenes/,
      );
    }
    expect(asked.text).toContain('href="/sandbox?lang=en"');
  });

  it("a Spanish launch link's launch lands on the course page in Spanish", async () => {
    const home = await request(running.server).get('/');
    const school = running.sandbox!.schools[0]!;
    const instructor = school.lms.users.instructor;
    const link = linksOf(home.text).find(
      (candidate) =>
        candidate.lang === 'es' &&
        candidate.href === school.lms.coursePageUrl(instructor.id, { locale: 'es' }),
    );
    expect(link).toBeDefined();
    // The LMS's course page launches with the link's locale (`launch_presentation.locale`).
    const locale = new URL(link!.href).searchParams.get('locale') ?? undefined;
    expect(locale).toBe('es');
    const login = await request(running.server)
      .post('/lti/login')
      .type('form')
      .send(school.lms.loginInitiation(instructor.id, { locale }));
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    const answer = await school.lms.authorize(loginNext(login));
    const launched = await request(running.server)
      .post('/lti/launch')
      .type('form')
      .set('Cookie', cookie.join('; '))
      .send({ id_token: answer.fields.id_token, state: answer.fields.state });
    expect(launched.status).toBe(303);
    const course = await request(running.server).get(String(launched.headers.location)).accept('html');
    expect(course.status).toBe(200);
    expect(course.text).toContain('<html lang="es">');
    expect(course.text).toContain('<strong>ENTORNO DE PRUEBAS</strong>');
    expect(course.text).toContain('Reuniones de clase en Zoom');
    expect(course.text).toContain(`Hola, ${instructor.name}`);
  });
});
