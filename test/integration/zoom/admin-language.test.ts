import request from 'supertest';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/** The school admin's pages speak the launch's language (catalogs), like the course page. */
describe('the admin pages in Spanish', () => {
  let h: ZoomHarness;
  let ltik: string;
  beforeAll(async () => {
    h = await createZoomHarness();
    ltik = (await h.launch(h.lms.users.admin.id, { locale: 'es-ES' })).ltik;
  });
  afterAll(() => h.close());

  const get = (path: string) =>
    request(h.app)
      .get(`${path}?ltik=${encodeURIComponent(ltik)}`)
      .accept('html');

  it('the Zoom connection page', async () => {
    const page = await get('/lti/zoom');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="es">');
    expect(page.text).toContain('<h1>Conexión con Zoom</h1>');
    expect(page.text).toContain('Verificar y conectar');
    expect(page.text).not.toContain('Verify and connect');
  });

  it('the Zoom users page', async () => {
    const page = await get('/lti/zoom/people');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Usuarios de Zoom</h1>');
    expect(page.text).toContain('Guardar ajustes');
  });

  it('a refusal, in the same language', async () => {
    const learnerLtik = (await h.launch(h.lms.users.learner.id, { locale: 'es' })).ltik;
    const page = await request(h.app)
      .get(`/lti/zoom?ltik=${encodeURIComponent(learnerLtik)}`)
      .accept('html');
    expect(page.status).toBe(403);
    expect(page.text).toContain('No permitido');
    expect(page.text).toContain('Qué hacer');
    expect(page.text).toMatch(/Error <code>forbidden<\/code> \(HTTP 403\), solicitud <code>[\w-]+<\/code>/);
  });

  it('the page after Zoom’s consent, in the browser’s language', async () => {
    const { authorizeUrl, cookie } = await h.startConnect(ltik);
    const callback = await h.consentAt(authorizeUrl);
    const page = await request(h.app)
      .get(callback)
      .set('Cookie', cookie)
      .set('Accept-Language', 'es-ES,es;q=0.9,en;q=0.5')
      .accept('html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Zoom está conectado');
  });
});
