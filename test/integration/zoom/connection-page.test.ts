import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/** The school admin's Zoom page: connecting first when not connected, and a disconnect that asks first. */
describe('the school admin’s Zoom connection page', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.database.db.execute(sql`delete from zoom_connections`);
  });

  const ltikIn = async (locale: 'en' | 'es') => (await h.launch(h.lms.users.admin.id, { locale })).ltik;
  const page = (ltik: string, path = '/lti/zoom') =>
    request(h.app)
      .get(`${path}?ltik=${encodeURIComponent(ltik)}`)
      .accept('html');
  /** Each `<button …>label</button>` of the page, in order. */
  const buttons = (html: string) =>
    [...html.matchAll(/<button([^>]*)>([^<]*)<\/button>/g)].map(([, attributes, label]) => ({
      label: label ?? '',
      primary: /class="[^"]*\bprimary\b/.test(attributes ?? ''),
    }));

  describe.each([
    { locale: 'en' as const, connect: 'Connect Zoom', selfCheck: 'Run the self-check' },
    { locale: 'es' as const, connect: 'Conectar Zoom', selfCheck: 'Ejecutar la autocomprobación' },
  ])('in $locale', ({ locale, connect, selfCheck }) => {
    it('when the school is not connected, connecting is the first and only primary action', async () => {
      const html = (await page(await ltikIn(locale))).text;
      const all = buttons(html);
      expect(all.map((b) => b.label)).toEqual(expect.arrayContaining([connect, selfCheck]));
      expect(all.filter((b) => b.primary).map((b) => b.label)).toEqual([connect]);
      expect(all[0]?.label).toBe(connect);
      expect(html.indexOf('id="oauth-heading"')).toBeLessThan(html.indexOf('id="self-check-heading"'));
    });

    it('when the school is connected, the self-check is the primary action', async () => {
      const ltik = await ltikIn(locale);
      expect((await h.connectOAuth({ ltik })).status).toBe(200);
      const all = buttons((await page(ltik)).text);
      expect(all.filter((b) => b.primary).map((b) => b.label)).toEqual([selfCheck]);
    });
  });

  describe.each([
    {
      locale: 'en' as const,
      heading: 'Disconnect Zoom from moodle school?',
      stops: 'Instructors cannot schedule, change, delete or start meetings from their courses',
      keeps: 'students’ join links keep working',
      reason: 'Not connected: An administrator disconnected it. Instructors cannot schedule',
    },
    {
      locale: 'es' as const,
      heading: '¿Desconectar Zoom de moodle school?',
      stops: 'Los profesores no pueden programar, cambiar, borrar ni iniciar reuniones desde sus cursos',
      keeps: 'los enlaces para unirse de los estudiantes siguen funcionando',
      reason: 'No conectado: Un administrador la desconectó. Los profesores no pueden programar',
    },
  ])('disconnecting, in $locale', ({ locale, heading, stops, keeps, reason }) => {
    it('the button on the page opens a confirmation naming the school and what stops working; only its confirm disconnects', async () => {
      const ltik = await ltikIn(locale);
      expect((await h.connectOAuth({ ltik })).status).toBe(200);
      const connected = (await page(ltik)).text;
      expect(connected).toContain(`href="/lti/zoom/disconnect?ltik=${encodeURIComponent(ltik)}"`);
      expect(connected).not.toContain('action="/lti/zoom/disconnect"');

      const confirm = await page(ltik, '/lti/zoom/disconnect');
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain(`<html lang="${locale}">`);
      expect(confirm.text).toContain(`<h1>${heading}</h1>`);
      expect(confirm.text).toContain(stops);
      expect(confirm.text).toContain(keeps);
      expect(confirm.text).toContain('action="/lti/zoom/disconnect"');
      expect(confirm.text).toContain('name="confirm" value="yes"');
      expect(confirm.text).toContain(`href="/lti/zoom?ltik=${encodeURIComponent(ltik)}"`);
      expect(await h.connectionRow()).toMatchObject({ status: 'connected' });

      h.zoom.clearRequests();
      const done = await request(h.app)
        .post('/lti/zoom/disconnect')
        .type('form')
        .send({ ltik, csrf: h.formToken(ltik), confirm: 'yes' });
      expect(done.status).toBe(303);
      expect(h.zoom.requests({ path: '/oauth/revoke' })).toHaveLength(1);
      expect(await h.connectionRow()).toMatchObject({ status: 'disconnected' });

      const after = (await request(h.app).get(String(done.headers.location)).accept('html')).text;
      expect(after).toContain(reason);
      expect(after).not.toMatch(/\.\)\./);
    });
  });

  it('a disconnect form without its confirmation changes nothing and asks first', async () => {
    const ltik = await ltikIn('en');
    expect((await h.connectOAuth({ ltik })).status).toBe(200);
    h.zoom.clearRequests();
    const unconfirmed = await request(h.app)
      .post('/lti/zoom/disconnect')
      .type('form')
      .send({ ltik, csrf: h.formToken(ltik) });
    expect(unconfirmed.status).toBe(303);
    expect(unconfirmed.headers.location).toBe(`/lti/zoom/disconnect?ltik=${encodeURIComponent(ltik)}`);
    expect(h.zoom.requests({ path: '/oauth/revoke' })).toHaveLength(0);
    expect(await h.connectionRow()).toMatchObject({ status: 'connected' });

    const bad = await request(h.app)
      .post('/lti/zoom/disconnect')
      .type('form')
      .send({ ltik, csrf: h.formToken(ltik), confirm: 'maybe' });
    expect(bad.status).toBe(400);
    expect(await h.connectionRow()).toMatchObject({ status: 'connected' });
  });

  it('the confirmation of a school that is not connected sends the admin back to the page', async () => {
    const ltik = await ltikIn('en');
    const confirm = await page(ltik, '/lti/zoom/disconnect');
    expect(confirm.status).toBe(303);
    expect(confirm.headers.location).toBe(`/lti/zoom?ltik=${encodeURIComponent(ltik)}`);
  });

  it('an instructor may not see the confirmation, nor anyone without a launch', async () => {
    const instructor = (await h.launch(h.lms.users.instructor.id)).ltik;
    expect((await page(instructor, '/lti/zoom/disconnect')).status).toBe(403);
    expect((await request(h.app).get('/lti/zoom/disconnect').accept('html')).status).toBe(401);
  });
});
