import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import type { LmsEmulator } from '../../../src/sandbox/lms';
import { databaseKinds } from '../../support/db';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
const ROLES = {
  institutionAdministrator: `${LIS}/institution/person#Administrator`,
  systemAdministrator: `${LIS}/system/person#Administrator`,
  courseAdministrator: `${LIS}/membership#Administrator`,
  instructor: `${LIS}/membership#Instructor`,
  teachingAssistant: `${LIS}/membership/Instructor#TeachingAssistant`,
  learner: `${LIS}/membership#Learner`,
};

/** Who opens the course, and whether they get a Zoom user with the school's setting off and on. */
const PEOPLE: ReadonlyArray<{
  who: string;
  roles: string[];
  off: boolean;
  on: boolean;
}> = [
  {
    who: 'an LMS administrator who is not an instructor of the course',
    roles: [ROLES.institutionAdministrator, ROLES.systemAdministrator],
    off: false,
    on: true,
  },
  {
    who: 'an administrator of the course only',
    roles: [ROLES.courseAdministrator],
    off: false,
    on: true,
  },
  {
    who: 'an LMS administrator who also teaches the course',
    roles: [ROLES.institutionAdministrator, ROLES.instructor],
    off: true,
    on: true,
  },
  { who: 'an instructor', roles: [ROLES.instructor], off: true, on: true },
  { who: 'a teaching assistant', roles: [ROLES.teachingAssistant], off: true, on: true },
  { who: 'a learner', roles: [ROLES.learner], off: false, on: false },
];

