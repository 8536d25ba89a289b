import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/**
 * The consent round trip belongs to the browser that started it: "Connect Zoom" sets a first-party
 * cookie on the page that sends the browser to Zoom, and Zoom's redirect back completes only with it.
 * A consent link forwarded to someone else cannot bind their Zoom account to the sender's school.
 */
describe('the Zoom consent round trip is tied to the browser that started it', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.database.db.execute(sql`delete from zoom_connections`);
    await h.database.db.execute(sql`delete from zoom_oauth_states`);
  });

  it('sets an HttpOnly, Secure, SameSite=Lax cookie scoped to the callback for ten minutes', async () => {
    const { setCookie } = await h.startConnect();
    expect(setCookie).toMatch(/^zoom_connect_[0-9a-f]{16}=[A-Za-z0-9_-]{30,};/);
    expect(setCookie).toMatch(/Max-Age=600/);
    expect(setCookie).toMatch(/Path=\/zoom\/oauth\/callback/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Lax/);
  });

  it('when the consent link is completed in another browser, nothing is connected and no session link is handed out', async () => {
    const ltik = await h.adminLtik();
    const { authorizeUrl } = await h.startConnect(ltik);
    const callback = await h.consentAt(authorizeUrl); // the victim, in their own browser: no cookie
    const page = await request(h.app).get(callback).accept('html');
    expect(page.status).toBe(403);
    expect(page.text).toContain('This Zoom connection was started in another browser');
    expect(page.text).not.toContain(ltik);
    expect(await h.connectionRow()).toBeUndefined();
  });

  it('when the cookie is not this round trip’s, nothing is connected', async () => {
    const first = await h.startConnect();
    const second = await h.startConnect();
    const callback = await h.consentAt(second.authorizeUrl);
    const page = await request(h.app).get(callback).set('Cookie', first.cookie).accept('html');
    expect(page.status).toBe(403);
    expect(await h.connectionRow()).toBeUndefined();
  });

  it('when it was refused in another browser, the same attempt cannot be completed afterwards either', async () => {
    const { authorizeUrl, cookie } = await h.startConnect();
    const callback = await h.consentAt(authorizeUrl);
    expect((await request(h.app).get(callback).accept('html')).status).toBe(403);
    const again = await request(h.app).get(callback).set('Cookie', cookie).accept('html');
    expect(again.status).toBe(400);
    expect(await h.connectionRow()).toBeUndefined();
  });

  it('with two attempts open in one browser, each is matched to its own cookie', async () => {
    const first = await h.startConnect();
    const second = await h.startConnect();
    const both = `${first.cookie}; ${second.cookie}`;
    const page = await request(h.app)
      .get(await h.consentAt(second.authorizeUrl))
      .set('Cookie', both)
      .accept('html');
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']?.[0]).toMatch(new RegExp(`^${second.cookie.split('=')[0]}=;`));
    expect(await h.connectionRow()).toMatchObject({ status: 'connected', kind: 'oauth' });
    const [states] = await queryRows<{ count: string | number }>(
      h.database.db,
      sql`select count(*) as count from zoom_oauth_states where browser_binding_hash is not null`,
    );
    expect(Number(states?.count)).toBe(1); // the first attempt is still open, bound to its own cookie
  });
});
