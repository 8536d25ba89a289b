import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import type { CreateAccountInput } from '../../../src/sandbox/zoom';
import type { LmsEmulator } from '../../../src/sandbox/lms';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

interface Case {
  name: string;
  account?: Partial<CreateAccountInput>;
  settings?: { action?: string; licence?: string; whenNoSeat?: string };
  /** Prepares Zoom before the instructor's first launch. */
  before?: (h: ZoomHarness, email: string, accountId: string) => Promise<void>;
  shareEmail?: boolean;
  page: RegExp;
  row: Record<string, unknown> | undefined;
  zoomUser: Record<string, unknown> | undefined;
  creates: number;
}

/** Creates a user in a Zoom account through the simulator's API, as the school's own admin would. */
async function zoomUser(h: ZoomHarness, accountId: string, email: string, activate: boolean) {
  const app = await h.zoom.createApp({ kind: 's2s', account_id: accountId });
  const token = h.zoom.issueTokens(app.client_id, accountId).access_token;
  const created = await fetch(`${h.zoom.baseUrl}/v2/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      action: 'create',
      user_info: { email, type: 1, first_name: 'Pre', last_name: 'Existing' },
    }),
  });
  expect(created.status).toBe(201);
  if (activate) h.zoom.activateUser(email);
}

const cases: Case[] = [
  {
    name: 'absent → created with action create: pending, licensed, told to activate',
    page: /Activate your Zoom account/,
    row: { status: 'pending', licence_type: 2, last_outcome: 'pending' },
    zoomUser: { status: 'pending', type: 2 },
    creates: 1,
  },
  {
    name: 'already active in the account → linked, nothing created',
    before: (h, email, accountId) => zoomUser(h, accountId, email, true),
    page: /Your Zoom account is ready/,
    row: { status: 'active', last_outcome: 'active' },
    zoomUser: { status: 'active' },
    creates: 1, // refused by Zoom (a first launch creates before it looks up), then looked up
  },
  {
    name: 'already pending in the account → linked and told to activate',
    before: (h, email, accountId) => zoomUser(h, accountId, email, false),
    page: /Activate your Zoom account/,
    row: { status: 'pending', last_outcome: 'pending' },
    zoomUser: { status: 'pending' },
    creates: 1, // refused by Zoom (a first launch creates before it looks up), then looked up
  },
  {
    name: 'autoCreate with a managed domain → active at once',
    account: { managed_domain: 'school.example.edu' },
    settings: { action: 'autoCreate' },
    page: /Your Zoom account is ready/,
    row: { status: 'active', licence_type: 2 },
    zoomUser: { status: 'active' },
    creates: 1,
  },
  {
    name: 'Basic licence setting → a Basic user',
    settings: { licence: 'basic' },
    page: /Activate your Zoom account/,
    row: { status: 'pending', licence_type: 1 },
    zoomUser: { type: 1 },
    creates: 1,
  },
  {
    name: 'no licensed seat left, fall back to Basic',
    account: { licensed_seats: 1 },
    page: /Activate your Zoom account/,
    row: { status: 'pending', licence_type: 1 },
    zoomUser: { type: 1 },
    creates: 2,
  },
  {
    name: 'no licensed seat left, refuse',
    account: { licensed_seats: 1 },
    settings: { whenNoSeat: 'refuse' },
    page: /has no licence left/,
    row: { status: 'failed', last_outcome: 'no_seats' },
    zoomUser: undefined,
    creates: 1,
  },
  {
    name: 'email already used by a Zoom user outside the school’s account',
    before: async (h, email) => {
      const elsewhere = await h.zoom.createAccount({ plan: 'free' });
      await zoomUser(h, elsewhere.account_id, email, true);
    },
    page: /already used by another Zoom account[\s\S]*invite you to the school/,
    row: { status: 'failed', last_outcome: 'email_taken' },
    zoomUser: undefined,
    creates: 1, // refused by Zoom (a first launch creates before it looks up), then looked up
  },
  {
    name: 'email domain blocked',
    account: { blocked_domains: ['school.example.edu'] },
    page: /Zoom does not accept your email domain/,
    row: { status: 'failed', last_outcome: 'domain_not_allowed' },
    zoomUser: undefined,
    creates: 1,
  },
  {
    name: 'email domain not among the allowed ones',
    account: { allowed_domains: ['other.example.org'] },
    page: /Zoom does not accept your email domain/,
    row: { status: 'failed', last_outcome: 'domain_not_allowed' },
    zoomUser: undefined,
    creates: 1,
  },
  {
    name: 'custCreate without API-partner status',
    settings: { action: 'custCreate' },
    page: /Zoom refused the way this school creates users/,
    row: { status: 'failed', last_outcome: 'action_not_allowed' },
    zoomUser: undefined,
    creates: 1,
  },
  {
    name: 'ssoCreate on an account without SSO pre-provisioning',
    settings: { action: 'ssoCreate' },
    page: /Zoom refused the way this school creates users/,
    row: { status: 'failed', last_outcome: 'action_not_allowed' },
    zoomUser: undefined,
    creates: 1,
  },
  {
    name: 'no email in the launch → explains the LMS setting; Zoom is not asked',
    shareEmail: false,
    page: /did not share your email address[\s\S]*Share launcher&#39;s email with the tool/,
    row: { status: 'failed', last_outcome: 'email_missing', email: null },
    zoomUser: undefined,
    creates: 0,
  },
];

describe('instructors become Zoom users of their school on their first launch', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness();
  });
  afterAll(() => h.close());

  let counter = 0;
  /** A new school with its own Zoom account (connected through its S2S app) and a fresh instructor. */
  async function school(c: Pick<Case, 'account' | 'settings' | 'shareEmail'>) {
    counter += 1;
    const lms = await h.addLms({ profile: 'moodle', school: `School ${counter}` });
    const account = await h.zoom.createAccount({ plan: 'pro', ...c.account });
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: account.account_id });
    const admin = await h.adminLtik(lms);
    const connected = await request(h.app)
      .post('/lti/zoom/s2s')
      .type('form')
      .send({
        ltik: admin,
        csrf: h.formToken(admin),
        accountId: account.account_id,
        clientId: s2s.client_id,
        clientSecret: s2s.client_secret,
      });
    expect(connected.status).toBe(303);
    if (c.settings) {
      const saved = await h.saveSettings(admin, c.settings);
      expect(saved.status).toBe(303);
    }
    const email = `teacher${counter}@school.example.edu`;
    lms.addUser({
      id: `t${counter}`,
      givenName: 'Tess',
      familyName: `Teacher${counter}`,
      name: `Tess Teacher${counter}`,
      ...(c.shareEmail === false ? {} : { email }),
      roles: [INSTRUCTOR],
    });
    return { lms, account, email, userId: `t${counter}`, admin, name: `School ${counter}` };
  }

  async function row(lms: LmsEmulator, userId: string) {
    const rows = await queryRows<Record<string, unknown>>(
      h.database.db,
      sql`select * from zoom_users where lms_issuer = ${lms.issuer} and lms_user_id = ${userId}`,
    );
    return rows[0];
  }

  it.each(cases)('$name', async (c) => {
    const s = await school(c);
    await c.before?.(h, s.email, s.account.account_id);
    h.zoom.clearRequests();
    const { course } = await h.launch(s.userId, undefined, s.lms);
    expect(course.status).toBe(200);
    expect(course.text).toMatch(c.page);
    const stored = await row(s.lms, s.userId);
    if (c.row) expect(stored).toMatchObject(c.row);
    const inZoom = h.zoom.users(s.account.account_id).find((user) => user.email === s.email);
    if (c.zoomUser) expect(inZoom).toMatchObject(c.zoomUser);
    else expect(inZoom).toBeUndefined();
    if (c.zoomUser && stored) expect(stored.zoom_user_id).toBe(inZoom?.id);
    const creates = h.zoom.requests({ method: 'POST', path: '/v2/users', account_id: s.account.account_id });
    expect(creates).toHaveLength(c.creates);
    if (c.shareEmail === false) expect(h.zoom.requests({ account_id: s.account.account_id })).toHaveLength(0);
  });

  it('when a pending instructor has activated in Zoom, the next launch re-checks and shows them active', async () => {
    const s = await school({});
    await h.launch(s.userId, undefined, s.lms);
    expect(await row(s.lms, s.userId)).toMatchObject({ status: 'pending' });
    h.zoom.activateUser(s.email);
    const again = await h.launch(s.userId, undefined, s.lms);
    expect(again.course.text).toMatch(/Your Zoom account is ready/);
    expect(await row(s.lms, s.userId)).toMatchObject({ status: 'active', last_outcome: 'active' });
  });

  it('when an instructor is active in Zoom, their launch asks Zoom nothing', async () => {
    const s = await school({});
    await h.launch(s.userId, undefined, s.lms);
    h.zoom.activateUser(s.email);
    await h.launch(s.userId, undefined, s.lms);
    expect(await row(s.lms, s.userId)).toMatchObject({ status: 'active' });
    h.zoom.clearRequests();
    await h.launch(s.userId, undefined, s.lms);
    expect(h.zoom.requests({ account_id: s.account.account_id })).toHaveLength(0);
  });

  it('a Zoom outage during a re-check keeps what was known about the person', async () => {
    const s = await school({});
    await h.launch(s.userId, undefined, s.lms);
    expect(await row(s.lms, s.userId)).toMatchObject({ status: 'pending', last_outcome: 'pending' });
    h.zoom.injectFault({ kind: 'status5xx', status: 503, match: { method: 'GET', path: '/v2/users/' } });
    h.zoom.clearRequests();
    try {
      const { course } = await h.launch(s.userId, undefined, s.lms);
      const lookups = h.zoom.requests({ method: 'GET', account_id: s.account.account_id });
      expect(lookups.length).toBeGreaterThan(0);
      expect(lookups.every((entry) => entry.status === 503)).toBe(true);
      expect(course.status).toBe(200);
      expect(course.text).toMatch(/Activate your Zoom account/);
      expect(await row(s.lms, s.userId)).toMatchObject({
        status: 'pending',
        last_outcome: 'pending',
        lease_owner: null,
      });
    } finally {
      h.zoom.clearFaults();
    }
  });

  it('a changed LMS email is resolved again', async () => {
    const s = await school({});
    await h.launch(s.userId, undefined, s.lms);
    h.zoom.activateUser(s.email);
    s.lms.addUser({
      id: s.userId,
      givenName: 'Tess',
      familyName: 'Renamed',
      name: 'Tess Renamed',
      email: `new-${s.email}`,
      roles: [INSTRUCTOR],
    });
    await h.launch(s.userId, undefined, s.lms);
    expect(await row(s.lms, s.userId)).toMatchObject({ email: `new-${s.email}`, status: 'pending' });
    expect(h.zoom.users(s.account.account_id).some((user) => user.email === `new-${s.email}`)).toBe(true);
  });

  it('a student’s launch makes zero Zoom requests', async () => {
    const s = await school({});
    h.zoom.clearRequests();
    const { course } = await h.launch(s.lms.users.learner.id, undefined, s.lms);
    expect(course.status).toBe(200);
    expect(h.zoom.requests()).toHaveLength(0);
    expect(await row(s.lms, s.lms.users.learner.id)).toBeUndefined();
  });

  it('when Zoom needs reconnecting, the instructor’s page says so and Zoom is not asked', async () => {
    const s = await school({});
    await h.database.db.execute(
      sql`update zoom_connections set status = 'reconnect_required' where zoom_account_id = ${s.account.account_id}`,
    );
    h.zoom.clearRequests();
    const { course } = await h.launch(s.userId, undefined, s.lms);
    expect(course.text).toMatch(/needs to be renewed by a school administrator/);
    expect(h.zoom.requests({ account_id: s.account.account_id })).toHaveLength(0);
  });

  describe('the admin page of Zoom users', () => {
    /** A school whose instructor has launched once (pending in Zoom). */
    let s: Awaited<ReturnType<typeof school>>;
    let instructorLtik: string;
    beforeEach(async () => {
      s = await school({});
      instructorLtik = (await h.launch(s.userId, undefined, s.lms)).ltik;
    });

    const peoplePage = (ltik: string) => request(h.app).get(`/lti/zoom/people?ltik=${ltik}`).accept('html');
    const checkAgain = (ltik: string, person: { issuer: string; userId: string }) =>
      request(h.app)
        .post('/lti/zoom/people/check')
        .type('form')
        .accept('html')
        .send({ ltik, csrf: h.formToken(ltik), ...person });
    const savedSettings = (schoolName: string) =>
      queryRows<Record<string, unknown>>(
        h.database.db,
        sql`select p.* from provisioning_settings p join schools s on s.id = p.school_id where s.name = ${schoolName}`,
      );

    it('when an admin opens it, each instructor is listed with email, status and licence', async () => {
      const page = await peoplePage(s.admin);
      expect(page.status).toBe(200);
      expect(page.text).toContain(s.email);
      expect(page.text).toMatch(/data-status="pending"/);
      expect(page.text).toContain('Licensed');
    });

    it('when an admin opens it, instructors of another school are not listed', async () => {
      const other = await school({});
      const page = await peoplePage(other.admin);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(s.email);
    });

    it('when an admin asks to check a person again, Zoom is asked and the page shows the new status', async () => {
      h.zoom.activateUser(s.email);
      h.zoom.clearRequests();
      const check = await checkAgain(s.admin, { issuer: s.lms.issuer, userId: s.userId });
      expect(check.status).toBe(303);
      expect(h.zoom.requests({ account_id: s.account.account_id }).length).toBeGreaterThan(0);
      const after = await request(h.app).get(String(check.headers.location)).accept('html');
      expect(after.text).toMatch(/data-status="active"/);
    });

    it('when an admin asks to check a person of another school, it answers 404 and Zoom is not asked', async () => {
      const other = await school({});
      const before = await row(s.lms, s.userId);
      expect(before).toMatchObject({ status: 'pending' });
      h.zoom.activateUser(s.email);
      h.zoom.clearRequests();
      const foreign = await checkAgain(other.admin, { issuer: s.lms.issuer, userId: s.userId });
      expect(foreign.status).toBe(404);
      expect(h.zoom.requests()).toEqual([]);
      expect(await row(s.lms, s.userId)).toEqual(before);
    });

    it('when an instructor opens it, it is refused with 403', async () => {
      expect((await peoplePage(instructorLtik)).status).toBe(403);
    });

    it('when an instructor posts settings, it is refused with 403 and nothing is saved', async () => {
      const posted = await h.saveSettings(instructorLtik, {
        action: 'autoCreate',
        licence: 'basic',
        whenNoSeat: 'refuse',
      });
      expect(posted.status).toBe(403);
      expect(await savedSettings(s.name)).toEqual([]);
    });

    it('when an admin posts settings that are not valid, it is refused with 400 and nothing is saved', async () => {
      const bad = await h.saveSettings(s.admin, { action: 'magic', licence: 'basic', whenNoSeat: 'refuse' });
      expect(bad.status).toBe(400);
      expect(await savedSettings(s.name)).toEqual([]);
    });

    it('when an admin posts valid settings, they are saved', async () => {
      const saved = await h.saveSettings(s.admin, {
        action: 'autoCreate',
        licence: 'basic',
        whenNoSeat: 'refuse',
      });
      expect(saved.status).toBe(303);
      expect(await savedSettings(s.name)).toEqual([
        expect.objectContaining({ action: 'autoCreate', licence: 'basic', when_no_seat: 'refuse' }),
      ]);
    });
  });
});
