import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import { createLtiHarness, TOOL_URL, type LtiHarness } from '../../support/lti-harness';
import { databaseKinds } from '../../support/db';

describe.each(databaseKinds('one'))('LTI launch through the LMS emulator (%s)', (databaseKind) => {
  describe.each(['moodle', 'canvas'] as const)('%s profile', (profile) => {
    let lti: LtiHarness;
    beforeAll(async () => {
      lti = await createLtiHarness({ profile, databaseKind });
    });
    afterAll(() => lti.close());

    it('an instructor lands on the course page, greeted by name with their role', async () => {
      const { course, ltik } = await lti.launch(lti.lms.users.instructor.id);
      expect(course.status).toBe(200);
      expect(course.text).toContain(`Hello, ${lti.lms.users.instructor.name}`);
      expect(course.text).toMatch(/as <strong>Instructor<\/strong>/);
      expect(course.text).toContain(lti.lms.course.title);
      expect(ltik.split('.')).toHaveLength(3);
      expect(await lti.sessionCount()).toBeGreaterThan(0);
    });

    it('a student, an administrator and a teaching assistant each see their normalised role', async () => {
      const student = await lti.launch(lti.lms.users.learner.id);
      expect(student.course.text).toMatch(/as <strong>Student<\/strong>/);
      const admin = await lti.launch(lti.lms.users.admin.id);
      expect(admin.course.text).toMatch(/as <strong>Administrator<\/strong>/);
      const assistant = await lti.launch(lti.lms.users.ta.id);
      expect(assistant.course.text).toMatch(/as <strong>Instructor<\/strong>/);
    });

    it('the login sets a state cookie that is HttpOnly, Secure, SameSite=None and Partitioned, and sends a fresh nonce', async () => {
      const first = await lti.login(lti.lms.users.learner.id);
      const second = await lti.login(lti.lms.users.learner.id);
      // Canvas offers its platform storage: the login's page stores the state there, then goes on.
      expect(first.status).toBe(profile === 'canvas' ? 200 : 302);
      expect(first.location.startsWith(lti.lms.authUrl)).toBe(true);
      expect(first.setCookie).toMatch(/HttpOnly/i);
      expect(first.setCookie).toMatch(/Secure/i);
      expect(first.setCookie).toMatch(/SameSite=None/i);
      expect(first.setCookie).toMatch(/Partitioned/i);
      expect(first.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(first.nonce).not.toBe(second.nonce);
      expect(first.state).not.toBe(second.state);
      const redirect = new URL(first.location).searchParams;
      expect(redirect.get('redirect_uri')).toBe(`${TOOL_URL}/lti/launch`);
      expect(redirect.get('client_id')).toBe(lti.lms.clientId);
    });

    it('after the launch, pages authenticate with the ltik (query or bearer), not cookies', async () => {
      const { ltik } = await lti.launch(lti.lms.users.instructor.id);
      const viaBearer = await request(lti.app)
        .get('/lti/course')
        .set('Authorization', `Bearer ${ltik}`)
        .accept('html');
      expect(viaBearer.status).toBe(200);
      expect(viaBearer.headers['set-cookie']).toBeUndefined();
      const without = await request(lti.app).get('/lti/course').accept('html');
      expect(without.status).toBe(401);
      expect(without.text).toContain('Open this tool from your course');
      const forged = await request(lti.app)
        .get(`/lti/course?ltik=${ltik.slice(0, -4)}AAAA`)
        .accept('html');
      expect(forged.status).toBe(401);
    });

    it('the course page may be framed by the registered platform only', async () => {
      const { course } = await lti.launch(lti.lms.users.learner.id);
      const csp = String(course.headers['content-security-policy']);
      expect(csp).toContain(`frame-ancestors 'self' ${new URL(lti.lms.authUrl).origin}`);
      expect(csp).toContain("default-src 'self'");
      expect(course.headers['x-frame-options']).toBeUndefined();
    });

    it('the tool publishes its key set for the platform', async () => {
      const keys = await request(lti.app).get('/lti/keys');
      expect(keys.status).toBe(200);
      expect(keys.body.keys.length).toBeGreaterThan(0);
      expect(keys.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(JSON.stringify(keys.body)).not.toMatch(/"d"|PRIVATE/);
    });
  });

  describe('deployments', () => {
    it('a registration that accepts new deployments records one seen in a verified launch', async () => {
      const lti = await createLtiHarness({ profile: 'canvas', databaseKind, acceptNewDeployments: true });
      try {
        const { course } = await lti.launch(lti.lms.users.instructor.id, {
          deploymentId: '77:newly-installed',
        });
        expect(course.status).toBe(200);
        const rows = await queryRows<{ deployment_id: string; source: string }>(
          lti.database.db,
          sql`select deployment_id, source from deployments order by created_at`,
        );
        expect(rows).toEqual([
          { deployment_id: lti.lms.deploymentId, source: 'manual' },
          { deployment_id: '77:newly-installed', source: 'launch' },
        ]);
      } finally {
        await lti.close();
      }
    });
  });
});
