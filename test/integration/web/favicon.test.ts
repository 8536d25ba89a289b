import request from 'supertest';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

/** Every page names a self-hosted icon, and a browser's own `/favicon.ico` request finds one. */
describe('the icon', () => {
  let h: LtiHarness;
  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle' });
  });
  afterAll(() => h.close());

  it('`/favicon.ico` answers with the icon, no launch needed', async () => {
    const icon = await request(h.app).get('/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(String(icon.body)).toContain('<svg');
    expect(icon.headers['cache-control']).toMatch(/max-age=\d+/);
  });

  it('the icon a page names is served from the tool itself', async () => {
    const { ltik } = await h.launch(h.lms.users.instructor.id);
    const page = await request(h.app)
      .get(`/lti/course?ltik=${encodeURIComponent(ltik)}`)
      .accept('html');
    expect(page.status).toBe(200);
    const href = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml">/.exec(page.text)?.[1];
    expect(href).toBe('/assets/favicon.svg');
    const icon = await request(h.app).get(String(href));
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('the operator console’s pages name it too', async () => {
    const page = await request(h.app).get('/admin/login').accept('html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
  });
});
