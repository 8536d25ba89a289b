import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/**
 * The school admin's forms under /lti/zoom each need this session's form token (as their siblings
 * self-check and connect-link always did): without it a form is refused (403 csrf_invalid) before
 * anything changes or Zoom is asked; with it the form does its work. And school administration is
 * for institution or system administrators only: a course's own `membership#Administrator` does
 * not administer the school's Zoom.
 */
const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
const STATE_TABLES = ['zoom_connections', 'zoom_oauth_states', 'provisioning_settings', 'zoom_users'];

describe("the school admin's forms need the session's form token", () => {
  let h: ZoomHarness;
  let ltik: string;
  let csrf: string;

  beforeAll(async () => {
    h = await createZoomHarness();
    ltik = await h.adminLtik();
    const page = await request(h.app).get('/lti/zoom').query({ ltik }).accept('html');
    expect(page.status).toBe(200);
    csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    expect(csrf).not.toBe('');
  });
  afterAll(() => h.close());

  async function state() {
    const tables: Record<string, unknown[]> = {};
    for (const table of STATE_TABLES)
      tables[table] = await queryRows(h.database.db, sql.raw(`select * from ${table} order by 1`));
    return tables;
  }

  const post = (path: string, fields: Record<string, string>) =>
    request(h.app)
      .post(path)
      .type('form')
      .accept('json')
      .send({ ltik, ...fields });

  async function s2sFields() {
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
    return { accountId: h.account.account_id, clientId: s2s.client_id, clientSecret: s2s.client_secret };
  }

  // In order: connect (OAuth started, then S2S), check a person, save settings, disconnect.
  const FORMS: Array<{ path: string; fields: () => Promise<Record<string, string>>; accepted: RegExp }> = [
    { path: '/lti/zoom/oauth', fields: async () => ({}), accepted: /\/oauth\/authorize\?/ },
    { path: '/lti/zoom/s2s', fields: s2sFields, accepted: /notice=connected/ },
    {
      path: '/lti/zoom/people/check',
      fields: async () => {
        // Connected by now: the instructor's launch gives them a Zoom user to check.
        await h.launch(h.lms.users.instructor.id);
        return { issuer: h.lms.issuer, userId: h.lms.users.instructor.id };
      },
      accepted: /notice=checked/,
    },
    {
      path: '/lti/zoom/settings',
      fields: async () => ({ action: 'autoCreate', licence: 'basic', whenNoSeat: 'refuse' }),
      accepted: /notice=saved/,
    },
    {
      path: '/lti/zoom/disconnect',
      fields: async () => ({ confirm: 'yes' }),
      accepted: /notice=disconnected/,
    },
  ];

  describe.each(FORMS)('$path', ({ path, fields, accepted }) => {
    it.each([
      ['without a form token', undefined],
      ['with a form token of another session', 'forged-token'],
    ])('%s, it is refused and nothing changes', async (_name, token) => {
      const form = await fields();
      const before = await state();
      h.zoom.clearRequests();
      const refused = await post(path, { ...form, ...(token ? { csrf: token } : {}) });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ error: expect.objectContaining({ id: 'csrf_invalid' }) });
      expect(await state()).toEqual(before);
      expect(h.zoom.requests()).toEqual([]);
    });

    it('with the form token of its page, it is accepted', async () => {
      const answer = await post(path, { ...(await fields()), csrf });
      expect(answer.status).toBe(303);
      expect(String(answer.headers.location)).toMatch(accepted);
    });
  });

  it("every form of the admin's pages carries the token", async () => {
    for (const path of ['/lti/zoom', '/lti/zoom/people']) {
      const page = await request(h.app).get(path).query({ ltik }).accept('html');
      const forms = page.text.match(/<form method="post"[\s\S]*?<\/form>/g) ?? [];
      expect(forms.length).toBeGreaterThan(0);
      for (const form of forms) expect(form).toContain(`name="csrf" value="${csrf}"`);
    }
  });
});

describe('who administers the school', () => {
  let h: ZoomHarness;

  beforeAll(async () => {
    h = await createZoomHarness();
    const user = (id: string, roles: string[]) => ({
      id,
      givenName: 'Pat',
      familyName: id,
      name: `Pat ${id}`,
      email: `${id}@school.example.edu`,
      roles,
    });
    h.lms.addUser(user('course-admin', [`${LIS}/membership#Administrator`]));
    h.lms.addUser(user('institution-admin', [`${LIS}/institution/person#Administrator`]));
    h.lms.addUser(user('system-admin', [`${LIS}/system/person#Administrator`]));
  });
  afterAll(() => h.close());

  it.each([
    ['a course administrator (membership#Administrator)', 'course-admin', 403],
    ['an institution administrator', 'institution-admin', 200],
    ['a system administrator', 'system-admin', 200],
  ])('%s: the Zoom admin pages answer %s', async (_name, userId, status) => {
    const { ltik, course } = await h.launch(userId);
    expect(course.status).toBe(200);
    expect(course.text.includes('/lti/zoom')).toBe(status === 200);
    for (const path of ['/lti/zoom', '/lti/zoom/people']) {
      const page = await request(h.app).get(path).query({ ltik }).accept('json');
      expect(page.status).toBe(status);
      if (status === 403) expect(page.body).toEqual({ error: expect.objectContaining({ id: 'forbidden' }) });
    }
  });

  it('a course administrator cannot connect Zoom for the school', async () => {
    const { ltik } = await h.launch('course-admin');
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
    const refused = await request(h.app).post('/lti/zoom/s2s').type('form').accept('json').send({
      ltik,
      accountId: h.account.account_id,
      clientId: s2s.client_id,
      clientSecret: s2s.client_secret,
    });
    expect(refused.status).toBe(403);
    expect(await h.connectionRow()).toBeUndefined();
  });
});