describe.each(databaseKinds())('who gets a Zoom user when they open a course (%s)', (databaseKind) => {
  let h: ZoomHarness;
  /** One school with the setting off (the default), one with it on. */
  const schools: Record<'off' | 'on', { lms: LmsEmulator; accountId: string; admin: string }> = {} as never;

  beforeAll(async () => {
    h = await createZoomHarness({ databaseKind });
    // Both schools are connected before anyone launches: a launch's provisioning talks to Zoom too.
    const connected = [];
    for (const setting of ['off', 'on'] as const) {
      const lms = await h.addLms({ profile: 'moodle', school: `School ${setting}` });
      const account = await h.zoom.createAccount({ plan: 'pro' });
      await h.connectS2S({ lms, accountId: account.account_id });
      connected.push({ setting, lms, accountId: account.account_id });
    }
    for (const { setting, lms, accountId } of connected) {
      const admin = await h.adminLtik(lms);
      schools[setting] = { lms, accountId, admin };
    }
    const saved = await h.saveSettings(schools.on.admin, { provisionAdministrators: 'yes' });
    expect(saved.status).toBe(303);
  });
  afterAll(() => h.close());

  const rowOf = async (lms: LmsEmulator, userId: string) =>
    (
      await queryRows<Record<string, unknown>>(
        h.database.db,
        sql`select * from zoom_users where lms_issuer = ${lms.issuer} and lms_user_id = ${userId}`,
      )
    )[0];

  let counter = 0;
  const cases = PEOPLE.flatMap((person) =>
    (['off', 'on'] as const).map((setting) => ({ ...person, setting, provisioned: person[setting] })),
  );

  it.each(cases)(
    'when $who opens it with the setting $setting, a Zoom user is made: $provisioned',
    async ({ roles, setting, provisioned }) => {
      const { lms, accountId } = schools[setting];
      counter += 1;
      const email = `person${counter}@school.example.edu`;
      const userId = `p${counter}`;
      lms.addUser({
        id: userId,
        givenName: 'Pat',
        familyName: `Person${counter}`,
        name: `Pat Person${counter}`,
        email,
        roles,
      });
      h.zoom.clearRequests();
      const { course } = await h.launch(userId, undefined, lms);
      expect(course.status).toBe(200);
      const inZoom = h.zoom.users(accountId).find((user) => user.email === email);
      const creates = h.zoom.requests({ method: 'POST', path: '/v2/users', account_id: accountId });
      if (provisioned) {
        expect(inZoom).toBeDefined();
        expect(await rowOf(lms, userId)).toMatchObject({ zoom_user_id: inZoom?.id });
        expect(course.text).not.toContain('You have no Zoom user here');
      } else {
        expect(inZoom).toBeUndefined();
        expect(creates).toHaveLength(0);
        expect(await rowOf(lms, userId)).toBeUndefined();
      }
    },
  );

  it('when the setting is off, an administrator who does not teach is told why they have no Zoom user, and still manages Zoom', async () => {
    const { lms } = schools.off;
    lms.addUser({
      id: 'admin-only',
      givenName: 'Ada',
      familyName: 'Admin',
      name: 'Ada Admin',
      email: 'ada.admin@school.example.edu',
      roles: [ROLES.institutionAdministrator, ROLES.systemAdministrator],
    });
    h.zoom.clearRequests();
    const { course, ltik } = await h.launch('admin-only', undefined, lms);
    expect(course.text).toContain('You have no Zoom user here');
    expect(course.text).toContain(
      'Give LMS administrators who are not instructors of the course a Zoom user',
    );
    expect(h.zoom.requests({ method: 'POST', path: '/v2/users' })).toHaveLength(0);
    const people = await request(h.app).get(`/lti/zoom/people?ltik=${ltik}`).accept('html');
    expect(people.status).toBe(200);
    const connection = await request(h.app).get(`/lti/zoom?ltik=${ltik}`).accept('html');
    expect(connection.status).toBe(200);
    expect(connection.text).toMatch(
      /data-setting="provisionAdministrators">Instructors of the course only \(LMS administrators who do not teach it get none\)</,
    );
    const turnedOn = await request(h.app).get(`/lti/zoom?ltik=${schools.on.admin}`).accept('html');
    expect(turnedOn.text).toMatch(
      /data-setting="provisionAdministrators">Instructors of the course, and LMS administrators who do not teach it</,
    );

    const spanish = await h.launch('admin-only', { locale: 'es' }, lms);
    expect(spanish.course.text).toContain('Aquí no tienes usuario de Zoom');
  });

  describe('the settings on the Zoom users page', () => {
    const API_TERMS = /\b(create|autoCreate|ssoCreate|custCreate)\b/;
    /** Each choice's words: the label's text without its "(Zoom: …)" hint for Zoom admins. */
    const choices = (html: string) =>
      [...html.matchAll(/<label class="choice"><input[^>]*> <span>([^<]*)/g)].map((m) => (m[1] ?? '').trim());

    it.each([
      {
        locale: 'en',
        words: ['Invite them by email', 'Create them as licensed users', 'Create them as basic users'],
      },
      {
        locale: 'es',
        words: [
          'Invitarlos por correo',
          'Crearlos como usuarios con licencia',
          'Crearlos como usuarios básicos',
        ],
      },
    ])('in $locale, each choice is named in words, never by its Zoom API term', async ({ locale, words }) => {
      const { lms } = schools.off;
      const { ltik } = await h.launch(lms.users.admin.id, { locale }, lms);
      const page = await request(h.app).get(`/lti/zoom/people?ltik=${ltik}`).accept('html');
      expect(page.status).toBe(200);
      const labels = choices(page.text);
      expect(labels).toHaveLength(9);
      for (const label of labels) expect(label).not.toMatch(API_TERMS);
      for (const word of words) expect(page.text).toContain(word);
      expect(page.text).toContain('(Zoom: custCreate)');
      expect(page.text).toMatch(
        /name="provisionAdministrators" value="yes"[^>]*aria-describedby="provision-administrators-hint"\s*>/,
      );
    });

    it('saving the setting turns it on and off, and the page shows it ticked', async () => {
      const lms = await h.addLms({ profile: 'moodle', school: 'School saving' });
      const admin = await h.adminLtik(lms);
      const stored = async () =>
        (
          await queryRows<{ provision_administrators: boolean }>(
            h.database.db,
            sql`select p.provision_administrators from provisioning_settings p join schools s on s.id = p.school_id where s.name = 'School saving'`,
          )
        )[0]?.provision_administrators;
      const save = (extra: Record<string, string>) =>
        h.saveSettings(admin, { licence: 'basic', whenNoSeat: 'refuse', ...extra });
      const page = () => request(h.app).get(`/lti/zoom/people?ltik=${admin}`).accept('html');

      expect((await page()).text).not.toMatch(/name="provisionAdministrators"[^>]*checked/);
      expect((await save({ provisionAdministrators: 'yes' })).status).toBe(303);
      expect(await stored()).toBe(true);
      expect((await page()).text).toMatch(/name="provisionAdministrators"[^>]*checked/);
      expect((await save({ provisionAdministrators: 'maybe' })).status).toBe(400);
      expect(await stored()).toBe(true);
      expect((await save({})).status).toBe(303);
      expect(await stored()).toBe(false);
    });
  });
});
