import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import { signLink } from '../../../src/zoom/zoom.connect-links';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';
import { TOOL_URL } from '../../support/lti-harness';
import { databaseKinds } from '../../support/db';
import { adminPage } from './self-check.helpers';

/**
 * The signed, expiring "connect link": the school's LMS admin makes it on the Zoom page and
 * forwards it; whoever holds it connects that school's Zoom (S2S or OAuth) without a launch.
 */
describe.each(databaseKinds('one'))('connecting Zoom through a connect link (%s)', (databaseKind) => {
  let h: ZoomHarness;
  let ltik: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    h = await createZoomHarness({ logLines, databaseKind });
    ltik = await h.adminLtik();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.database.db.execute(sql`delete from zoom_connections`);
    await h.database.db.execute(sql`delete from zoom_connect_links`);
  });

  async function makeLink(days?: string | number, forLtik = ltik): Promise<string> {
    const { csrf } = await adminPage(h.app, forLtik);
    const made = await request(h.app)
      .post('/lti/zoom/connect-link')
      .type('form')
      .send({ ltik: forLtik, csrf, ...(days === undefined ? {} : { days }) });
    expect(made.status).toBe(303);
    const page = await request(h.app).get(String(made.headers.location)).accept('html');
    expect(page.text).toContain('A new connect link is ready below.');
    const url = /id="connect-link" class="link-field" readonly value="([^"]+)"/.exec(page.text)?.[1];
    if (!url) throw new Error('no link on the page');
    expect(url.startsWith(`${TOOL_URL}/zoom/connect/`)).toBe(true);
    return new URL(url).pathname;
  }

  /** Opens the link's page as a browser: its form token and the cookie it set. */
  async function openLink(path: string) {
    const page = await request(h.app).get(path).accept('html');
    const cookie = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .map((line) => line.split(';')[0])
      .join('; ');
    return { page, cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
  }

  async function s2sThrough(path: string, options: { csrf?: string; cookie?: string } = {}) {
    const app = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
    const opened = await openLink(path);
    return request(h.app)
      .post(`${path}/s2s`)
      .type('form')
      .accept('html')
      .set('Cookie', options.cookie ?? opened.cookie)
      .send({
        csrf: options.csrf ?? opened.csrf,
        accountId: h.account.account_id,
        clientId: app.client_id,
        clientSecret: app.client_secret,
      });
  }

  const linkRows = () =>
    queryRows<Record<string, unknown>>(h.database.db, sql`select * from zoom_connect_links`);

  it('the admin makes a link valid 7 days by default (at most 30); bad input is refused and stores nothing', async () => {
    const before = Date.now();
    await makeLink();
    const [row] = await linkRows();
    const days = (new Date(String(row?.expires_at)).getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    await h.database.db.execute(sql`delete from zoom_connect_links`);

    const { csrf } = await adminPage(h.app, ltik);
    for (const bad of ['0', '31', 'soon', '2.5']) {
      const refused = await request(h.app)
        .post('/lti/zoom/connect-link')
        .type('form')
        .accept('html')
        .send({ ltik, csrf, days: bad });
      expect(refused.status).toBe(400);
    }
    const noToken = await request(h.app)
      .post('/lti/zoom/connect-link')
      .type('form')
      .accept('html')
      .send({ ltik });
    expect(noToken.status).toBe(403);
    const learner = (await h.launch(h.lms.users.learner.id)).ltik;
    const byLearner = await request(h.app)
      .post('/lti/zoom/connect-link')
      .type('form')
      .accept('html')
      .send({ ltik: learner, csrf });
    expect(byLearner.status).toBe(403);
    expect(await linkRows()).toEqual([]);
  });

  it('its holder connects the school’s own Server-to-Server app without a launch; the link is then spent', async () => {
    const path = await makeLink(3);
    const { page } = await openLink(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Connect Zoom for moodle school');
    expect(page.text).toContain('Verify and connect');
    expect(page.text).not.toContain('ltik');

    const done = await s2sThrough(path);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/zoom/connect/done');
    const thanks = await request(h.app).get('/zoom/connect/done').accept('html');
    expect(thanks.text).toContain('The LMS administrator sees it on the tool’s Zoom connection page');
    expect(await h.connectionRow()).toMatchObject({
      kind: 's2s',
      status: 'connected',
      connected_by: expect.stringMatching(/^connect-link\|/),
    });
    expect(await linkRows()).toEqual([]);

    const spent = await request(h.app).get(path).accept('html');
    expect(spent.status).toBe(403);
    expect(spent.text).toContain('Ask the LMS administrator of your school');
    // The admin's page no longer offers a link once Zoom is connected.
    expect((await adminPage(h.app, ltik)).page.text).not.toContain('id="connect-link"');
  });

  it('its holder connects through the Marketplace app (Zoom’s consent) and lands on a page without a way into the tool', async () => {
    const path = await makeLink();
    const opened = await openLink(path);
    const start = await request(h.app)
      .post(`${path}/oauth`)
      .type('form')
      .set('Cookie', opened.cookie)
      .send({ csrf: opened.csrf });
    expect(start.status).toBe(303);
    const authorizeUrl = new URL(String(start.headers.location));
    expect(authorizeUrl.origin).toBe(h.zoom.baseUrl);
    const binding = ([] as string[]).concat(start.headers['set-cookie'] ?? [])[0]?.split(';')[0] ?? '';
    const callback = await h.consentAt(authorizeUrl);
    const landed = await request(h.app).get(callback).set('Cookie', binding).accept('html');
    expect(landed.status).toBe(200);
    expect(landed.text).toContain('Zoom is connected');
    expect(landed.text).toContain('You can close this window.');
    expect(landed.text).not.toContain('ltik');
    expect(await h.connectionRow()).toMatchObject({ kind: 'oauth', status: 'connected' });
    expect(await linkRows()).toEqual([]);
  });

  it('a link replaced while its holder was at Zoom connects nothing, and Zoom’s grant is revoked', async () => {
    const path = await makeLink();
    const opened = await openLink(path);
    const start = await request(h.app)
      .post(`${path}/oauth`)
      .type('form')
      .set('Cookie', opened.cookie)
      .send({ csrf: opened.csrf });
    const binding = ([] as string[]).concat(start.headers['set-cookie'] ?? [])[0]?.split(';')[0] ?? '';
    const callback = await h.consentAt(new URL(String(start.headers.location)));
    await makeLink();
    h.zoom.clearRequests();
    const refused = await request(h.app).get(callback).set('Cookie', binding).accept('html');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('zoom_connect_link_invalid');
    expect(await h.connectionRow()).toBeUndefined();
    expect(h.zoom.requests({ path: '/oauth/revoke' })).toHaveLength(1);
  });

  it('a tampered, expired, replaced or forged-for-another-school link is refused and changes nothing', async () => {
    const other = await h.addLms({ profile: 'canvas', school: 'other school' });
    const otherLtik = (await h.launch(other.users.admin.id, undefined, other)).ltik;
    const otherLink = await makeLink(7, otherLtik);
    const path = await makeLink();
    const [schoolId = '', linkId = '', expiry = '', mac = ''] = path.split('/').pop()!.split('.');
    const otherSchoolId = otherLink.split('/').pop()!.split('.')[0] ?? '';
    const key = h.built.keys.connectLinks;
    const flip = (s: string) => `${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`;

    const refusedPaths = [
      `/zoom/connect/${schoolId}.${linkId}.${expiry}.${flip(mac)}`,
      `/zoom/connect/${schoolId}.${linkId}.${Number(expiry) + 86_400}.${mac}`,
      // School A's link pointed at school B: the signature no longer holds.
      `/zoom/connect/${otherSchoolId}.${linkId}.${expiry}.${mac}`,
      // Well signed but expired.
      `/zoom/connect/${signLink(key, schoolId, linkId, Math.floor(Date.now() / 1000) - 60)}`,
      '/zoom/connect/not-a-link',
    ];
    for (const refusedPath of refusedPaths) {
      const page = await request(h.app).get(refusedPath).accept('html');
      expect(page.status).toBe(403);
      expect(page.text).toContain('This Zoom connect link does not work');
      expect(page.text).toContain('Ask the LMS administrator of your school (who sent you this link)');
      const posted = await s2sThrough(refusedPath, {
        csrf: 'x',
        cookie: 'zoom_link_form=abcdefghijklmnopqrstuvwx',
      });
      expect(posted.status).toBe(403);
    }

    // A newer link replaces it: the older one stops working, the newer one works.
    const newer = await makeLink();
    expect((await request(h.app).get(path).accept('html')).status).toBe(403);
    expect((await request(h.app).get(newer).accept('html')).status).toBe(200);

    // Without the page's form token and cookie (another site posting), nothing is connected.
    const forged = await s2sThrough(newer, { csrf: 'forged' });
    expect(forged.status).toBe(403);
    const noCookie = await s2sThrough(newer, { cookie: '' });
    expect(noCookie.status).toBe(403);
    expect(await h.connectionRow()).toBeUndefined();
    expect(await h.connectionRow('other school')).toBeUndefined();

    // School B's own link connects school B only.
    expect((await s2sThrough(otherLink)).status).toBe(303);
    expect(await h.connectionRow('other school')).toMatchObject({ status: 'connected' });
    expect(await h.connectionRow()).toBeUndefined();
  });

  it('the admin can withdraw the link: it stops working at once', async () => {
    const path = await makeLink();
    const { csrf } = await adminPage(h.app, ltik);
    const withdrawn = await request(h.app)
      .post('/lti/zoom/connect-link/withdraw')
      .type('form')
      .send({ ltik, csrf });
    expect(withdrawn.status).toBe(303);
    expect(await linkRows()).toEqual([]);
    expect((await request(h.app).get(path).accept('html')).status).toBe(403);
    const page = await request(h.app).get(String(withdrawn.headers.location)).accept('html');
    expect(page.text).toContain('The connect link was withdrawn');
    expect(page.text).not.toContain('id="connect-link"');
  });

  it('credentials Zoom refuses leave the link working, with a way back to it', async () => {
    const path = await makeLink();
    const opened = await openLink(path);
    const refused = await request(h.app)
      .post(`${path}/s2s`)
      .type('form')
      .accept('html')
      .set('Cookie', opened.cookie)
      .send({
        csrf: opened.csrf,
        accountId: h.account.account_id,
        clientId: 'nosuchclient',
        clientSecret: 'wrongsecret',
      });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`href="${path}"`);
    expect(await h.connectionRow()).toBeUndefined();
    expect((await request(h.app).get(path).accept('html')).status).toBe(200);
  });

  it('never writes a link into the logs, nor in clear into the database', async () => {
    const path = await makeLink();
    const opened = await openLink(path);
    // A consent round trip in flight keeps the link, sealed.
    await request(h.app)
      .post(`${path}/oauth`)
      .type('form')
      .set('Cookie', opened.cookie)
      .send({ csrf: opened.csrf });
    const token = path.split('/').pop() ?? '';
    const mac = token.split('.').pop() ?? '';
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(mac);
    const rows = await queryRows<{ row: string }>(
      h.database.db,
      sql`select row_to_json(t)::text as row from zoom_oauth_states t union all select row_to_json(l)::text from zoom_connect_links l`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.map((r) => r.row).join('\n')).not.toContain(mac);
  });
});
