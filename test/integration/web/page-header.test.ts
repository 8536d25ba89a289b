import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

/**
 * Every page has one header (views/partials/header.ejs): SANDBOX where it applies, the product's
 * name, then the launch's course and school; in the launch's language.
 */
const headerOf = (html: string) => /<header class="banner"[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';

describe("every page's header", () => {
  let h: LtiHarness;

  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle' });
    // The school is a sandbox school, as `npm start` makes them.
    await queryRows(h.database.db, sql`update schools set sandbox = true`);
  }, 60_000);
  afterAll(() => h.close());

  const page = (path: string) => request(h.app).get(path).accept('html');

  it('in an English launch, the course page reads SANDBOX, the product, then the course and school', async () => {
    const { course } = await h.launch(h.lms.users.instructor.id);
    const header = headerOf(course.text);
    expect(header).toContain(
      '<strong>SANDBOX</strong> <span>an emulated LMS and a simulated Zoom: nothing here is real</span>',
    );
    expect(header).toContain(
      '<span class="product">Class meetings on Zoom</span> <span class="context">· Zoom Practice 101 · moodle school</span>',
    );
    expect(course.text).toContain('<title>Zoom Practice 101 · Class meetings on Zoom</title>');
    expect(course.text).not.toContain('Zoom for Zoom Practice 101');
  });

  it('in a Spanish launch, every page (course, Zoom connection, people, an error) has the same Spanish header', async () => {
    const { course, ltik } = await h.launch(h.lms.users.admin.id, { locale: 'es' });
    const expected = headerOf(course.text);
    expect(expected).toContain('<strong>ENTORNO DE PRUEBAS</strong>');
    expect(expected).toContain('un LMS emulado y un Zoom simulado: aquí nada es real');
    expect(expected).toContain('Reuniones de clase en Zoom');
    expect(expected).toContain('Zoom Practice 101 · moodle school');
    const pages = await Promise.all(
      [
        '/lti/zoom',
        '/lti/zoom/people',
        // A meeting that does not exist: the error page inside the launch.
        '/lti/meetings/00000000-0000-4000-8000-000000000000/edit',
      ].map((path) => page(`${path}?ltik=${encodeURIComponent(ltik)}`)),
    );
    expect(pages.map((answer) => answer.status)).toEqual([200, 200, 404]);
    for (const answer of [course, ...pages]) {
      expect(headerOf(answer.text)).toBe(expected);
      expect(answer.text).not.toMatch(/SANDBOX|emulated LMS|simulated Zoom|Class meetings on Zoom/);
      expect(answer.text).toMatch(/<title>[^<]* · Reuniones de clase en Zoom<\/title>/);
    }
  });

  it('a page before any launch (an error) names the product alone, without a course or school', async () => {
    const answer = await page('/lti/course');
    expect(answer.status).toBeGreaterThanOrEqual(400);
    const header = headerOf(answer.text);
    expect(header).toContain('<span class="product">Class meetings on Zoom</span>');
    expect(header).not.toContain('class="context"');
    // This deployment is not the sandbox: before a launch nothing says SANDBOX.
    expect(header).not.toContain('SANDBOX');
  });
});
