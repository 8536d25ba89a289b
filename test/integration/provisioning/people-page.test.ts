import request from 'supertest';
import { eq } from 'drizzle-orm';
import { tables } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/** The school admin's Zoom users: every time in the viewer's zone (their browser's) and language. */
describe('the Zoom users page’s times', () => {
  let h: ZoomHarness;
  const checkedAt = new Date('2026-12-07T06:30:00Z');

  beforeAll(async () => {
    h = await createZoomHarness();
    await h.adminLtik(); // the school exists once someone launched
    const [school] = await h.database.db
      .select()
      .from(tables.schools)
      .where(eq(tables.schools.name, 'moodle school'));
    await h.database.db.insert(tables.zoomUsers).values([
      {
        schoolId: school!.id,
        lmsIssuer: h.lms.issuer,
        lmsUserId: 'checked',
        name: 'Ana Checked',
        email: 'ana@school.example',
        status: 'active',
        licenceType: 2,
        lastCheckedAt: checkedAt,
      },
      {
        schoolId: school!.id,
        lmsIssuer: h.lms.issuer,
        lmsUserId: 'never',
        name: 'Bea Never',
        email: 'bea@school.example',
        status: 'pending',
      },
    ]);
  });
  afterAll(() => h.close());

  const people = async (locale: string, query = '') => {
    const ltik = (await h.launch(h.lms.users.admin.id, { locale })).ltik;
    const page = await request(h.app)
      .get(`/lti/zoom/people?ltik=${encodeURIComponent(ltik)}${query}`)
      .accept('html');
    expect(page.status).toBe(200);
    return { ltik, html: page.text };
  };
  const time = (text: string) => `<time datetime="2026-12-07T06:30:00.000Z">${text}</time>`;

  it('in Spanish, in the zone the browser sent: no raw UTC or ISO text', async () => {
    const { html } = await people('es-ES', '&tz=Europe/Madrid');
    expect(html).toContain(time('7 dic 2026, 7:30 CET'));
    expect(html).toContain('<td class="when">nunca</td>');
    expect(html).not.toContain('2026-12-07 06:30');
    expect(html).not.toContain('06:30 UTC');
  });

  it('in English, in the zone the browser sent', async () => {
    const { html } = await people('en', '&tz=America/New_York');
    expect(html).toContain(time('Dec 7, 2026, 1:30 AM EST'));
    expect(html).toContain('<td class="when">never</td>');
  });

  it('without a zone from the browser (or a zone that is none), in the school’s, named', async () => {
    // The harness's school keeps the default zone, UTC.
    for (const query of ['', '&tz=Mars%2FOlympus_Mons']) {
      const { html } = await people('es', query);
      expect(html).toContain(time('7 dic 2026, 6:30 UTC'));
    }
  });

  it('“Check again” keeps the viewer’s zone on the page it leads back to', async () => {
    const { ltik, html } = await people('es', '&tz=Europe/Madrid');
    expect(html).toContain('<input type="hidden" name="tz" value="Europe/Madrid">');
    const checked = await request(h.app)
      .post('/lti/zoom/people/check')
      .type('form')
      .send({ ltik, csrf: h.formToken(ltik), issuer: h.lms.issuer, userId: 'never', tz: 'Europe/Madrid' });
    expect(checked.status).toBe(303);
    const back = new URL(String(checked.headers.location), 'https://tool.example');
    expect(back.pathname).toBe('/lti/zoom/people');
    expect(back.searchParams.get('tz')).toBe('Europe/Madrid');
    expect(back.searchParams.get('notice')).toBe('checked');
  });

  it('the table is a labelled region the keyboard can scroll, and its script asks for the browser’s zone', async () => {
    const { html } = await people('en');
    expect(html).toContain(
      '<div class="table-scroll" role="region" aria-labelledby="people-caption" tabindex="0">',
    );
    expect(html).toContain('<caption id="people-caption"');
    expect(html).toContain('<script src="/assets/viewer-zone.js"></script>');
  });
});
