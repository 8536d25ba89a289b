import { sql } from 'drizzle-orm';
import request from 'supertest';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../src/sandbox/lms';
import { queryRows } from '../../../src/storage';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

/**
 * LTI Dynamic Registration end to end, with the emulator's Moodle and Canvas: the LMS admin pastes
 * a `school invite` link; the tool reads the LMS's configuration, registers, and the registration is
 * bound to the invited school and active at once; a launch then lands on the course page naming
 * that school. The same link cannot register twice. The tool asks for Names and Roles and the four
 * Assignment and Grade Services scopes; both profiles grant them all, and the log says so.
 */
describe.each<LmsProfileName>(['moodle', 'canvas'])('dynamic registration with %s', (profile) => {
  let h: LtiHarness;
  let lms: LmsEmulator;
  const school = `Invited ${profile} School`;
  const logLines: string[] = [];
  const scopes = [
    'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
    'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
    'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
    'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  ];

  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle', logLines });
    lms = createLmsEmulator({ profile });
    await lms.start();
  });
  afterAll(async () => {
    await lms.stop();
    await h.close();
  });

  const open = (lmsOpens: string) => {
    const url = new URL(lmsOpens);
    return request(h.app).get(`${url.pathname}${url.search}`).accept('html');
  };
  const registrationsOf = (issuer: string) =>
    queryRows<{ client_id: string; school: string; deployments: string }>(
      h.database.db,
      sql`select r.client_id, s.name as school,
                 coalesce((select string_agg(d.deployment_id, ',') from deployments d where d.registration_id = r.id), '') as deployments
          from registrations r join schools s on s.id = r.school_id
          where r.issuer = ${issuer}`,
    );

  it('registers the tool for the invited school, active at once, and a launch lands on its course page', async () => {
    const { registrationUrl } = await h.built.invites.create({ school, expiresInMs: 3600_000 });
    const page = await open(lms.beginRegistration(registrationUrl));
    expect(page.status).toBe(200);
    expect(page.text).toContain(school);
    expect(page.text).toContain('/assets/registration-close.js');

    expect(lms.registrations).toHaveLength(1);
    const registered = lms.registrations[0]!;
    // Moodle names its deployment in the answer; Canvas makes it at install, so the first launch records it.
    expect(await registrationsOf(lms.issuer)).toEqual([
      {
        client_id: registered.clientId,
        school,
        deployments: profile === 'moodle' ? registered.deploymentId : '',
      },
    ]);
    const posted = registered.body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as Record<
      string,
      unknown
    >;
    expect(posted.claims).toEqual(expect.arrayContaining(['name', 'email']));
    expect(String(registered.body.scope).split(' ')).toEqual(scopes);
    expect(String(registered.response.scope).split(' ').sort()).toEqual([...scopes].sort());
    const logged = logLines
      .map((line) => JSON.parse(line) as { msg?: string; granted?: unknown })
      .find((line) => line.msg === 'registered through dynamic registration');
    expect(logged?.granted).toEqual({ namesAndRoles: true, grades: 'columns' });
    if (profile === 'canvas') {
      expect(posted['https://canvas.instructure.com/lti/privacy_level']).toBe('public');
    } else {
      lms.activateRegistration(registered.clientId);
    }

    const { course } = await h.launch(lms.users.learner.id, undefined, lms);
    expect(course.status).toBe(200);
    expect(course.text).toContain(school);
    expect((await registrationsOf(lms.issuer))[0]?.deployments).toBe(registered.deploymentId);
  });

  it('refuses the same link a second time, and registers nothing more', async () => {
    const { registrationUrl } = await h.built.invites.create({ school, expiresInMs: 3600_000 });
    expect((await open(lms.beginRegistration(registrationUrl))).status).toBe(200);
    const before = await registrationsOf(lms.issuer);
    const again = await open(lms.beginRegistration(registrationUrl));
    expect(again.status).toBe(403);
    expect(again.text).toContain('registration_invite_invalid');
    expect(await registrationsOf(lms.issuer)).toEqual(before);
  });
});
