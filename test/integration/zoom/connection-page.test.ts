import fs from 'node:fs';
import path from 'node:path';
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
  const page = (ltik: string, path = '/lti/zoom', query = '') =>
    request(h.app)
      .get(`${path}?ltik=${encodeURIComponent(ltik)}${query}`)
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

  describe('while Zoom’s consent is open in its own window', () => {
    const status = (ltik?: string) =>
      request(h.app)
        .get(ltik === undefined ? '/lti/zoom/status' : `/lti/zoom/status?ltik=${encodeURIComponent(ltik)}`)
        .accept('json');

    it('the admin page opens it in a named window it can hear from, and says where to ask and where to go', async () => {
      const ltik = await ltikIn('en');
      const html = (await page(ltik)).text;
      const q = encodeURIComponent(ltik);
      expect(html).toContain('action="/lti/zoom/oauth" target="zoom-consent" data-zoom-consent');
      expect(html).toContain(`data-zoom-status-url="/lti/zoom/status?ltik=${q}"`);
      expect(html).toContain(`data-zoom-connected-url="/lti/zoom?ltik=${q}&amp;notice=connected"`);
      expect(html).toContain('<script src="/assets/zoom-connect.js"></script>');
      expect(html).toMatch(
        /<p id="consent-waiting" class="consent-waiting" role="status" data-waiting="Finish in the Zoom window/,
      );
    });

    it('the status says the launch’s school’s connection, and nothing more', async () => {
      const ltik = await ltikIn('en');
      const before = await status(ltik);
      expect(before.status).toBe(200);
      expect(before.type).toBe('application/json');
      expect(before.headers['cache-control']).toBe('no-store');
      expect(before.body).toEqual({ status: 'none' });
      expect((await h.connectOAuth({ ltik })).status).toBe(200);
      expect((await status(ltik)).body).toEqual({ status: 'connected' });

      // Another school's administrator sees their own school's, not this one's.
      const other = await h.addLms({ profile: 'canvas', school: 'Status school' });
      const otherLtik = await h.adminLtik(other);
      expect((await status(otherLtik)).body).toEqual({ status: 'none' });
    });

    it('the status needs a launch, as a school administrator', async () => {
      expect((await status()).status).toBe(401);
      const instructor = (await h.launch(h.lms.users.instructor.id)).ltik;
      expect((await status(instructor)).status).toBe(403);
      expect((await status(`${await ltikIn('en')}x`)).status).toBe(401);
    });

    describe.each([
      {
        locale: 'en' as const,
        language: 'en',
        close:
          'You can close this window: the Zoom connection page in your course shows the connection by itself.',
        here: 'open the Zoom connection page here',
      },
      {
        locale: 'es' as const,
        language: 'es',
        close:
          'Puedes cerrar esta ventana: la página de la conexión con Zoom de tu curso muestra la conexión por sí sola.',
        here: 'abre aquí la página de la conexión con Zoom',
      },
    ])('the page Zoom sends the window back to, in $locale', ({ language, close, here }) => {
      it('says the window can be closed, tells its opener (a script of ours), and keeps that opener', async () => {
        const ltik = await ltikIn('en');
        const { authorizeUrl, cookie } = await h.startConnect(ltik);
        const back = await request(h.app)
          .get(await h.consentAt(authorizeUrl))
          .set('Cookie', cookie)
          .set('Accept-Language', language)
          .accept('html');
        expect(back.status).toBe(200);
        expect(back.text).toContain('data-zoom-connected');
        expect(back.text).toContain(close);
        expect(back.text).toContain(here);
        expect(back.text).toContain('<script src="/assets/zoom-connect.js"></script>');
        expect(back.headers['cross-origin-opener-policy']).toBe('unsafe-none');
      });
    });

    it('the redirect to Zoom keeps the window’s opener too; other pages keep the strict policy', async () => {
      const ltik = await ltikIn('en');
      const started = await request(h.app)
        .post('/lti/zoom/oauth')
        .type('form')
        .send({ ltik, csrf: h.formToken(ltik) });
      expect(started.status).toBe(303);
      expect(started.headers['cross-origin-opener-policy']).toBe('unsafe-none');
      expect((await page(ltik)).headers['cross-origin-opener-policy']).toBe('same-origin');
    });

    it('the script posts to the tool’s own origin only, and trusts only messages from it', () => {
      const script = fs.readFileSync(path.join(__dirname, '../../../views/assets/zoom-connect.js'), 'utf8');
      expect(script).not.toMatch(/postMessage\([^)]*'\*'/);
      expect(script.match(/postMessage\(/g)).toHaveLength(2);
      expect(script.match(/window\.location\.origin\)/g)).toHaveLength(2);
      expect(script).toContain('event.origin === window.location.origin');
    });
  });

  it('its times are in the zone the browser sent (else the school’s), which its self-check and reload keep', async () => {
    const ltik = await ltikIn('en');
    const made = await request(h.app)
      .post('/lti/zoom/connect-link')
      .type('form')
      .send({ ltik, csrf: h.formToken(ltik), days: '7' });
    expect(made.status).toBe(303);
    const expiry = (html: string) => /id="connect-link-expires" class="hint">([^<]*)</.exec(html)?.[1] ?? '';
    const madrid = (await page(ltik, '/lti/zoom', '&tz=Europe%2FMadrid')).text;
    expect(expiry(madrid)).toMatch(/^Works until .* GMT\+1, or until Zoom is connected\.$/);
    expect(madrid).toContain('<input type="hidden" name="tz" value="Europe/Madrid">');
    expect(madrid).toContain('&amp;tz=Europe%2FMadrid&amp;notice=connected"');
    for (const query of ['', '&tz=Not%2FA_Zone']) {
      expect(expiry((await page(ltik, '/lti/zoom', query)).text)).toMatch(
        / UTC, or until Zoom is connected\.$/,
      );
    }
  });

  it('an instructor may not see the confirmation, nor anyone without a launch', async () => {
    const instructor = (await h.launch(h.lms.users.instructor.id)).ltik;
    expect((await page(instructor, '/lti/zoom/disconnect')).status).toBe(403);
    expect((await request(h.app).get('/lti/zoom/disconnect').accept('html')).status).toBe(401);
  });
});
